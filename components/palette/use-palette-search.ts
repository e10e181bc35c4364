"use client";

import { useEffect, useRef, useState } from "react";
import type { PaletteSearchResultDto } from "@/lib/schemas/search";

/**
 * How long a text must stay unchanged before a keystroke counts as a pause: a keystroke after a pause searches at
 * once, keystrokes closer together than this wait until the operator stops for this long.
 */
export const SEARCH_DEBOUNCE_MS = 80;

export type PaletteSearchFetcher = (q: string, signal: AbortSignal) => Promise<PaletteSearchResultDto>;

export type PaletteSearchState =
  | { status: "idle" }
  /** `previous`: the last answer, shown until this one is in so the list does not flicker. */
  | { status: "loading"; q: string; previous: PaletteSearchResultDto | null }
  | { status: "done"; q: string; result: PaletteSearchResultDto }
  | { status: "error"; q: string; error: unknown };

type Settled = { q: string; result: PaletteSearchResultDto } | { q: string; error: unknown };

/** The latest text, when it appeared, and whether it came after a pause (so it searches without waiting). */
interface Change {
  q: string;
  at: number;
  afterPause: boolean;
}

/**
 * Searches for the trimmed text: at once when it is the first change after a pause of `delayMs` (a single
 * keystroke, the first of a burst, a paste), otherwise once the operator pauses for `delayMs`. Each new text
 * cancels the timer and aborts the call in flight (AbortController), so an old answer can never replace a newer
 * one.
 */
export function usePaletteSearch(
  text: string,
  fetcher: PaletteSearchFetcher,
  delayMs = SEARCH_DEBOUNCE_MS,
): PaletteSearchState {
  const q = text.trim();
  const [settled, setSettled] = useState<Settled | null>(null);
  // The text the palette opened with counts as long unchanged: the first keystroke searches at once.
  const lastChange = useRef<Change>({ q, at: -Infinity, afterPause: true });
  useEffect(() => {
    // Keyed by the text, so an effect run again for the same text (Strict Mode) keeps its first decision.
    let change = lastChange.current;
    if (change.q !== q) {
      const now = Date.now();
      change = { q, at: now, afterPause: now - change.at >= delayMs };
      lastChange.current = change;
    }
    if (q === "") return;
    const controller = new AbortController();
    const search = () => {
      void fetcher(q, controller.signal).then(
        (result) => controller.signal.aborted || setSettled({ q, result }),
        (error: unknown) => controller.signal.aborted || setSettled({ q, error }),
      );
    };
    const timer = change.afterPause ? undefined : setTimeout(search, delayMs);
    if (change.afterPause) search();
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, fetcher, delayMs]);
  if (q === "") return { status: "idle" };
  if (settled?.q === q)
    return "result" in settled
      ? { status: "done", q, result: settled.result }
      : { status: "error", q, error: settled.error };
  return { status: "loading", q, previous: settled && "result" in settled ? settled.result : null };
}
