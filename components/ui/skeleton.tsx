import { clsx } from "clsx";
import type { ReactNode } from "react";

/** A grey placeholder block; hidden from screen readers (wrap a group in <LoadingRegion> to announce it). */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={clsx("animate-pulse rounded bg-slate-200 dark:bg-slate-800", className)}
    />
  );
}

/** Announces "loading" once for a whole group of skeletons. */
export function LoadingRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div role="status" aria-live="polite" className={className}>
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}

/** Placeholder rows shaped like a table while its data loads; announced unless `label` is null (already inside a region). */
export function TableSkeleton({
  rows = 6,
  columns = 4,
  label = "Loading…",
}: {
  rows?: number;
  columns?: number;
  label?: string | null;
}) {
  const placeholders = Array.from({ length: rows }, (_, r) => (
    <div key={r} className="flex items-center gap-6 px-4 py-3.5">
      {Array.from({ length: columns }, (_, c) => (
        <Skeleton
          key={c}
          className={clsx("h-4", c === 0 ? "w-40" : "w-24", c === columns - 1 && "ml-auto")}
        />
      ))}
    </div>
  ));
  const className = "divide-y divide-slate-200 dark:divide-slate-800";
  return label === null ? (
    <div className={className}>{placeholders}</div>
  ) : (
    <LoadingRegion label={label} className={className}>
      {placeholders}
    </LoadingRegion>
  );
}
