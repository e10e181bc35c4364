import { expect, test, type Page } from "@playwright/test";
import { SIGNED_OUT, fillSignInForm } from "./support/auth";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createManagedObject, linkChildren, restOk, seedPendingRequests } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * The fleet overview against the real stack. Other journeys share the emulator, so each count is checked as a
 * difference: the platform states this spec creates must add exactly that many to the card's number.
 */

const run = runSuffix();

/** A card by its title (the card's link). */
const card = (page: Page, title: string) =>
  page
    .getByRole("list", { name: "What needs attention" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: title, exact: true }) });
const link = (page: Page, title: string) => card(page, title).getByRole("link", { name: title, exact: true });

/** The number each card shows, once every one of them has one. */
async function counts(page: Page, titles: readonly string[]) {
  const out: Record<string, number> = {};
  for (const title of titles) {
    const count = card(page, title).getByTestId("overview-count");
    await expect(count).toHaveText(/^[\d,]+$/);
    out[title] = Number((await count.textContent())!.replaceAll(",", ""));
  }
  return out;
}

test.describe("after sign-in", () => {
  test.use({ storageState: SIGNED_OUT });

  test("the console lands on the overview, first in the navigation", async ({ page }) => {
    await page.goto("/login");
    await fillSignInForm(page);
    await page.waitForURL((url) => url.pathname === "/overview");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    await expect(nav.first()).toHaveText("Overview");
    await expect(nav.first()).toHaveAttribute("aria-current", "page");
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/overview");
  });
});

const TITLES = [
  "Waiting for acceptance",
  "Disconnected devices",
  "Unavailable devices",
  "Failed in the last 24 h",
  "Bulk operations running",
] as const;

test("the counts follow what the platform holds, and every card opens its filtered list", async ({
  page,
}) => {
  await page.goto("/overview");
  const before = await counts(page, TITLES);
  await expectNoSeriousA11yViolations(page, "/overview");

  // Two devices knocked and waiting for acceptance.
  await seedPendingRequests([`e2e-ov-a-${run}`, `e2e-ov-b-${run}`]);
  // A monitored device that never connected nor sent anything: disconnected and unavailable.
  const silentName = `E2E silent ${run}`;
  await createManagedObject({
    name: silentName,
    c8y_IsDevice: {},
    c8y_RequiredAvailability: { responseInterval: 30 },
  });
  // A failed operation, created now.
  const target = await createManagedObject({ name: `E2E ov target ${run}`, c8y_IsDevice: {} });
  const op = await restOk<{ id: string }>("/devicecontrol/operations", {
    body: { deviceId: target, c8y_Restart: {}, description: "Restart" },
  });
  await restOk(`/devicecontrol/operations/${op.id}`, { method: "PUT", body: { status: "EXECUTING" } });
  await restOk(`/devicecontrol/operations/${op.id}`, {
    method: "PUT",
    body: { status: "FAILED", failureReason: "e2e" },
  });
  // A bulk operation on a group whose device has no agent: its operation stays pending, so it keeps running.
  const group = await createManagedObject({ name: `E2E ov group ${run}`, c8y_IsDeviceGroup: {} });
  await linkChildren(group, "childAssets", [target]);
  await restOk("/devicecontrol/bulkoperations", {
    body: {
      groupId: group,
      startDate: new Date().toISOString(),
      creationRamp: 0.1,
      operationPrototype: { c8y_Restart: {}, description: "Bulk restart" },
    },
  });

  await page.getByRole("button", { name: "Refresh" }).click();
  const expected: Record<string, number> = {
    "Waiting for acceptance": before["Waiting for acceptance"]! + 2,
    "Disconnected devices": before["Disconnected devices"]! + 1,
    "Unavailable devices": before["Unavailable devices"]! + 1,
    "Failed in the last 24 h": before["Failed in the last 24 h"]! + 1,
    "Bulk operations running": before["Bulk operations running"]! + 1,
  };
  await expect.poll(() => counts(page, TITLES)).toEqual(expected);

  // Each card opens the list behind it.
  await link(page, "Disconnected devices").click();
  await page.waitForURL((url) => url.pathname === "/devices" && url.search === "?connection=DISCONNECTED");
  await expect(page.getByRole("link", { name: silentName })).toBeVisible();

  await page.goBack();
  await link(page, "Unavailable devices").click();
  await page.waitForURL((url) => url.pathname === "/devices" && url.search === "?connection=UNAVAILABLE");
  await expect(page.getByRole("link", { name: silentName })).toBeVisible();

  await page.goBack();
  await link(page, "Waiting for acceptance").click();
  await page.waitForURL(
    (url) => url.pathname === "/registrations" && url.searchParams.get("status") === "PENDING_ACCEPTANCE",
  );
  await expect(page.getByText(`e2e-ov-a-${run}`)).toBeVisible();

  await page.goBack();
  await link(page, "Failed in the last 24 h").click();
  await page.waitForURL(
    (url) => url.pathname === "/operations" && url.searchParams.get("status") === "FAILED",
  );
  await expect(page.locator(`tr[data-operation-id="${op.id}"]`)).toBeVisible();

  await page.goBack();
  await link(page, "Stuck pending").click();
  await page.waitForURL(
    (url) => url.pathname === "/operations" && url.searchParams.get("status") === "PENDING",
  );

  await page.goBack();
  await expect(link(page, "Bulk operations running")).toHaveAttribute(
    "href",
    "/operations/bulk?generalStatus=EXECUTING",
  );
});
