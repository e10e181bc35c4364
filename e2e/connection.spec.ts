import { expect, test, type Page } from "@playwright/test";
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
const serial = `e2e-conn-${run}`;

let fleet: SimulatedDevices;
let agent: { id: string; name: string };

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  fleet = startSimulatedDevices([serial], { pollIntervalMs: 300 });
  await registerAndAccept(serial);
  await expectOnline(fleet);
  agent = await deviceBySerial(serial);
  // Monitoring on, as the vendor's UI does it (c8y_RequiredAvailability), then one message (an empty update).
  await restOk(`/inventory/managedObjects/${agent.id}`, {
    method: "PUT",
    body: { c8y_RequiredAvailability: { responseInterval: 60 } },
  });
  await restOk(`/inventory/managedObjects/${agent.id}`, { method: "PUT", body: {} });
});

test.afterAll(async () => {
  await fleet?.stop();
});

const tree = (page: Page) => page.getByRole("tree", { name: "Device hierarchy" });
const row = (page: Page) => tree(page).locator(`[data-node-id="${agent.id}"]`);
const header = (page: Page) => page.locator("header").filter({ has: page.getByTestId("last-seen") });

test("an agent that connects is Connected in the tree and on its page; when it stops, Disconnected without a reload; the send dialog warns", async ({
  page,
  context,
}) => {
  // The tree, opened at the agent through the search (other journeys share the emulator's roots).
  const treePage = await context.newPage();
  await treePage.goto("/devices");
  await treePage.getByLabel("Find a device or group").fill(serial);
  await treePage.getByRole("button", { name: "Search", exact: true }).click();
  const hit = treePage.getByRole("list", { name: `Results for ${serial}` }).getByRole("button");
  await expect(hit).toHaveCount(1);
  await expect(hit.getByTestId("connection-badge")).toHaveText("Connected");
  await hit.click();
  await expect(row(treePage)).toHaveAttribute("aria-selected", "true");
  await expect(row(treePage).getByTestId("connection-badge")).toHaveText("Connected");

  // The device page: the badge, and when the platform last heard from it (exact time on hover).
  await page.goto(`/devices/${agent.id}?tab=operations`);
  await expect(header(page).getByTestId("connection-badge")).toHaveText("Connected");
  const lastSeen = page.getByTestId("last-seen");
  await expect(lastSeen).toContainText(/Last seen (just now|\d+ (seconds?|minutes?) ago)/);
  await expect(lastSeen.locator("time")).toHaveAttribute("title", /\d/);
  await expectNoSeriousA11yViolations(page, "a connected device's page");

  // Connected: sending says nothing about waiting.
  const panel = page.getByRole("region", { name: "Send an operation" });
  await panel.getByRole("button", { name: "Restart", exact: true }).click();
  let dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Send", exact: true })).toBeVisible();
  await expect(dialog.getByRole("note")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();

  const navigations: string[] = [];
  for (const p of [page, treePage])
    p.on("framenavigated", (frame) => {
      if (frame === p.mainFrame()) navigations.push(frame.url());
    });

  // The agent goes away: its realtime session ends, the platform writes DISCONNECTED after the grace.
  await fleet.stop();
  await expect(header(page).getByTestId("connection-badge")).toHaveText("Disconnected", { timeout: 30_000 });
  await expect(row(treePage).getByTestId("connection-badge")).toHaveText("Disconnected", { timeout: 30_000 });
  expect(navigations).toEqual([]);

  // Disconnected: the dialog says the operation will wait.
  await panel.getByRole("button", { name: "Restart", exact: true }).click();
  dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("note")).toContainText(
    "is disconnected: the operation will wait as Pending until it connects again",
  );
  await expectNoSeriousA11yViolations(page, "the send dialog of a disconnected device");
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();

  // The filtered list has it too.
  await page.goto("/devices?connection=DISCONNECTED");
  await expect(page.getByRole("link", { name: "Disconnected", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("link", { name: agent.name })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/devices?connection=DISCONNECTED");
});
