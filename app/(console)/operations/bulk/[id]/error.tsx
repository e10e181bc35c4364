"use client";

import { ErrorState } from "@/components/ui/error-state";

/** The bulk operation page failed to render; the shell stays usable around this. */
export default function BulkOperationError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Bulk operation</h1>
      <ErrorState error={error} title="The bulk operation could not be shown" onRetry={retry} />
    </div>
  );
}
