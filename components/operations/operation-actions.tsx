"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, RotateCcw, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { rerunOperation, storeOperation } from "@/lib/queries/operations";
import type { OperationDto } from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { operationLabel } from "./labels";
import { OperationActionDialog, type OperationAction } from "./operation-action-dialog";
import { markStarted } from "./started-here";

/** What an operator can do with an operation in its current status: cancel, mark failed, or run again. */
export function OperationActions({ operation: op }: { operation: OperationDto }) {
  const canAdmin = useSessionUser().can.adminOperations;
  const [dialog, setDialog] = useState<OperationAction | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const label = operationLabel(op);
  const rerun = useMutation({
    mutationFn: () => rerunOperation(op.id),
    onSuccess: (created) => {
      storeOperation(queryClient, created, { created: true });
      markStarted(created, label);
      toast({ tone: "info", title: `${label} sent again`, description: `New operation ${created.id}.` });
    },
    onError: (error) =>
      toast({ tone: "error", title: `Could not re-run ${label}`, description: describeError(error).message }),
  });
  if (!canAdmin) return null;
  const name = `operation ${op.id}`;
  return (
    <div className="flex flex-wrap justify-end gap-1">
      {op.status === "PENDING" && (
        <Button size="sm" variant="ghost" onClick={() => setDialog("cancel")}>
          <Ban className="size-4" aria-hidden="true" />
          Cancel<span className="sr-only"> {name}</span>
        </Button>
      )}
      {op.status === "EXECUTING" && (
        <Button size="sm" variant="ghost" onClick={() => setDialog("fail")}>
          <TriangleAlert className="size-4" aria-hidden="true" />
          Mark failed<span className="sr-only">: {name}</span>
        </Button>
      )}
      {op.status === "FAILED" && (
        <Button size="sm" variant="ghost" onClick={() => rerun.mutate()} loading={rerun.isPending}>
          <RotateCcw className="size-4" aria-hidden="true" />
          Re-run<span className="sr-only"> {name}</span>
        </Button>
      )}
      <OperationActionDialog action={dialog} operation={op} onClose={() => setDialog(null)} />
    </div>
  );
}
