"use client";

import { Search } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { fetchPaletteSearch } from "@/lib/queries/search";
import { describeError } from "@/components/ui/error-state";
import { Kbd } from "@/components/ui/kbd";
import { Spinner } from "@/components/ui/spinner";
import { usePaletteRegistry, type PaletteAction } from "./palette-context";
import { paletteSections, type PaletteItem, type PalettePage } from "./palette-items";
import { PaletteList, optionId } from "./palette-list";
import { readRecent, rememberRecent } from "./recent";
import { usePaletteSearch, type PaletteSearchFetcher, type PaletteSearchState } from "./use-palette-search";

export interface CommandPaletteProps {
  onClose: () => void;
  /** Goes to a console path (the router's push in the console). */
  navigate: (href: string) => void;
  pages: readonly PalettePage[];
  /** localStorage key of this operator's recent items. */
  recentKey: string;
  /** The BFF search; tests hand in their own clock-driven one. */
  fetcher?: PaletteSearchFetcher;
}

const NO_ACTIONS: readonly PaletteAction[] = [];
const noSubscribe = () => () => {};

function statusText(q: string, search: PaletteSearchState, count: number): string {
  if (search.status === "error") return `The device search failed: ${describeError(search.error).message}`;
  if (search.status === "loading") return count > 0 ? "" : `Searching for “${q}”…`;
  if (search.status === "done" && count === 0)
    return `Nothing found for “${q}”. Try a part of the name, the serial number or the numeric id.`;
  if (search.status === "done" && search.result.more)
    return "More devices match: type more to narrow them down.";
  return "";
}

/** The open palette: a search field (ARIA combobox) over a listbox of results, in a modal panel. */
export function CommandPalette({
  onClose,
  navigate,
  pages,
  recentKey,
  fetcher = fetchPaletteSearch,
}: CommandPaletteProps) {
  const registry = usePaletteRegistry();
  const actions = useSyncExternalStore(
    registry?.actions.subscribe ?? noSubscribe,
    registry?.actions.getSnapshot ?? (() => NO_ACTIONS),
    () => NO_ACTIONS,
  );
  const [recent] = useState(() => readRecent(recentKey));
  const [text, setText] = useState("");
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const search = usePaletteSearch(text, fetcher);
  const sections = useMemo(
    () => paletteSections({ query: text, actions, pages, recent, search }),
    [text, actions, pages, recent, search],
  );
  const items = useMemo(() => sections.flatMap((s) => s.items), [sections]);
  // The active option follows its item when results arrive; otherwise the first one.
  const found = items.findIndex((i) => i.key === activeKey);
  const activeIndex = found >= 0 ? found : items.length > 0 ? 0 : -1;
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const q = text.trim();

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    inputRef.current?.focus();
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    return () => {
      document.body.style.overflow = overflow;
      if (previous?.isConnected) previous.focus();
    };
  }, []);
  useEffect(() => {
    if (activeIndex >= 0)
      document.getElementById(optionId(listId, activeIndex))?.scrollIntoView?.({ block: "nearest" });
  }, [activeIndex, listId]);

  const choose = (item: PaletteItem) => {
    onClose();
    if (item.remember) rememberRecent(recentKey, item.remember);
    if (item.href) navigate(item.href);
    else item.run?.();
  };
  const move = (by: number) => {
    if (items.length === 0) return;
    const next = (activeIndex + by + items.length) % items.length;
    setActiveKey(items[next]!.key);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const item = items[activeIndex];
      if (item) choose(item);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === "Tab") {
      // Everything is reachable from the field; focus stays in the palette.
      e.preventDefault();
    }
  };

  const status = statusText(q, search, items.length);
  const count = `${items.length} ${items.length === 1 ? "result" : "results"}`;
  const announcement =
    search.status === "loading" ? `${count}, searching devices…` : status ? `${count}. ${status}` : count;
  return createPortal(
    <div className="fixed inset-0 z-50 flex items-start justify-center p-4 pt-[12vh]">
      <div
        className="fixed inset-0 bg-slate-950/50 backdrop-blur-[1px]"
        aria-hidden="true"
        onClick={onClose}
      />
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        data-command-palette=""
        onKeyDown={onKeyDown}
        className="relative w-full max-w-xl overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xl dark:border-slate-700 dark:bg-slate-900"
      >
        <div className="flex items-center gap-2 px-4">
          <Search className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
          <input
            ref={inputRef}
            role="combobox"
            aria-expanded={items.length > 0}
            aria-controls={items.length > 0 ? listId : undefined}
            aria-activedescendant={activeIndex >= 0 ? optionId(listId, activeIndex) : undefined}
            aria-autocomplete="list"
            aria-label="Find a device, a page or an action"
            placeholder="Find a device (name, id, serial), a page or an action…"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setActiveKey(null);
            }}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            className="h-12 min-w-0 flex-1 bg-transparent text-sm text-slate-900 placeholder:text-slate-500 focus:outline-none dark:text-slate-100 dark:placeholder:text-slate-400"
          />
          {search.status === "loading" && <Spinner size="sm" className="text-slate-500" />}
          <Kbd>Esc</Kbd>
        </div>
        {items.length > 0 && (
          <PaletteList
            id={listId}
            sections={sections}
            activeIndex={activeIndex}
            onHover={(i) => setActiveKey(items[i]!.key)}
            onChoose={choose}
          />
        )}
        {status && (
          <p
            className={
              search.status === "error"
                ? "border-t border-slate-200 px-4 py-3 text-sm text-red-700 dark:border-slate-800 dark:text-red-400"
                : "border-t border-slate-200 px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:text-slate-300"
            }
          >
            {status}
          </p>
        )}
        <div role="status" aria-live="polite" aria-atomic="true" className="sr-only">
          {q === "" ? "" : announcement}
        </div>
        <div className="flex flex-wrap gap-x-4 gap-y-1 border-t border-slate-200 px-4 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <span>
            <Kbd>↑</Kbd> <Kbd>↓</Kbd> move
          </span>
          <span>
            <Kbd>Enter</Kbd> go
          </span>
          <span>
            <Kbd>Esc</Kbd> close
          </span>
        </div>
      </div>
    </div>,
    document.body,
  );
}
