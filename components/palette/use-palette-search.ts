"use client";

import { useEffect, useState } from "react";
import type { PaletteSearchResultDto } from "@/lib/schemas/search";

/** The pause after a keystroke before the search goes out: short enough to feel immediate. */
export const SEARCH_DEBOUNCE_MS = 80;

export type PaletteSearchFetcher = (q: string, signal: AbortSignal) => Promise<PaletteSearchResultDto>;

export type PaletteSearchState =
  | { status: "idle" }
  /** `previous`: the last answer, shown until this one is in so the list does not flicker. */
  | { status: "loading"; q: string; previous: PaletteSearchResultDto | null }
  | { status: "done"; q: string; result: PaletteSearchResultDto }
  | { status: "error"; q: string; error: unknown };

type Settled = { q: string; result: PaletteSearchResultDto } | { q: string; error: unknown };

/**
 * Searches for the trimmed text once the operator pauses for `delayMs`. Each new text cancels the timer and
 * aborts the call in flight (AbortController), so an old answer can never replace a newer one.
 */
export function usePaletteSearch(
  text: string,
  fetcher: PaletteSearchFetcher,
  delayMs = SEARCH_DEBOUNCE_MS,
): PaletteSearchState {
  const q = text.trim();
  const [settled, setSettled] = useState<Settled | null>(null);
  useEffect(() => {
    if (q === "") return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetcher(q, controller.signal).then(
        (result) => controller.signal.aborted || setSettled({ q, result }),
        (error: unknown) => controller.signal.aborted || setSettled({ q, error }),
      );
    }, delayMs);
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
