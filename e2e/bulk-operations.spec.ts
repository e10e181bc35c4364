import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { startSimulatedDevices, type SimulatedDevices } from "./support/devices";
import {
  createManagedObject,
  deviceBySerial,
  linkChildren,
  registerAndAccept,
  restOk,
} from "./support/emulator";
import {
  bulkChildren,
  bulkOf,
  expectBulkCounts,
  expectFailureGroups,
  expectedFailureGroups,
  finalBulk,
  type PlatformBulk,
} from "./support/bulk";
import { runSuffix } from "./support/env";
import { expectNoReload, markDocument } from "./support/page";

/**
 * Bulk operations against the real stack: a bulk restart on a group of simulated agents (emulator/devices, with
 * a failure rate) created through the emulator's REST API, watched live on /operations/bulk/<id> to the counts the
 * platform ends with, triaged by failure reason, and one failure group retried from the page.
 */

const run = runSuffix();
const serials = Array.from({ length: 8 }, (_, i) => `e2e-bulk-${run}-${i}`);

let fleet: SimulatedDevices;
let group: string;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(180_000);
  // Most restarts fail (with the agents' realistic reasons), so the triage has groups to show.
  fleet = startSimulatedDevices(serials, { failureRate: 0.7, pollIntervalMs: 300, rebootDurationMs: 300 });
  for (const s of serials) await registerAndAccept(s);
  const ids: string[] = [];
  for (const s of serials) ids.push((await deviceBySerial(s)).id);
  group = await createManagedObject({ name: `E2E bulk fleet ${run}`, c8y_IsDeviceGroup: {} });
  await linkChildren(group, "childAssets", ids);
  await expect.poll(() => fleet.devices.every((d) => d.status === "online"), { timeout: 60_000 }).toBe(true);
});

test.afterAll(async () => {
  await fleet?.stop();
});

const FINAL = ["SUCCESSFUL", "FAILED"];

test("a bulk restart shows its progress live to the platform's final counts, triages failures, and retries one group", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/operations/bulk");
  await expect(page.getByRole("heading", { level: 1, name: "Bulk operations" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "the bulk operations list");

  // Scheduled a few seconds ahead: the page is open before the first operation exists.
  const created = await restOk<PlatformBulk>("/devicecontrol/bulkoperations", {
    body: {
      groupId: group,
      startDate: new Date(Date.now() + 3000).toISOString(),
      creationRamp: 0.2,
      operationPrototype: { description: `Restart device (${run})`, c8y_Restart: {} },
    },
  });
  // The list picks it up live.
  await expect(page.locator(`tr[data-bulk-id="${created.id}"]`)).toBeVisible();
  await page.locator(`tr[data-bulk-id="${created.id}"]`).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: `Bulk operation #${created.id}` })).toBeVisible();
  await markDocument(page);

  const final = await finalBulk(created.id);
  expect(FINAL).toContain(final.generalStatus);
  await expectBulkCounts(page, final.progress);
  await expect(
    page
      .getByRole("region", { name: "Progress" })
      .getByText(final.generalStatus === "FAILED" ? "Completed with failures" : "Completed successfully"),
  ).toBeVisible();
  await expectNoReload(page);
  expect(final.progress.failed, "the failure rate makes some restarts fail").toBeGreaterThan(0);

  // Triage: the groups the platform's failed operations make, largest first.
  const expected = await expectedFailureGroups(created.id);
  const groups = await expectFailureGroups(page, expected);
  await expectNoSeriousA11yViolations(page, "a bulk operation's failure triage");

  // "Retry these" on the largest group, confirmed: a new bulk operation over exactly those devices opens.
  const [reason, devices] = expected[0]!;
  await groups
    .first()
    .getByRole("button", { name: /Retry these/ })
    .click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(`${devices.length} device`);
  await confirm.getByRole("button", { name: "Retry" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/operations/bulk/${created.id}(\\?|$)`));
  await expect(page.getByRole("heading", { level: 1, name: /^Bulk operation #\d+$/ })).toBeVisible();
  const retryId = /\/operations\/bulk\/(\d+)/.exec(page.url())![1]!;
  expect(retryId).not.toBe(created.id);
  await expect(page.getByRole("link", { name: `bulk operation #${created.id}` })).toBeVisible();

  const retried = await finalBulk(retryId);
  await expectBulkCounts(page, retried.progress);
  expect((await bulkChildren(retryId)).map((o) => o.deviceId).sort()).toEqual([...devices].sort());
  expect((await bulkOf(retryId)).note).toBe(`Retry of #${created.id}: ${reason}`);
  await expectNoSeriousA11yViolations(page, "a bulk operation's page");
  await expectNoReload(page);
});

test("losing the event stream during a rollout shows the page as stale, and it catches up without a reload", async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  // The previous rollout restarted every agent: they are back and listening first.
  await expect.poll(() => fleet.devices.every((d) => d.status === "online"), { timeout: 60_000 }).toBe(true);
  const created = await restOk<PlatformBulk>("/devicecontrol/bulkoperations", {
    body: {
      groupId: group,
      startDate: new Date(Date.now() + 4000).toISOString(),
      creationRamp: 0.5,
      operationPrototype: { description: `Restart device again (${run})`, c8y_Restart: {} },
    },
  });
  await page.goto(`/operations/bulk/${created.id}`);
  const summary = page.getByRole("region", { name: "Progress" });
  // The shared machine can be slow to bring a new stream's subscriptions up.
  await expect(summary.getByRole("status")).toHaveText("Live", { timeout: 60_000 });
  await markDocument(page);

  await context.setOffline(true);
  await expect(summary.getByRole("status")).toHaveText("Offline");
  const final = await finalBulk(created.id);
  await context.setOffline(false);

  await expectBulkCounts(page, final.progress);
  await expect(summary.getByRole("status")).toHaveText("Live", { timeout: 60_000 });
  await expectNoReload(page);
});
