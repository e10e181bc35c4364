import { expect, test, type Locator, type Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulatorProcess, type EmulatorProcess } from "../tests/support/emulator-process";
import { SIGNED_OUT, signIn } from "./support/auth";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { startConsole, type RunningConsole } from "./support/console";
import { expectOnline, startSimulatedDevices, type SimulatedDevices } from "./support/devices";
import {
  createManagedObject,
  deviceBySerial,
  registerAndAccept,
  restOk,
  type Emulator,
} from "./support/emulator";
import { runSuffix } from "./support/env";
import { expectNoReload, markDocument } from "./support/page";

/**
 * Operations journeys against the real stack: a simulated agent (emulator/devices, HTTP only) registered and
 * accepted through the emulator's REST API, the console's device page and /operations. Statuses must arrive
 * through the live event stream: nothing here reloads a page, and each test checks that it did not.
 */

const run = runSuffix();
const serial = `e2e-ops-${run}`;

/** An agent with one child, slow enough operations to watch them move through their statuses. */
function startFleet(ids: string[], overrides: { operationDurationMs?: number; emulator?: Emulator } = {}) {
  return startSimulatedDevices(ids, {
    children: 1,
    pollIntervalMs: 300,
    operationDurationMs: 2500,
    rebootDurationMs: 2500,
    ...overrides,
  });
}

const operationsTab = (deviceId: string) => `/devices/${deviceId}?tab=operations`;
const rows = (page: Page) => page.locator("tr[data-operation-id]");
const row = (page: Page, id: string) => page.locator(`tr[data-operation-id="${id}"]`);
const newestId = async (page: Page) => {
  await expect(rows(page).first()).toBeVisible();
  return (await rows(page).first().getAttribute("data-operation-id"))!;
};
const statusOf = (r: Locator) => r.getByTestId("operation-status");
const panel = (page: Page) => page.getByRole("region", { name: "Send an operation" });

// ----- the shared emulator --------------------------------------------------------------------------------------

let fleet: SimulatedDevices;
let agent: { id: string; name: string };
let child: { id: string; name: string };
let lonely: { id: string; name: string };

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  fleet = startFleet([serial]);
  await registerAndAccept(serial);
  agent = await deviceBySerial(serial);
  child = await deviceBySerial(`${serial}-child-1`);
  await expectOnline(fleet);
  const name = `E2E Lonely ${run}`;
  lonely = {
    id: await createManagedObject({ name, c8y_IsDevice: {}, c8y_SupportedOperations: ["c8y_Restart"] }),
    name,
  };
});

test.afterAll(async () => {
  await fleet?.stop();
});

