"use client";

import { KNOWN_FRAGMENT_SCHEMAS, type KnownFragmentName, type SoftwareItem } from "@/lib/fragments/known";
import { ConfigurationForm } from "./configuration-form";
import { FieldsForm, type FieldSpec } from "./fields-form";
import { SoftwareListForm } from "./software-list-form";
import { SoftwareMapForm } from "./software-map-form";
import { StringListForm, stringListProblem } from "./string-list-form";

const FIELDS: Partial<Record<KnownFragmentName, readonly FieldSpec[]>> = {
  c8y_Hardware: [
    { key: "model", label: "Model" },
    { key: "revision", label: "Revision" },
    { key: "serialNumber", label: "Serial number" },
  ],
  c8y_Mobile: [
    { key: "imei", label: "IMEI", hint: "The modem's 15-digit identity." },
    { key: "iccid", label: "ICCID", hint: "The SIM card's serial number." },
    { key: "imsi", label: "IMSI" },
    { key: "msisdn", label: "MSISDN (phone number)" },
    { key: "cellId", label: "Cell id" },
  ],
  c8y_Firmware: [
    { key: "name", label: "Name" },
    { key: "version", label: "Version" },
    { key: "url", label: "URL", type: "url", hint: "Where the image came from (optional)." },
  ],
};

/** Whether the form can show this value without losing anything: it must already have the fragment's shape. */
export function formFits(name: KnownFragmentName, value: unknown): boolean {
  return KNOWN_FRAGMENT_SCHEMAS[name].safeParse(value).success;
}

/** An empty value of the right shape, for adding a known fragment with its form. */
export function emptyKnownValue(name: KnownFragmentName): unknown {
  return name === "c8y_SupportedOperations" || name === "c8y_SoftwareList" ? [] : {};
}

/** The form of one known fragment. `onChange` gets the new value and, when it cannot be saved yet, why. */
export function KnownFragmentForm({
  name,
  idBase,
  value,
  onChange,
}: {
  name: KnownFragmentName;
  idBase: string;
  value: unknown;
  onChange: (next: unknown, problem: string | null) => void;
}) {
  const fields = FIELDS[name];
  const obj = (value ?? {}) as Record<string, unknown>;
  if (fields)
    return <FieldsForm idBase={idBase} fields={fields} value={obj} onChange={(v) => onChange(v, null)} />;
  switch (name) {
    case "c8y_Configuration":
      return <ConfigurationForm idBase={idBase} value={obj} onChange={(v) => onChange(v, null)} />;
    case "c8y_SupportedOperations":
      return (
        <StringListForm
          idBase={idBase}
          value={value as string[]}
          onChange={(v) => onChange(v, stringListProblem(v))}
        />
      );
    case "c8y_Software":
      return <SoftwareMapForm idBase={idBase} value={obj} onChange={onChange} />;
    case "c8y_SoftwareList":
      return <SoftwareListForm value={value as SoftwareItem[]} onChange={(v) => onChange(v, null)} />;
    default:
      return null;
  }
}
