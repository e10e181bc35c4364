import { expect, type Page } from "@playwright/test";
import { restOk } from "./emulator";

/** A bulk operation as the platform (the emulator's REST API) has it: what the bulk journeys compare with. */
export interface BulkProgress {
  pending: number;
  executing: number;
  successful: number;
  failed: number;
  all: number;
}
export interface PlatformBulk {
  id: string;
  generalStatus: string;
  progress: BulkProgress;
  note?: string;
}
/** One of its single operations. */
export interface PlatformBulkChild {
  id: string;
  deviceId: string;
  status: string;
  failureReason?: string;
}

export const bulkOf = (id: string) => restOk<PlatformBulk>(`/devicecontrol/bulkoperations/${id}`);

/** Waits until the platform says the bulk operation is over, and returns it as the platform has it. */
export async function finalBulk(id: string): Promise<PlatformBulk> {
  await expect
    .poll(async () => (await bulkOf(id)).generalStatus, { timeout: 60_000 })
    .toMatch(/^(SUCCESSFUL|FAILED)$/);
  return bulkOf(id);
}

/** Its single operations (at most one platform page of 2,000), optionally of one status. */
export async function bulkChildren(id: string, status?: string): Promise<PlatformBulkChild[]> {
  const page = await restOk<{ operations: PlatformBulkChild[] }>(
    `/devicecontrol/operations?bulkOperationId=${id}${status ? `&status=${status}` : ""}&pageSize=2000`,
  );
  return page.operations;
}

/** The bulk operation's page shows exactly these counts (the four statuses and the number of devices). */
export async function expectBulkCounts(page: Page, progress: BulkProgress) {
  const summary = page.getByRole("region", { name: "Progress" });
  for (const key of ["pending", "executing", "successful", "failed", "all"] as const)
    await expect(summary.locator(`[data-count="${key}"] dd`)).toHaveText(String(progress[key]));
}

/**
 * The failure groups the platform implies for a bulk operation: its FAILED children grouped by reason, largest
 * group first (ties by reason), each with its devices.
 */
export async function expectedFailureGroups(id: string): Promise<[reason: string, devices: string[]][]> {
  const byReason = new Map<string, string[]>();
  for (const op of await bulkChildren(id, "FAILED"))
    byReason.set(op.failureReason ?? "", [...(byReason.get(op.failureReason ?? "") ?? []), op.deviceId]);
  return [...byReason.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

/** The Failures tab shows exactly these groups, in this order, with their device counts. */
export async function expectFailureGroups(page: Page, expected: [reason: string, devices: string[]][]) {
  await page.getByRole("tab", { name: /Failures/ }).click();
  const groups = page.locator("li[data-failure-reason]");
  await expect(groups).toHaveCount(expected.length);
  for (const [i, [reason, devices]] of expected.entries()) {
    await expect(groups.nth(i)).toHaveAttribute("data-failure-reason", reason);
    await expect(groups.nth(i).locator('[data-count="devices"]')).toHaveText(String(devices.length));
  }
  return groups;
}
