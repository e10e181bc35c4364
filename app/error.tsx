"use client";

import { ErrorState } from "@/components/ui/error-state";

/** Last line of defence below the root layout: something failed while rendering a page. */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col justify-center px-6">
      <h1 className="sr-only">Something went wrong</h1>
      <ErrorState
        error={error}
        title="This page could not be shown"
        onRetry={retry}
        action={
          <a
            href="/registrations"
            className="px-3 py-2 text-sm font-medium text-accent-700 hover:underline dark:text-accent-300"
          >
            Go to device registration
          </a>
        }
      />
    </main>
  );
}
