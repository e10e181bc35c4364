"use client";

import { ErrorState } from "@/components/ui/error-state";

/** A broken configuration (no C8Y_BASEURL, no session password in production) ends up here; details are in the log. */
export default function LoginError({ retry }: { error: Error; retry: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <ErrorState
        title="The sign-in page could not be shown"
        error={{
          message: "The console server is not set up correctly or is not available. Try again shortly.",
        }}
        onRetry={retry}
      />
    </main>
  );
}
