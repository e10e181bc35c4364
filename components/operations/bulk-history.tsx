"use client";

import { useQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import type { HistoryEntry } from "@/lib/schemas/audit";
import { bulkOperationQueries } from "@/lib/queries/operations";
import { EmptyState } from "@/components/ui/empty-state";
import { ByUser, ChangeList, HistoryError, HistoryLoading, Time } from "./history-parts";

/** The vendor UI's names for a bulk operation's general status (docs/platform-fleet.md §1). */
const GENERAL_STATUS_LABELS: Record<string, string> = {
  SCHEDULED: "Scheduled",
  EXECUTING: "Executing",
  EXECUTING_WITH_ERROR: "Executing with errors",
  EXECUTING_WITH_ERRORS: "Executing with errors",
  SUCCESSFUL: "Completed successfully",
  FAILED: "Completed with failures",
  CANCELED: "Canceled",
};

const generalStatusLabel = (status: string) => GENERAL_STATUS_LABELS[status] ?? status;

function Entry({ entry }: { entry: HistoryEntry }) {
  return (
    <li className="flex flex-col gap-0.5 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
        <span className="font-medium text-slate-900 dark:text-slate-100">{entry.activity}</span>{" "}
        <span className="text-slate-600 dark:text-slate-400">
          at <Time iso={entry.time} />
        </span>{" "}
        <ByUser user={entry.user} />
      </div>
      {entry.status !== null && (
        <div className="text-slate-700 dark:text-slate-300">
          {entry.previousStatus !== null && `${generalStatusLabel(entry.previousStatus)} → `}
          <span className="font-medium">{generalStatusLabel(entry.status)}</span>
        </div>
      )}
      <ChangeList changes={entry.changes} />
    </li>
  );
}

/**
 * Every change of a bulk operation (created, rescheduled, edited, its general status over time, cancelled), oldest
 * first, each with its time and who made it: the platform's audit records, as the vendor UI's "History of changes"
 * shows them (docs/platform-fleet.md §1). Refreshed every few seconds until the bulk operation is done.
 */
export function BulkHistory({ bulkOperationId }: { bulkOperationId: string }) {
  const history = useQuery(bulkOperationQueries.history(bulkOperationId));
  return (
    <section
      aria-label={`History of bulk operation ${bulkOperationId}`}
      className="flex flex-col gap-3 text-sm"
      data-testid="bulk-history"
    >
      {history.isPending ? (
        <HistoryLoading label={`Loading the history of bulk operation ${bulkOperationId}…`} />
      ) : history.isError ? (
        <HistoryError error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.entries.length === 0 ? (
        <EmptyState icon={<History className="size-6" />} title="No recorded changes">
          The platform has no audit records of this bulk operation (the tenant&apos;s retention rules may have
          removed them). Changes from now on appear here as the platform records them.
        </EmptyState>
      ) : (
        <>
          <ol className="flex flex-col gap-3" aria-label={`Changes of bulk operation ${bulkOperationId}`}>
            {history.data.entries.map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </ol>
          {history.data.truncated && (
            <p className="text-slate-600 dark:text-slate-400">
              Only the first {history.data.maxRecords} changes are shown.
            </p>
          )}
        </>
      )}
    </section>
  );
}
