import { Kbd } from "@/components/ui/kbd";

/** The tree's keyboard in one line, for operators who have not met an ARIA tree before. */
export function TreeKeyHints() {
  return (
    <p className="flex flex-wrap gap-x-3 gap-y-1 border-t border-slate-200 px-3 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
      <span>
        <Kbd>↑</Kbd> <Kbd>↓</Kbd> move
      </span>
      <span>
        <Kbd>→</Kbd> open
      </span>
      <span>
        <Kbd>←</Kbd> close or go up
      </span>
      <span>
        <Kbd>Home</Kbd> <Kbd>End</Kbd> first, last
      </span>
      <span>
        <Kbd>Enter</Kbd> open the device page
      </span>
      <span>
        <Kbd>Space</Kbd> select for an operation (<Kbd>Shift</Kbd> a range)
      </span>
    </p>
  );
}
