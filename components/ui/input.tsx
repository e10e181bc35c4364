import { clsx } from "clsx";
import type { ComponentProps } from "react";

/** Shared look of text-like controls; `aria-invalid` turns the border red. */
export const controlClasses = clsx(
  "w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm",
  "placeholder:text-slate-500 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500",
  "aria-[invalid=true]:border-red-600 dark:aria-[invalid=true]:border-red-400",
  "dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400 dark:disabled:bg-slate-800",
);

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={clsx(controlClasses, "h-9", className)} {...props} />;
}
