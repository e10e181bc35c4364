import { clsx } from "clsx";
import type { ComponentProps } from "react";

/**
 * A real <table> (so rows and headers are announced as such) that scrolls sideways on narrow screens.
 * `bare` leaves out the scrolling wrapper, for tables inside a <ScrollRegion> that scrolls already.
 */
export function Table({
  className,
  children,
  bare = false,
  ...props
}: ComponentProps<"table"> & { bare?: boolean }) {
  const table = (
    <table className={clsx("w-full border-collapse text-left text-sm", className)} {...props}>
      {children}
    </table>
  );
  return bare ? table : <div className="overflow-x-auto">{table}</div>;
}

export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption className={clsx("sr-only", className)} {...props} />;
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return (
    <thead
      className={clsx(
        "border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/60",
        className,
      )}
      {...props}
    />
  );
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={clsx("divide-y divide-slate-200 dark:divide-slate-800", className)} {...props} />;
}

export function Tr({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={clsx("hover:bg-slate-50/70 dark:hover:bg-slate-800/40", className)} {...props} />;
}

export function Th({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      className={clsx(
        "px-4 py-2.5 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: ComponentProps<"td">) {
  return (
    <td
      className={clsx("px-4 py-2.5 align-middle text-slate-800 dark:text-slate-200", className)}
      {...props}
    />
  );
}
