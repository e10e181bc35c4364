import { RotateCw } from "lucide-react";
import type { HistoryChange } from "@/lib/schemas/audit";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/error-state";
import { LoadingRegion, Skeleton } from "@/components/ui/skeleton";

/**
 * Pieces the operation timeline and the bulk operation history share: times, who made a change, the attributes it
 * touched, and compact loading and error states that fit inside a row or a panel.
 */

/** Today's times as a clock time, older ones with their date. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}

/** "by device_pump-7": the platform user who made the change (a device's agent, an operator, a script). */
export function ByUser({ user }: { user: string | null }) {
  if (user === null) return null;
  return (
    <span className="text-slate-600 dark:text-slate-400">
      by <span className="font-medium text-slate-800 dark:text-slate-200">{user}</span>
    </span>
  );
}

const ATTRIBUTE_LABELS: Record<string, string> = {
  failureReason: "Failure reason",
  // A bulk operation's `status` (ACTIVE, IN_PROGRESS, COMPLETED, DELETED); its general status is the main one.
  status: "State",
  generalStatus: "General status",
  startDate: "Start",
  creationRamp: "Delay between operations (s)",
  operationPrototype: "Operation",
  note: "Note",
  description: "Description",
};

const DATE_ATTRIBUTES = new Set(["startDate"]);

function Value({ attribute, value }: { attribute: string; value: string | null }) {
  if (value === null) return <span className="text-slate-500 italic dark:text-slate-400">none</span>;
  if (DATE_ATTRIBUTES.has(attribute) && !Number.isNaN(Date.parse(value))) return <Time iso={value} />;
  return <span className="break-words">{value === "" ? "(empty)" : value}</span>;
}

/** The attributes a change touched, other than the status: "Note: n1 → n2". */
export function ChangeList({ changes }: { changes: HistoryChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="mt-0.5 flex w-full flex-col gap-0.5 text-xs text-slate-600 dark:text-slate-400">
      {changes.map((c) => (
        <li key={c.attribute}>
          <span className="font-medium text-slate-700 dark:text-slate-300">
            {ATTRIBUTE_LABELS[c.attribute] ?? c.attribute}:
          </span>{" "}
          {c.previousValue !== null && (
            <>
              <Value attribute={c.attribute} value={c.previousValue} /> →{" "}
            </>
          )}
          <Value attribute={c.attribute} value={c.newValue} />
        </li>
      ))}
    </ul>
  );
}

export function HistoryLoading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <LoadingRegion label={label} className="flex flex-col gap-2.5 py-1">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <Skeleton className="size-4 rounded-full" />
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-4 w-40" />
        </div>
      ))}
    </LoadingRegion>
  );
}

/** A failed history load, in place, with a retry: the rest of the panel stays usable. */
export function HistoryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { message, forbidden } = describeError(error);
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <span>
        {forbidden
          ? "Your platform user may not read audit records, where the history comes from."
          : `The history could not be loaded. ${message}`}
      </span>
      {!forbidden && (
        <Button size="sm" onClick={onRetry}>
          <RotateCw className="size-4" aria-hidden="true" />
          Try again
        </Button>
      )}
    </div>
  );
}
