"use client";

import { useId } from "react";
import { BULK_GENERAL_STATUSES, type BulkListQuery } from "@/lib/schemas/bulk-operations";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { bulkStatusLabel } from "./bulk-status-badge";

type Change = (patch: Partial<BulkListQuery>) => void;

/** General status (any of several), start date range, and whether cancelled ones show. */
export function BulkFilters({ query, onChange }: { query: BulkListQuery; onChange: Change }) {
  const fromId = useId();
  const toId = useId();
  const deletedId = useId();
  const toggle = (s: (typeof BULK_GENERAL_STATUSES)[number]) =>
    onChange({
      generalStatus: query.generalStatus.includes(s)
        ? query.generalStatus.filter((x) => x !== s)
        : [...query.generalStatus, s],
    });
  return (
    <div className="flex flex-wrap items-end gap-4 px-4 pt-4">
      <fieldset className="flex basis-full flex-col gap-1">
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Status</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {BULK_GENERAL_STATUSES.map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
              <Checkbox checked={query.generalStatus.includes(s)} onChange={() => toggle(s)} />
              {bulkStatusLabel(s)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field id={fromId} label="Starts from">
        <Input
          id={fromId}
          type="date"
          value={query.dateFrom?.slice(0, 10) ?? ""}
          onChange={(e) => onChange({ dateFrom: e.target.value || undefined })}
        />
      </Field>
      <Field id={toId} label="Starts before">
        <Input
          id={toId}
          type="date"
          value={query.dateTo?.slice(0, 10) ?? ""}
          onChange={(e) => onChange({ dateTo: e.target.value || undefined })}
        />
      </Field>
      <label
        htmlFor={deletedId}
        className="flex items-center gap-1.5 pb-2 text-sm text-slate-700 dark:text-slate-300"
      >
        <Checkbox
          id={deletedId}
          checked={query.withDeleted}
          onChange={(e) => onChange({ withDeleted: e.target.checked })}
        />
        Show cancelled
      </label>
    </div>
  );
}
