"use client";

import { useQuery } from "@tanstack/react-query";
import type { HistoryDto } from "@/lib/schemas/audit";
import type { OperationDto } from "@/lib/schemas/operations";
import { operationQueries } from "@/lib/queries/operations";
import { ByUser, ChangeList, HistoryError, HistoryLoading, Time } from "./history-parts";
import { StatusIcon, statusLabel } from "./status-badge";
import { buildTimeline, formatDuration, type TimelineStep } from "./timeline-model";
import { useNow } from "./use-now";

function Step({ step }: { step: TimelineStep }) {
  const text = step.durationMs === null ? null : formatDuration(step.durationMs);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-0.5">
      {step.status ? (
        <>
          <StatusIcon status={step.status} still={!step.running} />
          <span className="w-24 font-medium text-slate-900 dark:text-slate-100">
            {statusLabel(step.status)}
          </span>
        </>
      ) : (
        <span className="w-28 pl-7 font-medium text-slate-900 dark:text-slate-100">Updated</span>
      )}{" "}
      <span className="text-slate-600 dark:text-slate-400">
        {step.at === null ? (
          "time not recorded yet"
        ) : (
          <>
            at <Time iso={step.at} />
          </>
        )}
      </span>{" "}
      <ByUser user={step.user} />{" "}
      {text !== null && (
        <span className="text-slate-700 tabular-nums dark:text-slate-300">
          {step.running ? `for ${text} so far` : `for ${text}`}
        </span>
      )}
      <ChangeList changes={step.changes.filter((c) => c.attribute !== "failureReason")} />
    </li>
  );
}

function Steps({ op, history }: { op: OperationDto; history: HistoryDto }) {
  const now = useNow(1000);
  const steps = buildTimeline(op, history, now);
  return (
    <>
      <ol className="flex flex-col gap-2" aria-label={`Timeline of operation ${op.id}`}>
        {steps.map((step) => (
          <Step key={step.key} step={step} />
        ))}
      </ol>
      {history.entries.length === 0 && (
        <p className="text-slate-600 dark:text-slate-400">
          The platform has no audit records of this operation: the tenant&apos;s retention rules may have
          removed them.
        </p>
      )}
      {history.truncated && (
        <p className="text-slate-600 dark:text-slate-400">
          Only the first {history.maxRecords} changes are shown.
        </p>
      )}
    </>
  );
}

/**
 * Each status with when it began, who set it and how long it lasted (from the platform's audit records, fetched
 * when the timeline is shown), then the failure reason and the command's output from the operation itself.
 */
export function OperationTimeline({ operation: op }: { operation: OperationDto }) {
  const history = useQuery(operationQueries.history(op.id));
  const extra = Object.entries(op.fragments).filter(([k]) => k !== "c8y_Command");
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="operation-timeline">
      {history.isPending ? (
        <HistoryLoading label={`Loading the history of operation ${op.id}…`} />
      ) : history.isError ? (
        <HistoryError error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <Steps op={op} history={history.data} />
      )}
      {op.failureReason !== null && (
        <section aria-label="Failure reason">
          <h4 className="font-medium text-slate-900 dark:text-slate-100">Failure reason</h4>
          <p
            className="mt-1 rounded-md bg-red-50 px-3 py-2 break-words whitespace-pre-wrap text-red-900 dark:bg-red-950 dark:text-red-100"
            data-testid="failure-reason"
          >
            {op.failureReason || "(empty)"}
          </p>
        </section>
      )}
      {op.command && (
        <section aria-label="Shell command">
          <h4 className="font-medium text-slate-900 dark:text-slate-100">Command</h4>
          <code className="mt-1 block rounded-md bg-slate-100 px-3 py-2 font-mono break-all dark:bg-slate-800">
            {op.command.text}
          </code>
          <h4 className="mt-3 font-medium text-slate-900 dark:text-slate-100">Result</h4>
          {op.command.result === null ? (
            <p className="mt-1 text-slate-600 dark:text-slate-400">
              No output yet: the device has not answered.
            </p>
          ) : (
            <pre
              className="mt-1 max-h-80 overflow-auto rounded-md bg-slate-950 px-3 py-2 font-mono text-xs whitespace-pre-wrap text-slate-100"
              data-testid="command-result"
            >
              {op.command.result || "(no output)"}
            </pre>
          )}
        </section>
      )}
      {extra.length > 0 && (
        <details>
          <summary className="cursor-pointer font-medium text-slate-900 dark:text-slate-100">Payload</summary>
          <pre className="mt-1 max-h-80 overflow-auto rounded-md bg-slate-100 px-3 py-2 font-mono text-xs dark:bg-slate-800">
            {JSON.stringify(Object.fromEntries(extra), null, 2)}
          </pre>
        </details>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Times and users come from the platform&apos;s audit records, so changes made elsewhere (by the device,
        another operator or a script) show here too.
      </p>
    </div>
  );
}
