import { describe, expect, it } from "vitest";
import type { OperationDto, StatusEntry } from "@/lib/schemas/operations";
import { buildTimeline, enteredCurrentStatus, formatDuration, staleness } from "../timeline-model";

const T0 = Date.parse("2025-05-02T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const created: StatusEntry = { status: "PENDING", at: at(0), exact: true, after: null };

function op(status: OperationDto["status"], history: StatusEntry[]): OperationDto {
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
    history,
  };
}

describe("buildTimeline", () => {
  it("gives each observed status its duration; exact when both ends are", () => {
    const steps = buildTimeline(
      op("SUCCESSFUL", [
        created,
        { status: "EXECUTING", at: at(5), exact: true, after: null },
        { status: "SUCCESSFUL", at: at(65), exact: false, after: at(30) },
      ]),
      T0 + 100_000,
    );
    expect(steps.map((s) => [s.status, s.durationMs, s.approximate, s.running])).toEqual([
      ["PENDING", 5000, false, false],
      ["EXECUTING", 60_000, true, false],
      ["SUCCESSFUL", null, true, false],
    ]);
  });

  it("runs the clock for the current status and shows an unobserved EXECUTING of a successful one", () => {
    const running = buildTimeline(op("PENDING", [created]), T0 + 42_000);
    expect(running[0]).toMatchObject({ durationMs: 42_000, running: true });

    const skipped = buildTimeline(
      op("SUCCESSFUL", [created, { status: "SUCCESSFUL", at: at(9), exact: false, after: null }]),
      T0,
    );
    expect(skipped.map((s) => [s.status, s.at, s.durationMs])).toEqual([
      ["PENDING", at(0), null],
      ["EXECUTING", null, null],
      ["SUCCESSFUL", at(9), null],
    ]);
  });

  it("never shows a negative duration when clocks disagree", () => {
    const steps = buildTimeline(
      op("EXECUTING", [created, { status: "EXECUTING", at: at(-3), exact: true, after: null }]),
      T0,
    );
    expect(steps[0]!.durationMs).toBe(0);
  });
});

describe("staleness", () => {
  const limits = { PENDING: 5 * 60_000, EXECUTING: 10 * 60_000 };

  it("counts PENDING from creation", () => {
    expect(staleness(op("PENDING", [created]), limits, T0 + 4 * 60_000)).toBeNull();
    expect(staleness(op("PENDING", [created]), limits, T0 + 6 * 60_000)).toEqual({
      forMs: 6 * 60_000,
      thresholdMs: 5 * 60_000,
    });
  });

  it("counts EXECUTING from the earliest time it can have begun", () => {
    const exact = op("EXECUTING", [created, { status: "EXECUTING", at: at(120), exact: true, after: null }]);
    expect(enteredCurrentStatus(exact)).toBe(T0 + 120_000);
    const noticed = op("EXECUTING", [
      created,
      { status: "EXECUTING", at: at(900), exact: false, after: at(60) },
    ]);
    expect(enteredCurrentStatus(noticed)).toBe(T0 + 60_000);
    const firstSeen = op("EXECUTING", [
      created,
      { status: "EXECUTING", at: at(900), exact: false, after: null },
    ]);
    expect(enteredCurrentStatus(firstSeen)).toBe(T0);
    expect(staleness(noticed, limits, T0 + 12 * 60_000)).not.toBeNull();
    expect(staleness(exact, limits, T0 + 12 * 60_000)).toBeNull();
  });

  it("never calls a finished operation stale", () => {
    expect(staleness(op("FAILED", [created]), limits, T0 + 1e9)).toBeNull();
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
