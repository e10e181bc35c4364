import { clsx } from "clsx";
import type { ReactNode } from "react";

/**
 * A box that scrolls on its own (long result tables). It is focusable and named so keyboard users can
 * scroll it with the arrow keys and screen readers can tell what it holds.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={clsx("overflow-auto rounded-md border border-slate-200 dark:border-slate-800", className)}
    >
      {children}
    </div>
  );
}
