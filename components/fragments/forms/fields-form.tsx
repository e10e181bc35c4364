"use client";

import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { OtherKeysNote } from "./other-keys-note";

export interface FieldSpec {
  key: string;
  label: string;
  hint?: string;
  type?: "text" | "url";
}

/**
 * Text fields for an object fragment (c8y_Hardware, c8y_Mobile, c8y_Firmware). An emptied field removes its key
 * rather than storing "", and keys the form does not know are kept as they are.
 */
export function FieldsForm({
  idBase,
  fields,
  value,
  onChange,
}: {
  idBase: string;
  fields: readonly FieldSpec[];
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
}) {
  const known = new Set(fields.map((f) => f.key));
  const set = (key: string, text: string) => {
    const next = { ...value };
    if (text === "") delete next[key];
    else next[key] = text;
    onChange(next);
  };
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {fields.map((f) => {
        const id = `${idBase}-${f.key}`;
        const current = value[f.key];
        return (
          <Field key={f.key} id={id} label={f.label} hint={f.hint}>
            <Input
              id={id}
              type={f.type ?? "text"}
              value={typeof current === "string" ? current : ""}
              onChange={(e) => set(f.key, e.target.value)}
              aria-describedby={describedBy(id, { hint: f.hint })}
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        );
      })}
      <OtherKeysNote className="sm:col-span-2" keys={Object.keys(value).filter((k) => !known.has(k))} />
    </div>
  );
}
