"use client";

import { Search } from "lucide-react";
import { useSyncExternalStore } from "react";
import { Kbd } from "@/components/ui/kbd";
import { usePaletteRegistry } from "./palette-context";
import { loadPalette } from "./palette-provider";

/**
 * The header's way into the palette for the mouse, naming its shortcut; pointing at it fetches the palette. Not
 * called "Search": the devices page has a Search button of its own.
 */
const noSubscribe = () => () => {};

export function PaletteTrigger() {
  const registry = usePaletteRegistry();
  // False in the server's HTML, true once hydrated: by then the key listener is attached (an effect of the
  // provider above, flushed before this re-render). Journeys wait for it before pressing keys.
  const ready = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const prefetch = () => void loadPalette();
  return (
    <button
      type="button"
      onClick={() => registry?.openPalette()}
      onPointerEnter={prefetch}
      onFocus={prefetch}
      aria-keyshortcuts="Control+K Meta+K /"
      data-palette-ready={ready ? "" : undefined}
      className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-600 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      <Search className="size-4" aria-hidden="true" />
      <span>Jump to…</span>
      <span className="hidden items-center gap-0.5 sm:flex" aria-hidden="true">
        <Kbd>Ctrl</Kbd>
        <Kbd>K</Kbd>
      </span>
    </button>
  );
}
