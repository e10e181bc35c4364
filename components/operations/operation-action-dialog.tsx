"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { cancelOperation, failOperation, operationKeys, storeOperation } from "@/lib/queries/operations";
import type { OperationDto } from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { Field, describedBy } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { operationLabel } from "./labels";

export type OperationAction = "cancel" | "fail";

const TEXT = {
  cancel: {
    title: (id: string) => `Cancel operation ${id}?`,
    body: "It becomes Failed with “Cancelled by” and your name, and the device will not run it. If the device has picked it up meanwhile, the cancel is refused.",
    reasonLabel: "Reason (optional)",
    confirm: "Cancel operation",
    done: "cancelled",
  },
  fail: {
    title: (id: string) => `Mark operation ${id} failed?`,
    body: "Use this when the device will never report back (it was replaced, reset or lost its state). The operation becomes Failed with your reason; a late report from the device may then be refused.",
    reasonLabel: "Why it failed",
    confirm: "Mark failed",
    done: "marked failed",
  },
} as const;

/** Asks for the reason and confirms cancelling a pending operation or failing a stuck executing one. */
export function OperationActionDialog({
  action,
  operation,
  onClose,
}: {
  action: OperationAction | null;
  operation: OperationDto;
  onClose: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const text = TEXT[action ?? "cancel"];
  const mutation = useMutation({
    mutationFn: () =>
      action === "fail"
        ? failOperation(operation.id, reason.trim())
        : cancelOperation(operation.id, reason.trim()),
    onSuccess: (updated) => {
      storeOperation(queryClient, updated);
      toast({ tone: "success", title: `${operationLabel(updated)} ${text.done}` });
      close();
    },
    onError: (error) => {
      setProblem(describeError(error).message);
      // The operation moved on (409) or vanished: show what it is now.
      void queryClient.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
  const close = () => {
    setReason("");
    setProblem(null);
    mutation.reset();
    onClose();
  };
  const submit = () => {
    if (action === "fail" && reason.trim() === "") return setProblem("Enter why the operation failed.");
    setProblem(null);
    mutation.mutate();
  };
  return (
    <Dialog
      open={action !== null}
      onClose={() => !mutation.isPending && close()}
      role="alertdialog"
      title={text.title(operation.id)}
      description={`${operationLabel(operation)}. ${text.body}`}
      footer={
        <>
          <Button onClick={close} disabled={mutation.isPending}>
            Keep it
          </Button>
          <Button variant="danger" onClick={submit} loading={mutation.isPending}>
            {text.confirm}
          </Button>
        </>
      }
    >
      <Field id={id} label={text.reasonLabel} error={problem}>
        <Textarea
          id={id}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={action === "fail" ? 2000 : 500}
          rows={3}
          className="font-sans"
          aria-invalid={problem !== null || undefined}
          aria-describedby={describedBy(id, { error: problem })}
        />
      </Field>
    </Dialog>
  );
}
