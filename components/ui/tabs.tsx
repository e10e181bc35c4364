"use client";

import { clsx } from "clsx";
import { useRef, type KeyboardEvent, type ReactNode } from "react";

export interface TabItem<V extends string> {
  value: V;
  label: ReactNode;
  /** Shown as a count bubble after the label (and read as part of the tab's name). */
  count?: number;
}

/**
 * The WAI-ARIA tabs pattern: one tab stop for the whole list, arrow keys / Home / End move and select.
 * Each tab controls the panel with id `${idBase}-panel` (render it with <TabPanel idBase=… />).
 */
export function Tabs<V extends string>({
  items,
  value,
  onChange,
  label,
  idBase,
  className,
}: {
  items: readonly TabItem<V>[];
  value: V;
  onChange: (value: V) => void;
  label: string;
  idBase: string;
  className?: string;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = items.findIndex((i) => i.value === value);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: items.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = items[(target + items.length) % items.length];
    if (!next) return;
    onChange(next.value);
    listRef.current?.querySelector<HTMLElement>(`[data-value="${CSS.escape(next.value)}"]`)?.focus();
  };
  return (
    <div
      ref={listRef}
      role="tablist"
      aria-label={label}
      onKeyDown={onKeyDown}
      className={clsx("flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800", className)}
    >
      {items.map((item) => {
        const selected = item.value === value;
        return (
          <button
            key={item.value}
            type="button"
            role="tab"
            id={`${idBase}-tab-${item.value}`}
            data-value={item.value}
            aria-selected={selected}
            aria-controls={`${idBase}-panel`}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(item.value)}
            className={clsx(
              "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
              selected
                ? "border-accent-600 text-accent-700 dark:border-accent-400 dark:text-accent-300"
                : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {item.label}
            {item.count !== undefined && (
              <span
                className={clsx(
                  "rounded-full px-1.5 py-0.5 text-xs tabular-nums",
                  selected
                    ? "bg-accent-100 text-accent-800 dark:bg-accent-900 dark:text-accent-100"
                    : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
                )}
              >
                {item.count.toLocaleString("en")}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

/** The region the tabs control, labelled by the selected tab. */
export function TabPanel<V extends string>({
  idBase,
  value,
  children,
  className,
}: {
  idBase: string;
  value: V;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      role="tabpanel"
      id={`${idBase}-panel`}
      aria-labelledby={`${idBase}-tab-${value}`}
      className={className}
    >
      {children}
    </div>
  );
}
