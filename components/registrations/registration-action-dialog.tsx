"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RegistrationDto, RegistrationStatus } from "@/lib/schemas/registrations";
import { registerIds, registrationKeys, removeRegistration } from "@/lib/queries/registrations";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import type { RowAction } from "./registration-row";

export interface ActionTarget {
  row: RegistrationDto;
  action: RowAction;
}

/** What removing a request means for the device, said before it happens. */
const REMOVE_CONSEQUENCE: Record<RegistrationStatus, string> = {
  WAITING_FOR_CONNECTION:
    "The platform stops expecting this device. If it connects later it stays unknown until its id is registered again.",
  PENDING_ACCEPTANCE:
    "The device's request is refused. It keeps asking unseen until its id is registered again.",
  ACCEPTED:
    "If the device has not collected its credentials yet, it never will; it would need to be registered again.",
  BLOCKED: "The blocked request is deleted. Register the id again to let the device start over.",
};

async function perform({ row, action }: ActionTarget) {
  await removeRegistration(row.id);
  if (action === "reset") {
    const [result] = await registerIds([row.id]);
    if (!result?.ok)
      throw new Error(`Removed, but registering it again failed: ${result?.error ?? "no answer"}`);
  }
}

/** Confirms and runs "remove" (any request) or "reset" (blocked: remove and register again). */
export function RegistrationActionDialog({
  target,
  onClose,
}: {
  target: ActionTarget | null;
  onClose: () => void;
}) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: perform,
    onSuccess: (_, { row, action }) =>
      toast({
        tone: "success",
        title: action === "reset" ? `${row.id} was reset` : `Registration ${row.id} removed`,
        description: action === "reset" ? "It is waiting for the device to connect again." : undefined,
      }),
    onError: (error, { row, action }) =>
      toast({
        tone: "error",
        title: `Could not ${action} ${row.id}`,
        description: describeError(error).message,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: registrationKeys.all }),
  });

  if (!target) return null;
  const { row, action } = target;
  const reset = action === "reset";
  return (
    <ConfirmDialog
      open
      title={reset ? `Reset ${row.id}?` : `Remove registration ${row.id}?`}
      confirmLabel={reset ? "Reset registration" : "Remove registration"}
      tone={reset ? "primary" : "danger"}
      pending={mutation.isPending}
      onCancel={onClose}
      onConfirm={() => mutation.mutate(target, { onSettled: onClose })}
    >
      {reset
        ? "The blocked request is deleted and the id registered again, so the device can ask for credentials afresh."
        : REMOVE_CONSEQUENCE[row.status]}
    </ConfirmDialog>
  );
}
