"use client";

import { X } from "lucide-react";
import { useId } from "react";
import type { ChunkedRunState } from "@/lib/queries/use-chunked-run";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { RowResultsTable } from "./row-results-table";

const fmt = (n: number) => n.toLocaleString("en");

/** One sentence on where a run stands; also what the live region announces. */
export function runSummary(state: ChunkedRunState): string {
  const ok = state.results.filter((r) => r.ok).length;
  const failed = state.results.length - ok;
  if (state.phase === "running") {
    const base = `${fmt(state.done)} of ${fmt(state.total)} done: ${fmt(ok)} ${state.verb}, ${fmt(failed)} failed.`;
    return state.cancelRequested ? `${base} Cancelling: waiting for the requests already sent.` : base;
  }
  const stopped =
    state.notSent.length === 0
      ? ""
      : ` ${fmt(state.notSent.length)} not sent (${state.stoppedBy === "cancel" ? "cancelled" : "stopped after an error"}).`;
  return `Finished: ${fmt(ok)} ${state.verb}, ${fmt(failed)} failed.${stopped}`;
}

/** Progress, cancel and per-id results of a bulk accept or register. */
export function BulkRunPanel({
  state,
  onCancel,
  onDismiss,
}: {
  state: ChunkedRunState;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const titleId = useId();
  if (state.phase === "idle") return null;
  const running = state.phase === "running";
  return (
    <Card aria-labelledby={titleId} className="mb-6">
      <CardHeader
        titleId={titleId}
        title={state.label}
        actions={
          running ? (
            <Button onClick={onCancel} disabled={state.cancelRequested}>
              {state.cancelRequested ? "Cancelling…" : "Cancel"}
            </Button>
          ) : (
            <Button variant="ghost" onClick={onDismiss}>
              <X className="size-4" aria-hidden="true" />
              Close results
            </Button>
          )
        }
      />
      <CardBody className="flex flex-col gap-4">
        <div className="flex flex-col gap-2">
          <ProgressBar
            value={state.done}
            max={state.total}
            label={`${state.label}: progress`}
            valueText={`${fmt(state.done)} of ${fmt(state.total)}`}
            tone={state.stoppedBy ? "warning" : "accent"}
          />
          <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
            {runSummary(state)}
          </p>
        </div>
        <RowResultsTable
          results={state.results}
          notSent={state.notSent}
          verb={state.verb}
          caption={`Result per device id: ${state.label}`}
        />
      </CardBody>
    </Card>
  );
}
