"use client";

import { describedBy, Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { OtherKeysNote } from "./other-keys-note";

/** c8y_Configuration: the configuration text as it is, line breaks included. */
export function ConfigurationForm({
  idBase,
  value,
  onChange,
}: {
  idBase: string;
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
}) {
  const id = `${idBase}-config`;
  const hint =
    "The device's current configuration. To send a new one to the device, use an operation instead.";
  return (
    <div className="flex flex-col gap-3">
      <Field id={id} label="Configuration text" hint={hint}>
        <Textarea
          id={id}
          rows={10}
          value={typeof value.config === "string" ? value.config : ""}
          onChange={(e) => onChange({ ...value, config: e.target.value })}
          aria-describedby={describedBy(id, { hint })}
          spellCheck={false}
          wrap="off"
        />
      </Field>
      <OtherKeysNote keys={Object.keys(value).filter((k) => k !== "config")} />
    </div>
  );
}
