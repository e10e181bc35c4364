// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HistoryDto } from "@/lib/schemas/audit";
import { click, render } from "@/components/ui/__tests__/render";
import { BulkHistory } from "../bulk-history";
import { stubBff } from "./bff-stub";

beforeEach(() => {
  vi.useFakeTimers({
    now: Date.parse("2030-01-01T12:00:00.000Z"),
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
});
afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Lets an answered request reach the screen (TanStack Query hands results on with a 0 ms timer). */
const settle = () => act(() => vi.advanceTimersByTimeAsync(1));

/** A cancelled bulk operation's history as GET /api/bulk-operations/7/history answers it. */
const cancelled: HistoryDto = {
  source: { type: "BulkOperation", id: "7" },
  status: "CANCELED",
  final: true,
  entries: [
    {
      id: "11",
      time: "2030-01-01T11:00:00.000Z",
      activity: "Bulk operation created",
      user: "admin",
      status: "SCHEDULED",
      previousStatus: null,
      changes: [{ attribute: "status", previousValue: null, newValue: "ACTIVE" }],
    },
    {
      id: "12",
      time: "2030-01-01T11:05:00.000Z",
      activity: "Bulk operation updated",
      user: "ops-script",
      status: null,
      previousStatus: null,
      changes: [
        { attribute: "note", previousValue: "first", newValue: "second" },
        { attribute: "startDate", previousValue: null, newValue: "2030-01-01T13:00:00.000Z" },
      ],
    },
    {
      id: "13",
      time: "2030-01-01T11:10:00.000Z",
      activity: "Bulk operation deleted",
      user: "device_gw-1",
      status: "CANCELED",
      previousStatus: "SCHEDULED",
      changes: [],
    },
  ],
  truncated: false,
  maxRecords: 1000,
};

function show(id = "7") {
  const bff = stubBff();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <BulkHistory bulkOperationId={id} />
    </QueryClientProvider>,
  );
  const region = () => view.container.querySelector(`[aria-label="History of bulk operation ${id}"]`)!;
  return { bff, view, region };
}

const text = (el: Element) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";

describe("BulkHistory", () => {
  it("loads the history, then shows each change oldest first with its time and who made it", async () => {
    const { bff, region } = show();
    const request = bff.open();
    expect(request.path).toBe("/api/bulk-operations/7/history");
    expect(region().querySelector("[role=status]")?.textContent).toBe(
      "Loading the history of bulk operation 7…",
    );

    request.answer(cancelled);
    await settle();
    const items = [...region().querySelectorAll("ol > li")];
    expect(items.map((li) => li.querySelector("span")?.textContent)).toEqual([
      "Bulk operation created",
      "Bulk operation updated",
      "Bulk operation deleted",
    ]);
    expect(items.map((li) => li.querySelector("time")?.getAttribute("datetime"))).toEqual(
      cancelled.entries.map((e) => e.time),
    );
    expect(text(items[0]!)).toContain("by admin");
    expect(text(items[0]!)).toContain("Scheduled");
    expect(text(items[0]!)).toContain("State: ACTIVE");
    expect(text(items[1]!)).toContain("by ops-script");
    expect(text(items[1]!)).toContain("Note: first → second");
    expect(items[1]!.querySelectorAll("time")[1]?.getAttribute("datetime")).toBe("2030-01-01T13:00:00.000Z");
    expect(text(items[2]!)).toContain("by device_gw-1");
    expect(text(items[2]!)).toContain("Scheduled → Canceled");
    expect(region().querySelector("[role=status]")).toBeNull();
  });

  it("says so when the platform has no records, and when it shows only the first ones", async () => {
    const empty = show("8");
    empty.bff.open().answer({ ...cancelled, source: { type: "BulkOperation", id: "8" }, entries: [] });
    await settle();
    expect(text(empty.region())).toContain("No recorded changes");
    empty.view.unmount();

    const long = show("9");
    long.bff.open().answer({ ...cancelled, truncated: true, maxRecords: 3 });
    await settle();
    expect(text(long.region())).toContain("Only the first 3 changes are shown.");
  });

  it("shows a failed load in place with the console's message, and tries again on request", async () => {
    const { bff, region } = show("404");
    bff.open().answer({ error: { code: "not_found", message: "Bulk operation 404 does not exist." } }, 404);
    await settle();
    const alert = region().querySelector("[role=alert]")!;
    expect(text(alert)).toContain("Bulk operation 404 does not exist.");

    click([...alert.querySelectorAll("button")].find((b) => b.textContent?.includes("Try again"))!);
    bff.open().answer({ ...cancelled, source: { type: "BulkOperation", id: "404" } });
    await settle();
    expect(region().querySelector("[role=alert]")).toBeNull();
    expect(region().querySelectorAll("ol > li")).toHaveLength(3);
  });

  it("asks again while the bulk operation can still change, and stops once it is done", async () => {
    const { bff, region } = show("5");
    const running: HistoryDto = {
      ...cancelled,
      source: { type: "BulkOperation", id: "5" },
      status: "EXECUTING",
      final: false,
      entries: cancelled.entries.slice(0, 1),
    };
    bff.open().answer(running);
    await settle();
    expect(region().querySelectorAll("ol > li")).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(10_000));
    bff.open().answer({ ...running, status: "SUCCESSFUL", final: true, entries: cancelled.entries });
    await settle();
    expect(region().querySelectorAll("ol > li")).toHaveLength(3);

    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(bff.requests).toHaveLength(2);
  });
});
