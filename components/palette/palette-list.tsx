"use client";

import { clsx } from "clsx";
import { Clock, Cpu, FileText, Folder, Radio, Zap, type LucideIcon } from "lucide-react";
import type { ItemIcon, PaletteItem } from "./palette-items";

const ICONS: Record<ItemIcon, LucideIcon> = {
  action: Zap,
  page: FileText,
  device: Cpu,
  agent: Radio,
  group: Folder,
  recent: Clock,
};

/** A DOM id for an option (keys may hold any character). */
export const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

/**
 * The palette's results: a listbox with one group per section. Options are never focused themselves (the input
 * keeps focus and points at the active one with aria-activedescendant), so a click must not take focus either.
 */
export function PaletteList({
  id,
  sections,
  activeIndex,
  onHover,
  onChoose,
}: {
  id: string;
  sections: { section: string; items: PaletteItem[] }[];
  activeIndex: number;
  onHover: (index: number) => void;
  onChoose: (item: PaletteItem) => void;
}) {
  let index = 0;
  return (
    <div
      id={id}
      role="listbox"
      aria-label="Results"
      className="max-h-[min(60vh,28rem)] overflow-y-auto border-t border-slate-200 py-1 dark:border-slate-800"
    >
      {sections.map(({ section, items }, s) => (
        <div key={section} role="group" aria-labelledby={`${id}-section-${s}`}>
          <div
            id={`${id}-section-${s}`}
            role="presentation"
            className="px-4 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400"
          >
            {section}
          </div>
          {items.map((item) => {
            const i = index++;
            const Icon = ICONS[item.icon];
            const active = i === activeIndex;
            return (
              <div
                key={item.key}
                id={optionId(id, i)}
                role="option"
                aria-selected={active}
                onMouseMove={() => !active && onHover(i)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => onChoose(item)}
                className={clsx(
                  "mx-2 flex cursor-pointer items-center gap-3 rounded-md px-2 py-2 text-sm",
                  active
                    ? "bg-accent-50 text-slate-900 dark:bg-slate-800 dark:text-slate-50"
                    : "text-slate-800 dark:text-slate-200",
                )}
              >
                <Icon
                  className={clsx(
                    "size-4 shrink-0",
                    active ? "text-accent-700 dark:text-accent-300" : "text-slate-500",
                  )}
                  aria-hidden="true"
                />
                <span className="min-w-0 truncate font-medium">{item.label}</span>
                {item.detail && (
                  <span className="ml-auto shrink-0 truncate pl-2 text-xs text-slate-600 dark:text-slate-400">
                    {item.detail}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
