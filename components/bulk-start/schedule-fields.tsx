"use client";

import { useId } from "react";
import { MAX_CREATION_RAMP_S, MAX_NOTE_CHARS, MIN_CREATION_RAMP_S } from "@/lib/schemas/bulk-create";
import { Field, describedBy } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { rampDuration, type ScheduleDraft } from "./schedule";

/** When it starts, how fast it reaches the devices (one every N seconds), and a note for the record. */
export function ScheduleFields({
  draft,
  onChange,
  errors,
  devices,
}: {
  draft: ScheduleDraft;
  onChange: (patch: Partial<ScheduleDraft>) => void;
  errors: Record<string, string>;
  /** From the dry run, for the duration estimate. */
  devices: number | null;
}) {
  const id = useId();
  const atId = `${id}-at`;
  const rampId = `${id}-ramp`;
  const noteId = `${id}-note`;
  const duration = devices === null ? null : rampDuration(devices, Number(draft.ramp.replace(",", ".")));
  const rampHint = `One device every this many seconds (${MIN_CREATION_RAMP_S}–${MAX_CREATION_RAMP_S}), so the fleet is not hit at once.${duration ? ` Reaching all ${devices} devices takes about ${duration}.` : ""}`;
  return (
    <div className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Start</legend>
        <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm text-slate-800 dark:text-slate-200">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-when`}
              className="size-4"
              checked={draft.when === "now"}
              onChange={() => onChange({ when: "now" })}
            />
            Now
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-when`}
              className="size-4"
              checked={draft.when === "later"}
              onChange={() => onChange({ when: "later" })}
            />
            Later
          </label>
        </div>
        {draft.when === "later" && (
          <Field id={atId} label="Start time (your local time)" error={errors.startDate}>
            <Input
              id={atId}
              type="datetime-local"
              value={draft.at}
              onChange={(e) => onChange({ at: e.target.value })}
              aria-invalid={!!errors.startDate || undefined}
              aria-describedby={describedBy(atId, { error: errors.startDate })}
              className="max-w-64"
            />
          </Field>
        )}
        {draft.when === "now" && errors.startDate && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {errors.startDate}
          </p>
        )}
      </fieldset>
      <Field id={rampId} label="Seconds between two devices" hint={rampHint} error={errors.creationRamp}>
        <Input
          id={rampId}
          inputMode="decimal"
          value={draft.ramp}
          onChange={(e) => onChange({ ramp: e.target.value })}
          aria-invalid={!!errors.creationRamp || undefined}
          aria-describedby={describedBy(rampId, { hint: rampHint, error: errors.creationRamp })}
          className="max-w-32"
        />
      </Field>
      <Field id={noteId} label="Note (optional)" error={errors.note}>
        <Textarea
          id={noteId}
          value={draft.note}
          onChange={(e) => onChange({ note: e.target.value })}
          rows={2}
          maxLength={MAX_NOTE_CHARS}
          className="min-h-12 font-sans"
          aria-invalid={!!errors.note || undefined}
          aria-describedby={describedBy(noteId, { error: errors.note })}
        />
      </Field>
    </div>
  );
}
