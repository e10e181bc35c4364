import { clsx } from "clsx";
import type { ComponentProps } from "react";

/** A native checkbox; pass `aria-label` when no visible label sits next to it (table rows). */
export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <input
      type="checkbox"
      className={clsx(
        "size-4 rounded border-slate-400 disabled:cursor-not-allowed dark:border-slate-500",
        className,
      )}
      {...props}
    />
  );
}
