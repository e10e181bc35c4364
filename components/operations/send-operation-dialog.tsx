"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { useId, useState, type ComponentType } from "react";
import { BffError } from "@/lib/queries/api-client";
import { operationQueries, sendOperation, storeOperation } from "@/lib/queries/operations";
import {
  KIND_LABELS,
  createOperationSchema,
  type CreateOperationInput,
  type DeviceOperationContext,
  type OperationKind,
} from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { ConnectionNote } from "./connection-note";
import { operationLabel } from "./labels";
import { OperationTimeline } from "./operation-timeline";
import { ConfigurationForm, FirmwareForm, RestartForm, ShellForm, type SendFormProps } from "./send-forms";
import { SoftwareForm } from "./software-form";
import { markStarted } from "./started-here";
import { OperationStatusBadge } from "./status-badge";

const FORMS: Record<OperationKind, ComponentType<SendFormProps>> = {
  restart: RestartForm,
  configuration: ConfigurationForm,
  software: SoftwareForm,
  firmware: FirmwareForm,
  shell: ShellForm,
};

/** Why sending needs a second thought, in the operator's words; empty when nothing is in the way. */
export function sendWarnings(context: DeviceOperationContext, kind: OperationKind): string[] {
  const name = context.name ?? `Device ${context.deviceId}`;
  const offer = context.offers.find((o) => o.kind === kind);
  const out: string[] = [];
  if (offer && !offer.supported)
    out.push(
      `${name} does not list ${offer.fragment} in its supported operations (${context.supportedOperations.join(", ") || "none"}). It will most likely refuse it: the operation then fails with the device's reason.`,
    );
  if (context.agent === null)
    out.push(
      `No agent is above ${name} in the device hierarchy (no com_cumulocity_model_Agent among it and its parents), so nothing picks the operation up: it would stay Pending.`,
    );
  return out;
}

/** One send: the form for the kind, warnings to confirm, and for shell commands the result once it is back. */
export function SendOperationDialog({
  kind,
  context,
  onClose,
}: {
  kind: OperationKind | null;
  context: DeviceOperationContext;
  onClose: () => void;
}) {
  const formId = useId();
  const confirmId = useId();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmed, setConfirmed] = useState(false);
  const [sentId, setSentId] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const warnings = kind ? sendWarnings(context, kind) : [];
  const sent = useQuery({ ...operationQueries.detail(sentId ?? ""), enabled: sentId !== null });
  const mutation = useMutation({
    mutationFn: (input: CreateOperationInput) => sendOperation(context.deviceId, input),
    onSuccess: (op) => {
      storeOperation(queryClient, op, { created: true });
      const label = operationLabel({ ...op, deviceName: op.deviceName ?? context.name });
      markStarted(op, label);
      if (op.type === "c8y_Command") return setSentId(op.id);
      toast({ tone: "info", title: `${label} sent`, description: "You will be told here when it finishes." });
      close();
    },
    onError: (error) => {
      if (error instanceof BffError && error.fields) setErrors(error.fields);
      else setErrors({ "(body)": describeError(error).message });
    },
  });
  function close() {
    setErrors({});
    setConfirmed(false);
    setSentId(null);
    mutation.reset();
    onClose();
  }
  const submit = (input: CreateOperationInput) => {
    if (warnings.length > 0 && !confirmed)
      return setErrors({ force: "Confirm that you want to send it anyway." });
    const parsed = createOperationSchema.safeParse({ ...input, force: warnings.length > 0 });
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        fields[issue.path.map(String).join(".") || "(body)"] ??= issue.message;
      return setErrors(fields);
    }
    setErrors({});
    mutation.mutate({ ...input, force: warnings.length > 0 });
  };
  if (!kind) return null;
  const Form = FORMS[kind];
  const op = sent.data?.operation;
  return (
    <Dialog
      open
      onClose={() => !mutation.isPending && close()}
      size={kind === "configuration" || kind === "software" || sentId ? "lg" : "md"}
      title={`${KIND_LABELS[kind]}: ${context.name ?? `device ${context.deviceId}`}`}
      description={
        sentId ? "Sent. The status and the output update here as the device works on it." : undefined
      }
      footer={
        sentId ? (
          <Button onClick={close}>Close</Button>
        ) : (
          <>
            <Button onClick={close} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form={formId} loading={mutation.isPending}>
              {warnings.length > 0 ? "Send anyway" : "Send"}
            </Button>
          </>
        )
      }
    >
      {sentId ? (
        <div className="flex flex-col gap-3" data-testid="sent-operation">
          {op ? (
            <>
              <div>
                <OperationStatusBadge status={op.status} />
              </div>
              <OperationTimeline operation={op} />
            </>
          ) : (
            <p className="text-sm text-slate-600">Operation {sentId} sent.</p>
          )}
        </div>
      ) : (
        <div className="flex flex-col gap-4">
          <ConnectionNote context={context} />
          {warnings.map((w) => (
            <p
              key={w}
              role="note"
              className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
            >
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              {w}
            </p>
          ))}
          <Form formId={formId} context={context} errors={errors} onSubmit={submit} />
          {warnings.length > 0 && (
            <label
              htmlFor={confirmId}
              className="flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200"
            >
              <Checkbox id={confirmId} checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              I understand; send it anyway
            </label>
          )}
          {(errors.force || errors["(body)"] || errors.kind) && (
            <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
              {errors.force ?? errors["(body)"] ?? errors.kind}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