test("a restart goes Pending → Executing → Successful on screen, without a reload, and the operator is told", async ({
  page,
}) => {
  // Every restart takes the agent away for a while: each journey starts with it back and listening.
  await expectOnline(fleet);
  await page.goto(operationsTab(agent.id));
  await markDocument(page);

  await panel(page).getByRole("button", { name: "Restart", exact: true }).click();
  const dialog = page.getByRole("dialog");
  // The agent works on one operation at a time: a firmware update sent just before keeps the restart Pending for a
  // while. Sent once the dialog is open, so a slow machine opening it does not use up that while.
  await restOk("/devicecontrol/operations", {
    body: {
      deviceId: agent.id,
      c8y_Firmware: { name: "e2e-fw", version: run, url: "https://repo.test/fw.bin" },
    },
  });
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(dialog).toBeHidden();

  const id = await newestId(page);
  const restart = row(page, id);
  await expect(statusOf(restart)).toHaveText("Pending");
  await expect(statusOf(restart)).toHaveText("Executing", { timeout: 30_000 });
  await expect(statusOf(restart)).toHaveText("Successful", { timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Notifications" })).toContainText(
    `Restart on ${agent.name} succeeded`,
  );

  // The timeline has all three from the platform's audit records: the time spent in each, and who set it (the
  // operator sent it, the device's agent carried it out with its own user).
  await restart.getByRole("button", { name: `Show details of operation ${id}` }).click();
  const steps = page.getByRole("list", { name: `Timeline of operation ${id}` }).getByRole("listitem");
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText(/Pending at .+ by admin for \d/);
  await expect(steps.nth(1)).toContainText(new RegExp(`Executing at .+ by device_${serial} for \\d`));
  await expect(steps.nth(2)).toContainText(new RegExp(`Successful at .+ by device_${serial}`));
  await expectNoSeriousA11yViolations(page, "the device's Operations tab with a timeline open");
  await expectNoReload(page);
});

test("an operation the device does not support fails, with the device's reason in full", async ({ page }) => {
  await expectOnline(fleet);
  await page.goto(operationsTab(child.id));
  await markDocument(page);
  await expect(panel(page)).toContainText(`Carried out by its agent ${agent.name}`);
  await panel(page).getByRole("button", { name: "Send Shell command anyway…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("note")).toContainText("does not list c8y_Command");
  await dialog.getByLabel("Command").fill("uptime");
  await dialog.getByRole("button", { name: "Send anyway" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Confirm");
  await dialog.getByLabel("I understand; send it anyway").check();
  await dialog.getByRole("button", { name: "Send anyway" }).click();

  const reason = dialog.getByTestId("failure-reason");
  await expect(reason).toContainText(`Operation c8y_Command is not supported by ${child.name}`, {
    timeout: 30_000,
  });
  await expect(reason).toContainText("supported: c8y_Restart, c8y_Configuration, c8y_Firmware");
  await expectNoSeriousA11yViolations(page, "the send dialog with a failed shell command");
  await dialog.getByRole("button", { name: "Close", exact: true }).click();

  const failed = row(page, await newestId(page));
  await expect(statusOf(failed)).toHaveText("Failed");
  await expect(failed).toContainText("is not supported by");
  await expectNoReload(page);
});

test("a shell command shows its output when it comes back", async ({ page }) => {
  await expectOnline(fleet);
  await page.goto(operationsTab(agent.id));
  await markDocument(page);
  await panel(page).getByRole("button", { name: "Shell command", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Command").fill(`echo hello-${run}`);
  await dialog.getByRole("button", { name: "Send", exact: true }).click();

  await expect(dialog.getByTestId("command-result")).toHaveText(`hello-${run}`, { timeout: 30_000 });
  await expect(dialog.getByTestId("operation-status")).toHaveText("Successful");
  await expectNoReload(page);
});

test("a pending operation can be cancelled; it becomes Failed, cancelled by the operator", async ({
  page,
}) => {
  await page.goto(operationsTab(lonely.id));
  await markDocument(page);
  await expect(panel(page)).toContainText("No agent above this device");
  await panel(page).getByRole("button", { name: "Restart", exact: true }).click();
  const send = page.getByRole("dialog");
  await expect(send.getByRole("note")).toContainText("No agent is above");
  await send.getByLabel("I understand; send it anyway").check();
  await send.getByRole("button", { name: "Send anyway" }).click();
  await expect(send).toBeHidden();

  const id = await newestId(page);
  await expect(statusOf(row(page, id))).toHaveText("Pending");
  await row(page, id)
    .getByRole("button", { name: `Cancel operation ${id}` })
    .click();
  const confirm = page.getByRole("alertdialog", { name: `Cancel operation ${id}?` });
  await confirm.getByLabel("Reason (optional)").fill("sent to the wrong device");
  await confirm.getByRole("button", { name: "Cancel operation" }).click();
  await expect(confirm).toBeHidden();

  await expect(statusOf(row(page, id))).toHaveText("Failed");
  await expect(row(page, id)).toContainText("Cancelled by admin: sent to the wrong device");
  expect((await restOk(`/devicecontrol/operations/${id}`)).status).toBe("FAILED");
  await expectNoReload(page);
});

test("two tabs both follow an operation live", async ({ context }) => {
  await expectOnline(fleet);
  const a = await context.newPage();
  await a.goto(operationsTab(agent.id));
  const b = await context.newPage();
  await b.goto(`/operations?device=${agent.id}`);
  await expect(b.getByRole("heading", { name: "Operations", level: 1 })).toBeVisible();
  await markDocument(a);
  await markDocument(b);

  await panel(a).getByRole("button", { name: "Configuration", exact: true }).click();
  const dialog = a.getByRole("dialog");
  const editor = dialog.getByLabel("Configuration");
  await expect(editor).not.toHaveValue("");
  await editor.fill(`# e2e ${run}\nlog.level=DEBUG\n`);
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(dialog).toBeHidden();

  const id = await newestId(a);
  for (const page of [a, b])
    await expect(row(page, id)).toHaveAttribute("data-status", "SUCCESSFUL", { timeout: 30_000 });
  await expectNoSeriousA11yViolations(b, "/operations");
  await expectNoReload(a);
  await expectNoReload(b);
});

// ----- an emulator of our own, restarted mid-operation ----------------------------------------------------------

test("the emulator restarts mid-operation and the page still ends with the platform's final status", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-e2e-restart-"));
  const consoleDir = mkdtempSync(join(tmpdir(), "c8y-e2e-restart-console-"));
  let emulator: EmulatorProcess | undefined;
  let consoleApp: RunningConsole | undefined;
  let devices: SimulatedDevices | undefined;
  try {
    emulator = await startEmulatorProcess({ dataDir });
    const port = Number(new URL(emulator.url).port);
    const own: Emulator = emulator;
    consoleApp = await startConsole({
      C8Y_BASEURL: emulator.url,
      DATA_DIR: consoleDir,
      SESSION_PASSWORD: "e2e-restart-session-password-at-least-32-chars",
    });
    // Long operations, so the emulator is back before the device reports.
    devices = startFleet([`${serial}-r`], { operationDurationMs: 8000, emulator: own });
    await registerAndAccept(`${serial}-r`, own);
    const gw = await deviceBySerial(`${serial}-r`, own);
    await expectOnline(devices);

    // Its own console, its own operator: the run's shared session belongs to another console.
    const context = await browser.newContext({ baseURL: consoleApp.url, storageState: SIGNED_OUT });
    const page = await context.newPage();
    await signIn(page, {
      next: operationsTab(gw.id),
      tenant: emulator.tenant,
      password: emulator.adminPassword,
    });
    await markDocument(page);

    await panel(page).getByRole("button", { name: "Firmware update", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Version").fill(`r-${run}`);
    await dialog.getByLabel("Download URL").fill("https://repo.test/firmware.bin");
    await dialog.getByRole("button", { name: "Send", exact: true }).click();
    await expect(dialog).toBeHidden();
    const id = await newestId(page);
    await expect(statusOf(row(page, id))).toHaveText("Executing", { timeout: 30_000 });

    await emulator.stop();
    emulator = await startEmulatorProcess({ dataDir, port });

    let final: unknown;
    const status = async () =>
      (await restOk<{ status: string }>(`/devicecontrol/operations/${id}`, { emulator: own })).status;
    await expect
      .poll(async () => (final = await status()), { timeout: 60_000 })
      .toMatch(/^(SUCCESSFUL|FAILED)$/);
    await expect(row(page, id)).toHaveAttribute("data-status", String(final), { timeout: 60_000 });
    await expectNoReload(page);
    await context.close();
  } finally {
    await devices?.stop();
    await consoleApp?.stop();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(consoleDir, { recursive: true, force: true });
  }
});
