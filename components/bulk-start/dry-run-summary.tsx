"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import type { BulkDryRunDto } from "@/lib/schemas/bulk-create";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";

const n = (v: number) => v.toLocaleString("en");

/**
 * What the bulk operation will reach before it is sent: the platform's own counts of the target's devices, of
 * those connected now, and of those listing the fragment. Shortfalls are explained, not hidden.
 */
export function DryRunSummary({
  query,
  fragment,
  error,
}: {
  query: UseQueryResult<BulkDryRunDto>;
  fragment: string;
  /** A refusal about the target, from the platform. */
  error?: string;
}) {
  let body;
  if (query.isPending)
    body = (
      <div className="flex gap-3" aria-label="Counting the devices…" role="status">
        <Skeleton className="h-5 w-28" />
        <Skeleton className="h-5 w-28" />
        <Skeleton className="h-5 w-28" />
      </div>
    );
  else if (query.isError)
    body = (
      <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-400">
        The devices could not be counted: {describeError(query.error).message}
        <Button size="sm" onClick={() => void query.refetch()}>
          Count again
        </Button>
      </div>
    );
  else {
    const { devices, connected, supporting } = query.data;
    const warnings: string[] = [];
    if (devices === 0) warnings.push("No device matches: there is nothing to send it to.");
    if (supporting < devices)
      warnings.push(
        `${n(devices - supporting)} ${devices - supporting === 1 ? "device does" : "devices do"} not list ${fragment} in c8y_SupportedOperations: their operation will most likely fail.`,
      );
    if (connected < devices)
      warnings.push(
        `${n(devices - connected)} not connected now: they get the operation when they next connect for operations.`,
      );
    body = (
      <>
        <dl className="grid grid-cols-3 gap-3" data-testid="dry-run-counts">
          {(
            [
              ["Devices", devices],
              ["Connected", connected],
              [`Support ${fragment}`, supporting],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="min-w-0">
              <dt className="truncate text-xs text-slate-600 dark:text-slate-400">{label}</dt>
              <dd className="text-lg font-semibold text-slate-900 tabular-nums dark:text-slate-100">
                {n(value)}
              </dd>
            </div>
          ))}
        </dl>
        {warnings.map((w) => (
          <p key={w} className="flex gap-2 text-sm text-amber-900 dark:text-amber-200">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            {w}
          </p>
        ))}
      </>
    );
  }
  return (
    <section
      aria-label="Devices it will reach"
      aria-live="polite"
      className="flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2.5 dark:border-slate-800 dark:bg-slate-950"
    >
      {body}
      {error && (
        <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </section>
  );
}
