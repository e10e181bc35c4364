"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { deviceKeys, deviceQueries, linkChild } from "@/lib/queries/device";
import { deviceTreeKeys } from "@/lib/queries/device-tree";
import type { ChildKind, ObjectSummary } from "@/lib/schemas/device";
import { RoleBadges } from "./device-header";

export const KIND_WORDS: Record<ChildKind, { one: string; many: string }> = {
  devices: { one: "child device", many: "child devices" },
  assets: { one: "child asset", many: "child assets" },
};

/** Finds an existing object by name or id and links it below this one. */
export function LinkChildDialog({
  deviceId,
  kind,
  onClose,
}: {
  deviceId: string;
  kind: ChildKind;
  onClose: () => void;
}) {
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const inputId = useId();
  const results = useQuery(deviceQueries.candidates(deviceId, q));
  const queryClient = useQueryClient();
  const toast = useToast();
  const link = useMutation({
    mutationFn: (child: ObjectSummary) => linkChild(deviceId, kind, child.id),
    onSuccess: (result, child) => {
      const name = child.name ?? child.id;
      toast({
        tone: "success",
        title: result.alreadyLinked ? `${name} was a ${KIND_WORDS[kind].one} already` : `${name} linked`,
      });
      void queryClient.invalidateQueries({ queryKey: deviceKeys.one(deviceId) });
      void queryClient.invalidateQueries({ queryKey: deviceKeys.one(child.id) });
      void queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all });
      onClose();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
  };
  return (
    <Dialog
      open
      size="lg"
      onClose={() => !link.isPending && onClose()}
      title={`Link an existing object as ${KIND_WORDS[kind].one}`}
      description="Search by part of the name or by id. Linking only adds a reference; the object keeps its data."
    >
      <form onSubmit={onSubmit} className="flex items-end gap-2" role="search">
        <div className="flex flex-1 flex-col gap-1.5">
          <label htmlFor={inputId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Name or id
          </label>
          <Input id={inputId} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </div>
        <Button type="submit" variant="primary" disabled={text.trim() === ""}>
          <Search className="size-4" aria-hidden="true" />
          Search
        </Button>
      </form>
      <div className="mt-4 min-h-16" aria-live="polite">
        {q === "" ? null : results.isPending || results.isPlaceholderData ? (
          <Spinner label="Searching…" />
        ) : results.isError ? (
          <p className="text-sm text-red-700 dark:text-red-400">{describeError(results.error).message}</p>
        ) : results.data.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing matches “{q}”.</p>
        ) : (
          <ul
            aria-label="Search results"
            className="flex max-h-80 flex-col divide-y divide-slate-200 overflow-y-auto dark:divide-slate-800"
          >
            {results.data.items.map((o) => (
              <li key={o.id} className="flex items-center justify-between gap-3 py-2">
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900 dark:text-slate-100">
                    {o.name ?? `Object ${o.id}`}
                  </p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    id {o.id}
                    {o.type ? ` · ${o.type}` : ""} <RoleBadges device={o} />
                  </p>
                </div>
                <Button
                  size="sm"
                  loading={link.isPending && link.variables?.id === o.id}
                  onClick={() => link.mutate(o)}
                >
                  Link<span className="sr-only"> {o.name ?? o.id}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
        {link.isError && (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
            Not linked: {describeError(link.error).message}
          </p>
        )}
      </div>
    </Dialog>
  );
}
