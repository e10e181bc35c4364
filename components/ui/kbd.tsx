import type { ReactNode } from "react";

/** A key on the keyboard, for hints like "press Esc to close". */
export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-700 shadow-[inset_0_-1px_0] shadow-slate-300 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:shadow-slate-600">
      {children}
    </kbd>
  );
}
