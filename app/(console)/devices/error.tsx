"use client";

import { ErrorState } from "@/components/ui/error-state";

/** The device tree page failed to render; the shell stays usable around this. */
export default function DevicesError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Devices</h1>
      <ErrorState error={error} title="The device tree could not be shown" onRetry={retry} />
    </div>
  );
}
