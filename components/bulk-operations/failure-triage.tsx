"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { bulkQueries, retryBulk, storeBulk } from "@/lib/queries/bulk-operations";
import type { BulkOperationDto, FailureGroup } from "@/lib/schemas/bulk-operations";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { ActionButton, NO_ADMIN_ROLE } from "./action-button";
import { FailureGroupCard, whyNotRetry } from "./failure-group-card";

/** What a retry targets: one failure group, or every failed device. */
type Target = { kind: "group"; group: FailureGroup } | { kind: "all" } | null;

/**
 * Failure triage: the failed devices grouped by failure reason, largest group first, each with its devices and
 * "Retry these"; "Retry all failed" above them. A retry creates a new bulk operation and opens it.
 */
export function FailureTriage({
  bulk,
  retryAllAsked = false,
  onRetryAllHandled,
}: {
  bulk: BulkOperationDto;
  /** The page asked for "Retry all failed" (from the command palette): open its confirmation. */
  retryAllAsked?: boolean;
  onRetryAllHandled?: () => void;
}) {
  const admin = useSessionUser().can.adminBulkOperations;
  const failures = useQuery(bulkQueries.failures(bulk.id));
  const [target, setTarget] = useState<Target>(retryAllAsked ? { kind: "all" } : null);
  // A request that arrives while the tab is already open (React's "adjust state on a prop change" pattern).
  const [asked, setAsked] = useState(retryAllAsked);
  if (retryAllAsked !== asked) {
    setAsked(retryAllAsked);
    if (retryAllAsked) setTarget({ kind: "all" });
  }
  const close = () => {
    setTarget(null);
    onRetryAllHandled?.();
  };
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const retry = useMutation({
    mutationFn: (reason: string | undefined) => retryBulk(bulk.id, reason),
    onSuccess: (created) => {
      storeBulk(queryClient, created);
      close();
      toast({ tone: "success", title: `Retry scheduled as bulk operation #${created.id}` });
      router.push(`/operations/bulk/${encodeURIComponent(created.id)}`);
    },
    onError: (error) =>
      toast({ tone: "error", title: "The retry was refused", description: describeError(error).message }),
  });
  const noFailures = bulk.progress.failed === 0;
  const why = !admin ? NO_ADMIN_ROLE : noFailures ? "No operation has failed." : null;

  let content;
  if (failures.isPending) content = <TableSkeleton rows={3} columns={2} label="Loading failures…" />;
  else if (failures.isError && !failures.data)
    content = (
      <ErrorState
        error={failures.error}
        title="Failures could not be loaded"
        onRetry={() => void failures.refetch()}
      />
    );
  else if (failures.data.groups.length === 0)
    content = (
      <EmptyState icon={<CircleCheck className="size-6" />} title="No failed operations">
        Devices whose operation fails are grouped here by the reason they gave, ready to be retried.
      </EmptyState>
    );
  else
    content = (
      <ul className="flex flex-col gap-3 p-4" aria-label="Failure groups, largest first">
        {failures.data.groups.map((g) => (
          <FailureGroupCard
            key={g.reason}
            group={g}
            unavailable={whyNotRetry(g, admin)}
            onRetry={() => setTarget({ kind: "group", group: g })}
          />
        ))}
      </ul>
    );

  const groupCount = target?.kind === "group" ? target.group.count : bulk.progress.failed;
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-3 px-4 pt-4">
        <p className="max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          {failures.data?.truncated
            ? `The first ${failures.data.read} of ${failures.data.failed} failed operations, grouped by reason.`
            : "Failed operations grouped by the reason the devices gave, largest group first."}
        </p>
        <ActionButton unavailable={why} onClick={() => setTarget({ kind: "all" })}>
          Retry all failed
        </ActionButton>
      </div>
      {content}
      <ConfirmDialog
        open={target !== null}
        tone="primary"
        title={
          target?.kind === "group"
            ? `Retry ${groupCount} device${groupCount === 1 ? "" : "s"} that failed with “${target.group.reason || "no reason"}”?`
            : `Retry every failed device of bulk operation #${bulk.id}?`
        }
        confirmLabel="Retry"
        pending={retry.isPending}
        onConfirm={() => retry.mutate(target?.kind === "group" ? target.group.reason : undefined)}
        onCancel={close}
      >
        A new bulk operation sends “{bulk.description ?? "the same operation"}” to{" "}
        {target?.kind === "group"
          ? "exactly these devices"
          : `the ${groupCount} devices whose operation failed`}
        , starting now with the same delay. This bulk operation stays as it is.
      </ConfirmDialog>
    </div>
  );
}
