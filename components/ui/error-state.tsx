import { clsx } from "clsx";
import { CircleAlert, LogIn, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button, buttonClasses } from "./button";

/** Reads what we can show from anything thrown: the BFF's error (code, status, message) or a plain Error. */
export function describeError(error: unknown): { message: string; signedOut: boolean; forbidden: boolean } {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    status?: unknown;
    message?: unknown;
    digest?: unknown;
  };
  const signedOut = e.code === "unauthenticated" || e.status === 401;
  const forbidden = e.code === "forbidden" || e.status === 403;
  // Server render errors reach the browser with a generic message and a digest that matches the server log.
  const message =
    typeof e.digest === "string"
      ? `Something went wrong on the console server (reference ${e.digest}).`
      : typeof e.message === "string" && e.message.trim() !== ""
        ? e.message
        : "Something went wrong while talking to the console server.";
  return { message, signedOut, forbidden };
}

/**
 * A failed load with a way out: "Try again" when retrying can help, "Sign in again" when the session ended.
 * The message is announced (role="alert") because it replaces content the operator was waiting for.
 */
export function ErrorState({
  error,
  title = "This could not be loaded",
  onRetry,
  action,
  className,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  action?: ReactNode;
  className?: string;
}) {
  const { message, signedOut, forbidden } = describeError(error);
  return (
    <div role="alert" className={clsx("flex flex-col items-center gap-3 px-6 py-12 text-center", className)}>
      <div
        className="rounded-full bg-red-50 p-3 text-red-700 dark:bg-red-950 dark:text-red-300"
        aria-hidden="true"
      >
        <CircleAlert className="size-6" />
      </div>
      <p className="text-base font-semibold text-slate-900 dark:text-slate-100">
        {signedOut ? "Your session has ended" : forbidden ? "Not allowed" : title}
      </p>
      <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">{message}</p>
      <div className="mt-2 flex flex-wrap justify-center gap-2">
        {signedOut ? (
          <a href="/login" className={buttonClasses({ variant: "primary" })}>
            <LogIn className="size-4" aria-hidden="true" />
            Sign in again
          </a>
        ) : (
          onRetry && (
            <Button onClick={onRetry}>
              <RotateCw className="size-4" aria-hidden="true" />
              Try again
            </Button>
          )
        )}
        {action}
      </div>
    </div>
  );
}
