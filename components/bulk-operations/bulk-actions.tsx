"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { cancelBulk, markBulkSuccessful, storeBulk } from "@/lib/queries/bulk-operations";
import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { ActionButton, NO_ADMIN_ROLE } from "./action-button";
import { ScheduleDialog } from "./schedule-dialog";

type Dialog = "cancel" | "schedule" | "successful" | null;

/** Cancel, edit schedule, mark successful: each disabled with the reason when the platform would refuse it. */
export function BulkActions({ bulk }: { bulk: BulkOperationDto }) {
  const admin = useSessionUser().can.adminBulkOperations;
  const [dialog, setDialog] = useState<Dialog>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const name = `bulk operation #${bulk.id}`;
  const onError = (title: string) => (error: unknown) =>
    toast({ tone: "error", title, description: describeError(error).message });
  const cancel = useMutation({
    mutationFn: () => cancelBulk(bulk.id),
    onSuccess: (dto) => {
      storeBulk(queryClient, dto);
      setDialog(null);
      toast({ tone: "success", title: `Cancelled ${name}` });
    },
    onError: onError(`Could not cancel ${name}`),
  });
  const successful = useMutation({
    mutationFn: () => markBulkSuccessful(bulk.id),
    onSuccess: (dto) => {
      storeBulk(queryClient, dto);
      setDialog(null);
      toast({ tone: "success", title: `Marked ${name} successful` });
    },
    onError: onError(`Could not mark ${name} successful`),
  });
  const why = (allowed: boolean, reason: string) => (!admin ? NO_ADMIN_ROLE : allowed ? null : reason);
  return (
    <div className="flex flex-wrap items-start gap-3">
      <ActionButton
        variant="danger"
        unavailable={why(
          bulk.can.cancel,
          "Only a scheduled bulk operation, or one still creating operations, can be cancelled.",
        )}
        onClick={() => setDialog("cancel")}
      >
        Cancel bulk operation
      </ActionButton>
      <ActionButton
        unavailable={why(
          bulk.can.editSchedule,
          "The schedule can only change before the bulk operation starts.",
        )}
        onClick={() => setDialog("schedule")}
      >
        Edit schedule
      </ActionButton>
      <ActionButton
        unavailable={why(
          bulk.can.markSuccessful,
          bulk.generalStatus === "SUCCESSFUL"
            ? "Already successful."
            : "Possible once every device's operation has been created.",
        )}
        onClick={() => setDialog("successful")}
      >
        Mark successful
      </ActionButton>
      <ConfirmDialog
        open={dialog === "cancel"}
        title={`Cancel ${name}?`}
        confirmLabel="Cancel bulk operation"
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setDialog(null)}
      >
        No further operations are created. The{" "}
        {bulk.progress.pending + bulk.progress.executing + bulk.progress.successful + bulk.progress.failed}{" "}
        operations already created stay as they are.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "successful"}
        title={`Mark ${name} successful?`}
        confirmLabel="Mark successful"
        tone="primary"
        pending={successful.isPending}
        onConfirm={() => successful.mutate()}
        onCancel={() => setDialog(null)}
      >
        Its status becomes “Completed successfully” whatever its {bulk.progress.failed} failed operations say.
        The operations themselves do not change.
      </ConfirmDialog>
      {dialog === "schedule" && <ScheduleDialog bulk={bulk} open onClose={() => setDialog(null)} />}
    </div>
  );
}
