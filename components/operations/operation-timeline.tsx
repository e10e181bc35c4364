"use client";

import type { OperationDto } from "@/lib/schemas/operations";
import { StatusIcon, statusLabel } from "./status-badge";
import { buildTimeline, formatDuration, type TimelineStep } from "./timeline-model";
import { useNow } from "./use-now";

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

function When({ step }: { step: TimelineStep }) {
  if (step.at === null) return <span>time not observed</span>;
  const time = <time dateTime={step.at}>{formatTime(step.at)}</time>;
  if (step.exact) return <span>at {time}</span>;
  return (
    <span>
      seen by {time}
      {step.after && (
        <>
          {" "}
          (began after <time dateTime={step.after}>{formatTime(step.after)}</time>)
        </>
      )}
    </span>
  );
}

function Duration({ step }: { step: TimelineStep }) {
  if (step.durationMs === null) return null;
  const text = `${step.approximate ? "≈ " : ""}${formatDuration(step.durationMs)}`;
  return (
    <span className="text-slate-700 tabular-nums dark:text-slate-300">
      {step.running ? `for ${text} so far` : `for ${text}`}
    </span>
  );
}

/** Each status with when it began and how long it lasted, then the failure reason and the command's output. */
export function OperationTimeline({ operation: op }: { operation: OperationDto }) {
  const now = useNow(1000);
  const steps = buildTimeline(op, now);
  const extra = Object.entries(op.fragments).filter(([k]) => k !== "c8y_Command");
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="operation-timeline">
      <ol className="flex flex-col gap-2" aria-label={`Timeline of operation ${op.id}`}>
        {steps.map((step) => (
          <li key={step.status} className="flex flex-wrap items-center gap-x-3 gap-y-0.5">
            <StatusIcon status={step.status} still={!step.running} />
            <span className="w-24 font-medium text-slate-900 dark:text-slate-100">
              {statusLabel(step.status)}
            </span>
            <span className="text-slate-600 dark:text-slate-400">
              <When step={step} />
            </span>
            <Duration step={step} />
          </li>
        ))}
      </ol>
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
        The platform records only when an operation was created. Later times are when this console saw the
        change: exact when it saw it happen live, otherwise the first time it noticed it (≈).
      </p>
    </div>
  );
}
