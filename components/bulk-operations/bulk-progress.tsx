import type { BulkProgress as Progress } from "@/lib/schemas/bulk-operations";
import { ProgressBar } from "@/components/ui/progress-bar";

const COUNTS = [
  ["pending", "Pending"],
  ["executing", "Executing"],
  ["successful", "Successful"],
  ["failed", "Failed"],
] as const;

/** The vendor UI's progress: (successful + failed) / all, and the four counts beside it. */
export function BulkProgress({
  progress,
  label,
  compact = false,
}: {
  progress: Progress;
  /** Names the bar for screen readers ("Progress of bulk operation 42"). */
  label: string;
  compact?: boolean;
}) {
  const done = progress.successful + progress.failed;
  return (
    <div className="flex min-w-48 flex-col gap-1.5">
      <ProgressBar
        value={done}
        max={progress.all}
        label={label}
        valueText={`${done} of ${progress.all} done`}
        tone={progress.failed > 0 ? "warning" : "accent"}
      />
      <dl
        className={
          compact ? "flex flex-wrap gap-x-3 text-xs" : "grid grid-cols-2 gap-2 text-sm sm:grid-cols-5"
        }
      >
        {COUNTS.map(([key, name]) => (
          <div key={key} className="flex gap-1" data-count={key}>
            <dt className="text-slate-600 dark:text-slate-400">{name}</dt>
            <dd className="font-medium tabular-nums text-slate-900 dark:text-slate-100">{progress[key]}</dd>
          </div>
        ))}
        {!compact && (
          <div className="flex gap-1" data-count="all">
            <dt className="text-slate-600 dark:text-slate-400">Devices</dt>
            <dd className="font-medium tabular-nums text-slate-900 dark:text-slate-100">{progress.all}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
