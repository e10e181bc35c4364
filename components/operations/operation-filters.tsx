"use client";

import { useEffect, useId, useState } from "react";
import {
  KNOWN_OPERATION_TYPES,
  OPERATION_STATUSES,
  deviceRefSchema,
  operationTypeLabel,
  type OperationListQuery,
  type OperationStatus,
} from "@/lib/schemas/operations";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { statusLabel } from "./status-badge";

type Change = (patch: Partial<OperationListQuery>, options?: { replace?: boolean }) => void;

/** Status, type and (on the fleet page) device filters. */
export function OperationFilters({
  query,
  onChange,
  deviceFilter,
}: {
  query: OperationListQuery;
  onChange: Change;
  deviceFilter: boolean;
}) {
  const statusId = useId();
  const typeId = useId();
  const deviceId = useId();
  const types =
    query.type && !KNOWN_OPERATION_TYPES.includes(query.type)
      ? [...KNOWN_OPERATION_TYPES, query.type]
      : KNOWN_OPERATION_TYPES;
  return (
    <div className="flex flex-wrap items-end gap-3 px-4 pt-4">
      <div className="flex flex-col gap-1">
        <label htmlFor={statusId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
          Status
        </label>
        <Select
          id={statusId}
          value={query.status ?? ""}
          onChange={(e) => onChange({ status: (e.target.value || undefined) as OperationStatus | undefined })}
        >
          <option value="">All statuses</option>
          {OPERATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={typeId} className="text-sm font-medium text-slate-800 dark:text-slate-200">
          Type
        </label>
        <Select
          id={typeId}
          value={query.type ?? ""}
          onChange={(e) => onChange({ type: e.target.value || undefined })}
        >
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {operationTypeLabel(t)}
            </option>
          ))}
        </Select>
      </div>
      {deviceFilter && <DeviceFilter id={deviceId} value={query.deviceId} onChange={onChange} />}
    </div>
  );
}

/** A device id typed in; applied once typing settles, and only when it is a valid id. */
function DeviceFilter({ id, value, onChange }: { id: string; value: string | undefined; onChange: Change }) {
  const [text, setText] = useState(value ?? "");
  const [seen, setSeen] = useState(value);
  // Back/forward changed the filter: show it.
  if (seen !== value) {
    setSeen(value);
    if ((value ?? "") !== text.trim()) setText(value ?? "");
  }
  const trimmed = text.trim();
  const valid = trimmed === "" || deviceRefSchema.safeParse(trimmed).success;
  useEffect(() => {
    if (!valid || trimmed === (value ?? "")) return;
    const timer = setTimeout(() => onChange({ deviceId: trimmed || undefined }, { replace: true }), 400);
    return () => clearTimeout(timer);
  }, [trimmed, valid, value, onChange]);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
        Device id
      </label>
      <Input
        id={id}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="e.g. 4200"
        className="w-40"
        maxLength={64}
        aria-invalid={!valid || undefined}
      />
    </div>
  );
}
