import { clsx } from "clsx";
import type { ComponentProps } from "react";
import { controlClasses } from "./input";

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea className={clsx(controlClasses, "min-h-24 py-2 font-mono leading-6", className)} {...props} />
  );
}
