"use client";

import { ErrorState } from "@/components/ui/error-state";

/** A console page failed to render; the shell (navigation, sign-out) stays usable around this. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Something went wrong</h1>
      <ErrorState error={error} title="This page could not be shown" onRetry={retry} />
    </div>
  );
}
