"use client";

import { useEffect, useId, useState } from "react";
import {
  KNOWN_OPERATION_TYPES,
  deviceRefSchema,
  operationTypeLabel,
  type OperationListQuery,
} from "@/lib/schemas/operations";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { StatusFilter } from "./status-filter";

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
  const typeId = useId();
  const deviceId = useId();
  const types =
    query.type && !KNOWN_OPERATION_TYPES.includes(query.type)
      ? [...KNOWN_OPERATION_TYPES, query.type]
      : KNOWN_OPERATION_TYPES;
  return (
    <div className="flex flex-wrap items-end gap-3 px-4 pt-4">
      <StatusFilter value={query.status} onChange={(status) => onChange({ status })} />
      <Field id={typeId} label="Type">
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
      </Field>
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
    <Field id={id} label="Device id">
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
    </Field>
  );
}
