import { describe, expect, it } from "vitest";
import { OPERATION_STATUSES, isFinalStatus, statusRank, supersedes } from "../operations";

describe("the one status ranking", () => {
  it("orders PENDING before EXECUTING before the two final statuses, which rank equal", () => {
    expect(OPERATION_STATUSES.map(statusRank)).toEqual([0, 1, 2, 2]);
    expect(OPERATION_STATUSES.filter(isFinalStatus)).toEqual(["SUCCESSFUL", "FAILED"]);
  });

  it("lets a copy replace another in the same status or a further one, never an earlier one", () => {
    expect(supersedes("PENDING", undefined)).toBe(true);
    expect(supersedes("EXECUTING", "EXECUTING")).toBe(true);
    expect(supersedes("EXECUTING", "PENDING")).toBe(true);
    expect(supersedes("FAILED", "PENDING")).toBe(true);
    expect(supersedes("SUCCESSFUL", "EXECUTING")).toBe(true);
    expect(supersedes("PENDING", "EXECUTING")).toBe(false);
  });

  it("never moves a final status back, and neither final status replaces the other", () => {
    for (const final of ["SUCCESSFUL", "FAILED"] as const) {
      expect(supersedes(final, final)).toBe(true);
      expect(supersedes("PENDING", final)).toBe(false);
      expect(supersedes("EXECUTING", final)).toBe(false);
    }
    expect(supersedes("FAILED", "SUCCESSFUL")).toBe(false);
    expect(supersedes("SUCCESSFUL", "FAILED")).toBe(false);
  });
});
