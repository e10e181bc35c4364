"use client";

import { ErrorState } from "@/components/ui/error-state";

/** The overview failed to render; the shell and its navigation stay usable around this. */
export default function OverviewError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Overview</h1>
      <ErrorState error={error} title="The overview could not be shown" onRetry={retry} />
    </div>
  );
}
