"use client";

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";

/** The device page failed to render; navigation stays usable and the device list is one click away. */
export default function DeviceError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <h1 className="sr-only">Device page error</h1>
      <ErrorState
        error={error}
        title="This device could not be shown"
        onRetry={retry}
        action={
          <Link href="/devices" className={buttonClasses()}>
            Back to devices
          </Link>
        }
      />
    </div>
  );
}
