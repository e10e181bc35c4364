import { clsx } from "clsx";
import { LoaderCircle } from "lucide-react";

/** A turning circle. Decorative unless `label` is given, then it also tells screen readers what is happening. */
export function Spinner({
  size = "md",
  label,
  className,
}: {
  size?: "sm" | "md" | "lg";
  label?: string;
  className?: string;
}) {
  const px = { sm: "size-4", md: "size-5", lg: "size-8" }[size];
  return (
    <span className={clsx("inline-flex items-center gap-2", className)} role={label ? "status" : undefined}>
      <LoaderCircle className={clsx(px, "animate-spin text-current")} aria-hidden="true" />
      {label && <span className="sr-only">{label}</span>}
    </span>
  );
}
