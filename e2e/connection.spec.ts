import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { expectOnline, startSimulatedDevices, type SimulatedDevices } from "./support/devices";
import { deviceBySerial, registerAndAccept, restOk } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * Connection status against the real stack: a simulated agent (emulator/devices) listens for operations, so the
 * platform marks it CONNECTED once it is monitored; when it stops, the platform writes DISCONNECTED after its
 * grace (shortened for the run in e2e/global-setup.ts), and the console must show it through live events:
 * nothing here reloads a page.
 */

const run = runSuffix();

interface Agent {
  serial: string;
  fleet: SimulatedDevices;
  id: string;
  name: string;
}

/** A simulated agent, registered, accepted, online and monitored (c8y_RequiredAvailability, as the vendor's UI sets it). */
async function startAgent(serial: string): Promise<Agent> {
  const fleet = startSimulatedDevices([serial], { pollIntervalMs: 300 });
  await registerAndAccept(serial);
  await expectOnline(fleet);
  const { id, name } = await deviceBySerial(serial);
  await restOk(`/inventory/managedObjects/${id}`, {
    method: "PUT",
    body: { c8y_RequiredAvailability: { responseInterval: 60 } },
  });
  // One message (an empty update): the platform then knows when it last heard from the device.
  await restOk(`/inventory/managedObjects/${id}`, { method: "PUT", body: {} });
  return { serial, fleet, id, name };
}

// Two agents, one stopped under each view: each view must change by itself, without a reload.
let inTree: Agent;
let onPage: Agent;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  [inTree, onPage] = await Promise.all([startAgent(`e2e-conn-t-${run}`), startAgent(`e2e-conn-p-${run}`)]);
});

test.afterAll(async () => {
  await Promise.all([inTree?.fleet.stop(), onPage?.fleet.stop()]);
});

const badge = (scope: Locator) => scope.getByTestId("connection-badge");
const header = (page: Page) => page.locator("header").filter({ has: page.getByTestId("last-seen") });

/** Counts the page's own navigations from now on (a reload would be one). */
function navigationsOf(page: Page): string[] {
  const out: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) out.push(frame.url());
  });
  return out;
}

test("an agent that connects is Connected in the tree and the search; when it stops, Disconnected without a reload", async ({
  page,
}) => {
  await page.goto("/devices");
  await page.getByLabel("Find a device or group").fill(inTree.serial);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const hit = page.getByRole("list", { name: `Results for ${inTree.serial}` }).getByRole("button");
  await expect(hit).toHaveCount(1);
  await expect(badge(hit)).toHaveText("Connected");
  await hit.click();
  const row = page.getByRole("tree", { name: "Device hierarchy" }).locator(`[data-node-id="${inTree.id}"]`);
  await expect(row).toHaveAttribute("aria-selected", "true");
  await expect(badge(row)).toHaveText("Connected");
  await expectNoSeriousA11yViolations(page, "/devices with connection badges");

  const navigations = navigationsOf(page);
  // The agent goes away: its realtime session ends, the platform writes DISCONNECTED after the grace.
  await inTree.fleet.stop();
  await expect(badge(row)).toHaveText("Disconnected", { timeout: 30_000 });
  await expect(badge(hit)).toHaveText("Disconnected");
  expect(navigations).toEqual([]);

  // The filtered list has it too, and the filter control says which one is on.
  await page.getByRole("link", { name: "Disconnected", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("connection") === "DISCONNECTED");
  await expect(page.getByRole("link", { name: "Disconnected", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("link", { name: inTree.name })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/devices?connection=DISCONNECTED");
});

test("the device page shows Connected and when it was last seen; when the agent stops, Disconnected without a reload, and the send dialog says the operation will wait", async ({
  page,
}) => {
  await page.goto(`/devices/${onPage.id}?tab=operations`);
  await expect(badge(header(page))).toHaveText("Connected");
  const lastSeen = page.getByTestId("last-seen");
  await expect(lastSeen).toContainText(/Last seen (just now|\d+ (seconds?|minutes?) ago)/);
  // The exact time on hover.
  await expect(lastSeen.locator("time")).toHaveAttribute("title", /\d/);

  // Connected: sending says nothing about waiting.
  const panel = page.getByRole("region", { name: "Send an operation" });
  await panel.getByRole("button", { name: "Restart", exact: true }).click();
  let dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Send", exact: true })).toBeVisible();
  await expect(dialog.getByRole("note")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expectNoSeriousA11yViolations(page, "a connected device's page");

  const navigations = navigationsOf(page);
  await onPage.fleet.stop();
  await expect(badge(header(page))).toHaveText("Disconnected", { timeout: 30_000 });
  expect(navigations).toEqual([]);

  await panel.getByRole("button", { name: "Restart", exact: true }).click();
  dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("note")).toContainText(
    "is disconnected: the operation will wait as Pending until it connects again",
  );
  await expectNoSeriousA11yViolations(page, "the send dialog of a disconnected device");
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
});
