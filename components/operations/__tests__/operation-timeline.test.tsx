// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HistoryDto, HistoryEntry } from "@/lib/schemas/audit";
import type { OperationDto } from "@/lib/schemas/operations";
import { applyOperationEvent, operationKeys, operationQueries } from "@/lib/queries/operations";
import { render } from "@/components/ui/__tests__/render";
import { OperationTimeline } from "../operation-timeline";
import { stubBff } from "./bff-stub";

const T0 = Date.parse("2030-01-01T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

beforeEach(() => {
  vi.useFakeTimers({
    now: T0 + 60_000,
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

const op = (status: OperationDto["status"]): OperationDto => ({
  id: "31",
  deviceId: "10",
  deviceName: "Gateway",
  agentId: "10",
  status,
  creationTime: at(0),
  description: "Restart device",
  failureReason: null,
  type: "c8y_Restart",
  command: null,
  fragments: { c8y_Restart: {} },
  bulkOperationId: null,
});

const record = (id: string, s: number, status: string, user: string, previousStatus: string | null) =>
  ({
    id,
    time: at(s),
    activity: previousStatus === null ? "Operation created" : "Operation updated",
    user,
    status,
    previousStatus,
    changes: [],
  }) satisfies HistoryEntry;

const history = (status: OperationDto["status"], entries: HistoryEntry[]): HistoryDto => ({
  source: { type: "Operation", id: "31" },
  status,
  final: status === "SUCCESSFUL" || status === "FAILED",
  entries,
  truncated: false,
  maxRecords: 1000,
});
const created = record("32", 0, "PENDING", "admin", null);
const executing = record("33", 5, "EXECUTING", "device_gw-1", "PENDING");

/** The operation as a row shows it: from the query cache, where live events put it. */
function Live() {
  const { data } = useQuery({ ...operationQueries.detail("31"), enabled: false });
  return data ? <OperationTimeline operation={data.operation} /> : null;
}

function show(status: OperationDto["status"]) {
  const bff = stubBff();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(operationKeys.detail("31"), {
    operation: op(status),
    staleAfter: { PENDING: 300_000, EXECUTING: 600_000 },
  });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <Live />
    </QueryClientProvider>,
  );
  const steps = () =>
    [...view.container.querySelectorAll('[aria-label="Timeline of operation 31"] > li')].map((li) =>
      li.textContent?.replace(/\s+/g, " ").trim(),
    );
  return { bff, queryClient, view, steps };
}

describe("OperationTimeline", () => {
  it("fetches the history when shown: each status with its time, who set it and how long it lasted", async () => {
    const { bff, view, steps } = show("EXECUTING");
    const request = bff.open();
    expect(request.path).toBe("/api/operations/31/history");
    expect(view.container.querySelector("[role=status]")?.textContent).toBe(
      "Loading the history of operation 31…",
    );
    request.answer(history("EXECUTING", [created, executing]));
    await settle();
    expect(steps()).toEqual([
      expect.stringMatching(/^Pending at .+ by admin for 5 s$/),
      expect.stringMatching(/^Executing at .+ by device_gw-1 for 55 s so far$/),
    ]);
    const times = [...view.container.querySelectorAll("li time")].map((t) => t.getAttribute("datetime"));
    expect(times).toEqual([at(0), at(5)]);
  });

  it("refetches when a live event moves the operation on, and not for one that leaves the status as it is", async () => {
    const { bff, queryClient, steps } = show("EXECUTING");
    bff.open().answer(history("EXECUTING", [created, executing]));
    await settle();

    // A result arrives while still executing: nothing new in the audit records.
    act(() =>
      applyOperationEvent(queryClient, { ...op("EXECUTING"), description: "Restart device (rebooting)" }),
    );
    await settle();
    expect(bff.requests).toHaveLength(1);

    // The device reports success: shown at once, its record fetched.
    act(() => applyOperationEvent(queryClient, op("SUCCESSFUL")));
    await settle();
    expect(steps().at(-1)).toBe("Successful time not recorded yet");
    const again = bff.open();
    expect(again.path).toBe("/api/operations/31/history");
    again.answer(
      history("SUCCESSFUL", [created, executing, record("34", 50, "SUCCESSFUL", "device_gw-1", "EXECUTING")]),
    );
    await settle();
    expect(steps()).toEqual([
      expect.stringMatching(/^Pending at .+ by admin for 5 s$/),
      expect.stringMatching(/^Executing at .+ by device_gw-1 for 45 s$/),
      expect.stringMatching(/^Successful at .+ by device_gw-1$/),
    ]);
  });

  it("says when the platform has no records, and when the user may not read them", async () => {
    const none = show("FAILED");
    none.bff.open().answer(history("FAILED", []));
    await settle();
    expect(none.steps()).toEqual(["Failed time not recorded yet"]);
    expect(none.view.container.textContent).toContain("The platform has no audit records of this operation");
    none.view.unmount();

    const refused = show("PENDING");
    refused.bff
      .open()
      .answer(
        { error: { code: "forbidden", message: "Your user is not allowed to do this on the platform." } },
        403,
      );
    await settle();
    const alert = refused.view.container.querySelector("[role=alert]");
    expect(alert?.textContent).toBe(
      "Your platform user may not read audit records, where the history comes from.",
    );
  });
});
