"use client";

import { useId, type ComponentType } from "react";
import {
  KIND_FRAGMENTS,
  KIND_LABELS,
  OPERATION_KINDS,
  type CreateOperationInput,
  type OperationKind,
} from "@/lib/schemas/operations";
import {
  ConfigurationForm,
  FirmwareForm,
  RestartForm,
  ShellForm,
  type SendFormProps,
} from "@/components/operations/send-forms";
import { SoftwareForm } from "@/components/operations/software-form";
import { Select } from "@/components/ui/select";
import { FLEET_CONTEXT } from "./fleet-context";

const FORMS: Record<OperationKind, ComponentType<SendFormProps>> = {
  restart: RestartForm,
  configuration: ConfigurationForm,
  software: SoftwareForm,
  firmware: FirmwareForm,
  shell: ShellForm,
};

/** The kind of operation, then its form: the same forms as for one device, in their fleet wording. */
export function OperationPicker({
  kind,
  onKind,
  formId,
  errors,
  onSubmit,
}: {
  kind: OperationKind;
  onKind: (kind: OperationKind) => void;
  formId: string;
  errors: Record<string, string>;
  onSubmit: (input: CreateOperationInput) => void;
}) {
  const id = useId();
  const Form = FORMS[kind];
  return (
    <>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
          Operation
        </label>
        <Select
          id={id}
          value={kind}
          onChange={(e) => onKind(e.target.value as OperationKind)}
          className="max-w-64"
        >
          {OPERATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]} ({KIND_FRAGMENTS[k][0]})
            </option>
          ))}
        </Select>
      </div>
      <Form key={kind} formId={formId} context={FLEET_CONTEXT} errors={errors} onSubmit={onSubmit} fleet />
    </>
  );
}
