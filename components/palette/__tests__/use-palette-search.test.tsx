// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PaletteSearchResultDto } from "@/lib/schemas/search";
import { render } from "@/components/ui/__tests__/render";
import { SEARCH_DEBOUNCE_MS, usePaletteSearch, type PaletteSearchState } from "../use-palette-search";

/** The BFF at the network edge: each call waits until the test answers it. */
function fakeBff() {
  const calls: { q: string; signal: AbortSignal; answer: (r: PaletteSearchResultDto) => void }[] = [];
  const fetcher = (q: string, signal: AbortSignal) =>
    new Promise<PaletteSearchResultDto>((resolve, reject) => {
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      calls.push({ q, signal, answer: resolve });
    });
  return { calls, fetcher };
}

const result = (name: string): PaletteSearchResultDto => ({
  items: [{ id: "1", name, kind: "device", match: "name" }],
  more: false,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = "";
});

function setup() {
  const bff = fakeBff();
  const seen: PaletteSearchState[] = [];
  function Harness({ text }: { text: string }) {
    seen.push(usePaletteSearch(text, bff.fetcher));
    return null;
  }
  const view = render(<Harness text="" />);
  return { bff, last: () => seen.at(-1)!, type: (text: string) => view.rerender(<Harness text={text} />) };
}

describe("usePaletteSearch (manual clock)", () => {
  it("searches at once for a keystroke after a pause", () => {
    const { bff, type, last } = setup();
    type("p");
    expect(bff.calls.map((c) => c.q)).toEqual(["p"]);
    expect(last()).toMatchObject({ status: "loading", q: "p" });
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    type("pu");
    expect(bff.calls.map((c) => c.q)).toEqual(["p", "pu"]);
    expect(bff.calls[0]!.signal.aborted).toBe(true);
  });

  it("in a burst of keystrokes, waits for a pause, then asks once for the latest text", () => {
    const { bff, type, last } = setup();
    type("p");
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1));
    type("pu");
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1));
    type("pump");
    expect(bff.calls.map((c) => c.q)).toEqual(["p"]);
    expect(bff.calls[0]!.signal.aborted).toBe(true);
    expect(last()).toMatchObject({ status: "loading", q: "pump" });
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1));
    expect(bff.calls.map((c) => c.q)).toEqual(["p"]);
    act(() => void vi.advanceTimersByTime(1));
    expect(bff.calls.map((c) => c.q)).toEqual(["p", "pump"]);
  });

  it("a trailing space is not a new search", () => {
    const { bff, type } = setup();
    type("pump");
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    type("pump ");
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    expect(bff.calls.map((c) => [c.q, c.signal.aborted])).toEqual([["pump", false]]);
  });

  it("aborts the call in flight when the text changes, and never shows its late answer", async () => {
    const { bff, type, last } = setup();
    type("pump");
    type("pump 7");
    expect(bff.calls[0]!.signal.aborted).toBe(true);
    await act(async () => {
      bff.calls[0]!.answer(result("stale"));
      await Promise.resolve();
    });
    expect(last()).toMatchObject({ status: "loading", q: "pump 7" });
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    await act(async () => {
      bff.calls[1]!.answer(result("Pump 7"));
      await Promise.resolve();
    });
    expect(last()).toEqual({ status: "done", q: "pump 7", result: result("Pump 7") });
  });

  it("is idle for blank text and cancels what was pending", () => {
    const { bff, type, last } = setup();
    type("pump");
    act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    type("   ");
    expect(bff.calls[0]!.signal.aborted).toBe(true);
    expect(last()).toEqual({ status: "idle" });
  });
});
