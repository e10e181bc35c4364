import { clsx } from "clsx";

/** A determinate progress bar; `valueText` is what screen readers say ("150 of 1000 accepted"). */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  tone = "accent",
  className,
}: {
  value: number;
  max: number;
  label: string;
  valueText?: string;
  tone?: "accent" | "warning";
  className?: string;
}) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText ?? `${percent}%`}
      className={clsx("h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800", className)}
    >
      <div
        className={clsx(
          "h-full rounded-full transition-[width] duration-300",
          tone === "accent" ? "bg-accent-600 dark:bg-accent-500" : "bg-amber-500",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
