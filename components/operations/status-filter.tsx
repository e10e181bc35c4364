"use client";

import { useId } from "react";
import { OPERATION_STATUSES, type OperationStatus } from "@/lib/schemas/operations";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { statusLabel } from "./status-badge";

/** "Status": one operation status, or all of them (undefined). */
export function StatusFilter({
  value,
  onChange,
}: {
  value: OperationStatus | undefined;
  onChange: (status: OperationStatus | undefined) => void;
}) {
  const id = useId();
  return (
    <Field id={id} label="Status">
      <Select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange((e.target.value || undefined) as OperationStatus | undefined)}
      >
        <option value="">All statuses</option>
        {OPERATION_STATUSES.map((s) => (
          <option key={s} value={s}>
            {statusLabel(s)}
          </option>
        ))}
      </Select>
    </Field>
  );
}
