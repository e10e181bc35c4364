// The availability model as pure rules: the interval's range and the deadline's edges.
import { describe, expect, it } from "vitest";
import { maintainedChanges, requiredInterval, statusesFor } from "../rules.js";

const required = (responseInterval: unknown) => ({ c8y_RequiredAvailability: { responseInterval } });

describe("requiredInterval", () => {
  it.each([
    [15, 15],
    [0, 0],
    [-1, -1],
    [1.9, 1],
    [99_999, 32_767],
    [-99_999, -32_768],
  ])("reads %s minutes as %s (the vendor's 16-bit range, whole minutes)", (given, read) => {
    expect(requiredInterval(required(given))).toBe(read);
  });

  it.each([["10"], [null], [true], [Number.NaN]])("is not monitored with responseInterval %s", (given) => {
    expect(requiredInterval(required(given))).toBeUndefined();
  });

  it("is not monitored without the fragment or without an interval in it", () => {
    expect(requiredInterval({})).toBeUndefined();
    expect(requiredInterval({ c8y_RequiredAvailability: {} })).toBeUndefined();
    expect(requiredInterval({ c8y_RequiredAvailability: 10 })).toBeUndefined();
  });
});

describe("statusesFor", () => {
  const now = 1_000_000_000;
  it("keeps a device AVAILABLE up to interval + grace after its last message, and no longer", () => {
    const at = (lastMessageMs: number) => statusesFor(2, { lastMessageMs, connected: false }, now, 500);
    expect(at(now - 120_500).availability).toBe("AVAILABLE");
    expect(at(now - 120_501).availability).toBe("UNAVAILABLE");
  });

  it("tells availability and connection apart", () => {
    expect(statusesFor(2, { lastMessageMs: undefined, connected: true }, now, 0)).toEqual({
      availability: "UNAVAILABLE",
      connection: "CONNECTED",
    });
    expect(statusesFor(2, { lastMessageMs: now, connected: false }, now, 0)).toEqual({
      availability: "AVAILABLE",
      connection: "DISCONNECTED",
    });
  });
});

describe("maintainedChanges", () => {
  const facts = { lastMessageMs: undefined, connected: false };
  it("changes nothing when the fragments are in line", () => {
    const fragments = {
      ...required(5),
      c8y_Availability: { status: "UNAVAILABLE" },
      c8y_Connection: { status: "DISCONNECTED" },
    };
    expect(maintainedChanges(fragments, facts, 0, 0).size).toBe(0);
  });

  it("removes both fragments from an object that is not monitored", () => {
    const fragments = { c8y_Availability: { status: "AVAILABLE" }, c8y_Connection: { status: "CONNECTED" } };
    expect([...maintainedChanges(fragments, facts, 0, 0)]).toEqual([
      ["c8y_Availability", null],
      ["c8y_Connection", null],
    ]);
    expect(maintainedChanges({ acme: 1 }, facts, 0, 0).size).toBe(0);
  });
});
