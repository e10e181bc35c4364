"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { addToGroup, deviceTreeKeys, deviceTreeQueries } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { Input } from "@/components/ui/input";
import { MemberResults } from "./member-results";
import { KIND_LABEL, displayName } from "./node-kind";

/** Finds devices (by name, id or external id) and adds the chosen ones to the group. */
export function AddDevicesDialog({ group, onClose }: { group: TreeNodeDto; onClose: () => void }) {
  const id = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [chosen, setChosen] = useState<Map<string, string>>(new Map());
  const search = useQuery(deviceTreeQueries.search(q));
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => addToGroup(group.id, { ids: [...chosen.keys()] }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all }),
  });
  const candidates = (search.data?.items ?? []).filter((h) => h.kind !== "group" && h.id !== group.id);
  const toggle = (hit: TreeNodeDto, on: boolean) =>
    setChosen((prev) => {
      const next = new Map(prev);
      if (on) next.set(hit.id, displayName(hit));
      else next.delete(hit.id);
      return next;
    });
  const find = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
  };
  return (
    <Dialog
      open
      size="lg"
      onClose={() => !mutation.isPending && onClose()}
      title={`Add devices to ${displayName(group)}`}
      description="Find devices by name, id or external id and tick the ones to add. Devices stay in their other groups."
      footer={
        <>
          <Button onClick={onClose} disabled={mutation.isPending}>
            {mutation.isSuccess ? "Close" : "Cancel"}
          </Button>
          <Button
            variant="primary"
            disabled={chosen.size === 0 || mutation.isSuccess}
            loading={mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            Add {chosen.size > 0 ? chosen.size : ""} to group
          </Button>
        </>
      }
    >
      <form role="search" aria-label="Devices to add" onSubmit={find} className="flex items-end gap-2">
        <div className="flex flex-1 flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            Find devices
          </label>
          <Input
            id={id}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
          />
        </div>
        <Button type="submit" loading={search.isLoading}>
          Find
        </Button>
      </form>
      {q && !search.isPending && (
        <fieldset className="mt-3">
          <legend className="text-sm text-slate-600 dark:text-slate-400">
            {candidates.length === 0 ? `No devices found for “${q}”.` : `Devices found for “${q}”`}
          </legend>
          <ul className="mt-1 max-h-56 overflow-auto">
            {candidates.map((hit) => (
              <li key={hit.id}>
                <label className="flex items-center gap-2 py-1 text-sm">
                  <Checkbox checked={chosen.has(hit.id)} onChange={(e) => toggle(hit, e.target.checked)} />
                  <span className="font-medium">{displayName(hit)}</span>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {KIND_LABEL[hit.kind]} · id {hit.id}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {search.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(search.error).message}
        </p>
      )}
      <div className="mt-3">
        {mutation.data && <MemberResults results={mutation.data} names={chosen} />}
        {mutation.isError && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {describeError(mutation.error).message}
          </p>
        )}
      </div>
    </Dialog>
  );
}
