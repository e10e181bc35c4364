import { clsx } from "clsx";
import { ChevronDown } from "lucide-react";
import type { ComponentProps } from "react";
import { controlClasses } from "./input";

/** The native select (keyboard and screen readers for free), with our border and a chevron. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <span className={clsx("relative inline-flex", className)}>
      <select className={clsx(controlClasses, "h-9 appearance-none pr-8")} {...props}>
        {children}
      </select>
      <ChevronDown
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-slate-500"
        aria-hidden="true"
      />
    </span>
  );
}
