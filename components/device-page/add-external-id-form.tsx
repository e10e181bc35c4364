"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { BffError } from "@/lib/queries/api-client";
import { addExternalId, deviceKeys } from "@/lib/queries/device";

const TYPES = ["c8y_Serial", "c8y_MAC", "c8y_IMEI", "c8y_ICCID"];

/** The BFF's explanation of a refused binding: message, and the object that holds the id when known. */
function conflictOf(error: unknown): { message: string; boundTo?: string } | null {
  if (!(error instanceof BffError)) return null;
  if (error.code === "conflict") return { message: error.message, boundTo: error.fields?.boundTo };
  return { message: error.fields?.externalId ?? error.fields?.type ?? error.message };
}

/** Binds another external id; a duplicate says which device has it, with a link there. */
export function AddExternalIdForm({ deviceId }: { deviceId: string }) {
  const [type, setType] = useState("c8y_Serial");
  const [value, setValue] = useState("");
  const typeId = useId();
  const valueId = useId();
  const queryClient = useQueryClient();
  const toast = useToast();
  const add = useMutation({
    mutationFn: () => addExternalId(deviceId, { type: type.trim(), externalId: value.trim() }),
    onSuccess: (ext) => {
      toast({ tone: "success", title: `${ext.type} ${ext.externalId} bound to this device` });
      setValue("");
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: deviceKeys.identity(deviceId) }),
  });
  const problem = add.isError ? conflictOf(add.error) : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (type.trim() && value.trim()) add.mutate();
  };
  const errorNode = problem && (
    <>
      {problem.message}{" "}
      {problem.boundTo && problem.boundTo !== deviceId && (
        <Link href={`/devices/${encodeURIComponent(problem.boundTo)}?tab=identity`} className="underline">
          Open device {problem.boundTo}
        </Link>
      )}
    </>
  );
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" aria-label="Add external id">
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
        <Field id={typeId} label="Type">
          <Input
            id={typeId}
            value={type}
            list={`${typeId}-types`}
            onChange={(e) => setType(e.target.value)}
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <datalist id={`${typeId}-types`}>
          {TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <Field id={valueId} label="External id" error={errorNode}>
          <Input
            id={valueId}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              if (add.isError) add.reset();
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy(valueId, { error: errorNode })}
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Button
          type="submit"
          variant="primary"
          loading={add.isPending}
          disabled={!type.trim() || !value.trim()}
          className="sm:mt-7"
        >
          Add
        </Button>
      </div>
    </form>
  );
}
