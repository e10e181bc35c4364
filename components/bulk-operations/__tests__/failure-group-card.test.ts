import { describe, expect, it } from "vitest";
import type { FailureGroup } from "@/lib/schemas/bulk-operations";
import { NO_ADMIN_ROLE } from "../action-button";
import { whyNotRetry } from "../failure-group-card";

/** A failure group of `n` devices with 7-digit ids, as a large tenant numbers them. */
const group = (n: number): FailureGroup => ({
  reason: "Disk full",
  count: n,
  devices: Array.from({ length: n }, (_, i) => ({
    id: String(1_000_000 + i),
    name: `Pump ${i}`,
    operationId: String(2_000_000 + i),
  })),
});

describe("whyNotRetry (Retry these)", () => {
  it("is available to an operator with the role for a group one selection holds", () => {
    expect(whyNotRetry(group(1), true)).toBeNull();
    expect(whyNotRetry(group(300), true)).toBeNull();
  });

  it("names the missing role first", () => {
    expect(whyNotRetry(group(1), false)).toBe(NO_ADMIN_ROLE);
  });

  it("says a group too large for one selection is retried with Retry all failed, before the platform is asked", () => {
    expect(whyNotRetry(group(1000), true)).toBe(
      "1000 devices are too many for one selection: “Retry all failed” retries them with the rest.",
    );
  });
});
