"use client";

import { ErrorState } from "@/components/ui/error-state";

/** The bulk operations page failed to render; the shell stays usable around this. */
export default function BulkOperationsError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Bulk operations</h1>
      <ErrorState error={error} title="Bulk operations could not be shown" onRetry={retry} />
    </div>
  );
}
