"use client";

import { clsx } from "clsx";
import type { LiveResource } from "@/lib/schemas/events";
import type { LiveState } from "@/lib/queries/live/status";
import { useFreshness } from "@/lib/queries/live/use-live-events";

const LABEL: Record<LiveState, string> = {
  live: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

const DOT: Record<LiveState, string> = {
  live: "bg-emerald-500",
  connecting: "bg-slate-400 animate-pulse",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-red-500",
};

/** "12 s ago", "3 min ago", "2 h ago". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  return `${Math.floor(min / 60)} h ago`;
}

/**
 * Whether what a live view shows is current: Live, Connecting, Reconnecting or Offline, and (when not live)
 * how old the data is. Renders nothing when the page does not follow the resources live.
 */
export function FreshnessIndicator({
  resources,
  className,
}: {
  resources: readonly LiveResource[];
  className?: string;
}) {
  const { followed, state, updatedAt, now } = useFreshness(resources);
  if (!followed) return null;
  const age = state !== "live" && updatedAt !== null ? `updated ${formatAge(now - updatedAt)}` : null;
  return (
    <span
      className={clsx(
        "inline-flex items-center gap-2 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-200 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700",
        className,
      )}
      title={
        state === "live"
          ? "Changes appear here as they happen."
          : "Live updates are interrupted; what you see may be out of date. The page keeps refreshing itself."
      }
    >
      <span className={clsx("size-2 rounded-full", DOT[state])} aria-hidden="true" />
      {/* Only the state is announced; the ticking age would make a live region chatty. */}
      <span role="status" aria-live="polite">
        {LABEL[state]}
      </span>
      {age && <span className="font-normal text-slate-500 dark:text-slate-400">· {age}</span>}
    </span>
  );
}
