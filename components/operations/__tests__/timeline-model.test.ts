import { describe, expect, it } from "vitest";
import { historyDtoSchema, type HistoryDto, type HistoryEntry } from "@/lib/schemas/audit";
import type { OperationDto } from "@/lib/schemas/operations";
import {
  buildTimeline,
  enteredCurrentStatus,
  formatDuration,
  staleTitle,
  staleness,
} from "../timeline-model";

const T0 = Date.parse("2025-05-02T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function op(status: OperationDto["status"]): OperationDto {
  return {
    id: "1",
    deviceId: "10",
    deviceName: "Gateway",
    agentId: "10",
    status,
    creationTime: at(0),
    description: null,
    failureReason: null,
    type: "c8y_Restart",
    command: null,
    fragments: { c8y_Restart: {} },
    bulkOperationId: null,
  };
}

let nextId = 100;
/** An audit record as the history route hands it on: `status` set, from `previousStatus`, at `s` seconds. */
function entry(s: number, status: string | null, user = "device_gw-1", extra: Partial<HistoryEntry> = {}) {
  return {
    id: String(nextId++),
    time: at(s),
    activity: status === "PENDING" ? "Operation created" : "Operation updated",
    user,
    status,
    previousStatus: null,
    changes: [],
    ...extra,
  } satisfies HistoryEntry;
}

/** The history as the route answers it (checked by the shared schema). */
function history(status: string, entries: HistoryEntry[], final = false): HistoryDto {
  return historyDtoSchema.parse({
    source: { type: "Operation", id: "1" },
    status,
    final,
    entries,
    truncated: false,
    maxRecords: 1000,
  });
}

const created = () => entry(0, "PENDING", "admin");

describe("buildTimeline", () => {
  it("gives each recorded status its time, its user and how long it lasted", () => {
    const h = history("SUCCESSFUL", [created(), entry(5, "EXECUTING"), entry(65, "SUCCESSFUL")], true);
    const steps = buildTimeline(op("SUCCESSFUL"), h, T0 + 100_000);
    expect(steps.map((s) => [s.status, s.at, s.user, s.durationMs, s.running])).toEqual([
      ["PENDING", at(0), "admin", 5000, false],
      ["EXECUTING", at(5), "device_gw-1", 60_000, false],
      ["SUCCESSFUL", at(65), "device_gw-1", null, false],
    ]);
  });

  it("runs the clock for the current status, never below zero when clocks disagree", () => {
    const pending = buildTimeline(op("PENDING"), history("PENDING", [created()]), T0 + 42_000);
    expect(pending).toMatchObject([{ status: "PENDING", durationMs: 42_000, running: true }]);
    const ahead = buildTimeline(
      op("EXECUTING"),
      history("EXECUTING", [created(), entry(3, "EXECUTING")]),
      T0,
    );
    expect(ahead[1]).toMatchObject({ durationMs: 0, running: true });
  });

  it("adds the operation's status when the records do not have it yet, without a time", () => {
    // The live event moved the operation on; the history is being fetched again.
    const steps = buildTimeline(
      op("SUCCESSFUL"),
      history("EXECUTING", [created(), entry(5, "EXECUTING")]),
      T0,
    );
    expect(steps.map((s) => [s.key === "current", s.status, s.at, s.user])).toEqual([
      [false, "PENDING", at(0), "admin"],
      [false, "EXECUTING", at(5), "device_gw-1"],
      [true, "SUCCESSFUL", null, null],
    ]);
    // Records of a later status than the copy in the cache: nothing is added.
    const behind = buildTimeline(op("PENDING"), history("EXECUTING", [created(), entry(5, "EXECUTING")]), T0);
    expect(behind.map((s) => s.status)).toEqual(["PENDING", "EXECUTING"]);
    // No records at all (removed by retention): the current status alone.
    expect(buildTimeline(op("FAILED"), history("FAILED", [], true), T0)).toMatchObject([
      { status: "FAILED", at: null },
    ]);
  });

  it("keeps changes that set no status, with what they changed, out of the durations", () => {
    const note = entry(20, null, "script", {
      changes: [{ attribute: "failureReason", previousValue: null, newValue: "x" }],
    });
    const steps = buildTimeline(
      op("SUCCESSFUL"),
      history("SUCCESSFUL", [created(), entry(5, "EXECUTING"), note, entry(65, "SUCCESSFUL")], true),
      T0,
    );
    expect(steps.map((s) => [s.status, s.user, s.durationMs])).toEqual([
      ["PENDING", "admin", 5000],
      ["EXECUTING", "device_gw-1", 60_000],
      [null, "script", null],
      ["SUCCESSFUL", "device_gw-1", null],
    ]);
    expect(steps[2]!.changes).toEqual(note.changes);
  });
});

describe("staleness", () => {
  const limits = { PENDING: 5 * 60_000, EXECUTING: 10 * 60_000 };

  it("counts PENDING from creation, exactly", () => {
    expect(staleness(op("PENDING"), limits, T0 + 4 * 60_000)).toBeNull();
    const s = staleness(op("PENDING"), limits, T0 + 6 * 60_000);
    expect(s).toEqual({ forMs: 6 * 60_000, exact: true, thresholdMs: 5 * 60_000 });
    expect(staleTitle(op("PENDING"), s!)).toBe("Pending for 6 min (threshold 5 min)");
  });

  it("counts EXECUTING from its audit record when the history is at hand, else from creation", () => {
    const h = history("EXECUTING", [created(), entry(8 * 60, "EXECUTING")]);
    expect(enteredCurrentStatus(op("EXECUTING"), h)).toEqual({ at: T0 + 8 * 60_000, exact: true });
    expect(staleness(op("EXECUTING"), limits, T0 + 12 * 60_000, h)).toBeNull();
    // Without the history only the creation time is known: the badge errs towards showing, and says so.
    expect(enteredCurrentStatus(op("EXECUTING"))).toEqual({ at: T0, exact: false });
    const s = staleness(op("EXECUTING"), limits, T0 + 12 * 60_000);
    expect(staleTitle(op("EXECUTING"), s!)).toBe("Executing, sent 12 min ago (threshold 10 min)");
  });

  it("never calls a finished operation stale", () => {
    expect(staleness(op("FAILED"), limits, T0 + 1e9)).toBeNull();
  });
});

it("formats durations for people", () => {
  expect([850, 42_000, 185_000, 7_800_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatDuration)).toEqual([
    "850 ms",
    "42 s",
    "3 min 5 s",
    "2 h 10 min",
    "3 d 4 h",
  ]);
});
