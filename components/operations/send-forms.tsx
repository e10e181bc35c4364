"use client";

import { useId, useState, type FormEvent } from "react";
import type { CreateOperationInput, DeviceOperationContext } from "@/lib/schemas/operations";
import { MAX_CONFIG_CHARS, MAX_SHELL_CHARS } from "@/lib/schemas/operations";
import { Field, describedBy } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

/** What every send form gets: its form id (the dialog's footer submits it), the device, and field errors. */
export interface SendFormProps {
  formId: string;
  context: DeviceOperationContext;
  errors: Record<string, string>;
  onSubmit: (input: CreateOperationInput) => void;
  /** For a bulk operation: every device gets the same operation, so nothing is said about one device's state. */
  fleet?: boolean;
}

const submitWith = (fn: () => void) => (e: FormEvent) => {
  e.preventDefault();
  fn();
};

export function RestartForm({ formId, context, onSubmit }: SendFormProps) {
  return (
    <form id={formId} onSubmit={submitWith(() => onSubmit({ kind: "restart" }))}>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {context.name ?? "The device"} restarts and is unreachable for a while.
        {context.agent?.isSelf ? " Its child devices go offline with it." : ""}
      </p>
    </form>
  );
}

export function ConfigurationForm({ formId, context, errors, onSubmit, fleet }: SendFormProps) {
  const id = useId();
  const [config, setConfig] = useState(context.current.configuration ?? "");
  const hint = fleet
    ? "Every device replaces its whole configuration (c8y_Configuration) with this text."
    : context.current.configuration === null
      ? "The device reports no configuration yet (c8y_Configuration): write the complete text."
      : "Prefilled with the device's current configuration (c8y_Configuration). The device replaces its whole configuration with this text.";
  return (
    <form id={formId} onSubmit={submitWith(() => onSubmit({ kind: "configuration", config }))}>
      <Field id={id} label="Configuration" hint={hint} error={errors.config}>
        <Textarea
          id={id}
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          rows={12}
          maxLength={MAX_CONFIG_CHARS}
          spellCheck={false}
          className="text-xs"
          aria-invalid={!!errors.config || undefined}
          aria-describedby={describedBy(id, { hint, error: errors.config })}
        />
      </Field>
    </form>
  );
}

export function FirmwareForm({ formId, context, errors, onSubmit, fleet }: SendFormProps) {
  const id = useId();
  const current = context.current.firmware;
  const [name, setName] = useState(current?.name ?? "");
  const [version, setVersion] = useState("");
  const [url, setUrl] = useState("");
  const field = (
    key: "name" | "version" | "url",
    label: string,
    value: string,
    set: (v: string) => void,
    extra: object = {},
  ) => (
    <Field id={`${id}-${key}`} label={label} error={errors[key]}>
      <Input
        id={`${id}-${key}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={!!errors[key] || undefined}
        aria-describedby={describedBy(`${id}-${key}`, { error: errors[key] })}
        {...extra}
      />
    </Field>
  );
  return (
    <form
      id={formId}
      className="flex flex-col gap-3"
      onSubmit={submitWith(() => onSubmit({ kind: "firmware", name, version, url }))}
    >
      {!fleet && (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {current
            ? `Installed now: ${current.name} ${current.version}.`
            : "The device reports no firmware (c8y_Firmware)."}
        </p>
      )}
      {field("name", "Firmware name", name, setName, { maxLength: 256 })}
      {field("version", "Version", version, setVersion, { maxLength: 128, placeholder: "e.g. 2.4.1" })}
      {field("url", "Download URL", url, setUrl, { type: "url", maxLength: 2048, placeholder: "https://…" })}
    </form>
  );
}

export function ShellForm({ formId, errors, onSubmit }: SendFormProps) {
  const id = useId();
  const [command, setCommand] = useState("");
  const hint = "Runs on the device's agent; its output comes back with the result.";
  return (
    <form id={formId} onSubmit={submitWith(() => onSubmit({ kind: "shell", command }))}>
      <Field id={id} label="Command" hint={hint} error={errors.command}>
        <Input
          id={id}
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          maxLength={MAX_SHELL_CHARS}
          placeholder="e.g. uname -a"
          spellCheck={false}
          autoComplete="off"
          className="font-mono"
          aria-invalid={!!errors.command || undefined}
          aria-describedby={describedBy(id, { hint, error: errors.command })}
        />
      </Field>
    </form>
  );
}
