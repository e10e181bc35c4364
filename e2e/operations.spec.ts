import { expect, test, type Locator, type Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDevices, type DevicesHandle } from "../emulator/devices/index.js";
import { startEmulatorProcess, type EmulatorProcess } from "../tests/support/emulator-process";
import { startConsole, type RunningConsole } from "./fixtures/console";
import { signIn } from "./support/auth";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { e2eEnv } from "./support/env";

/**
 * Operations journeys against the real stack: a simulated agent (emulator/devices, HTTP only) registered and
 * accepted through the emulator's REST API, the console's device page and /operations. Statuses must arrive
 * through the live event stream: nothing here reloads a page, and each test checks that it did not.
 */

const run = Date.now().toString(36);
const serial = `e2e-ops-${run}`;

interface Platform {
  url: string;
  auth: string;
  bootstrapPassword: string;
}

const sharedPlatform = (): Platform => {
  const env = e2eEnv();
  return {
    url: env.emulatorUrl,
    auth: `Basic ${Buffer.from(`${env.tenant}/admin:${env.adminPassword}`).toString("base64")}`,
    bootstrapPassword: env.bootstrapPassword,
  };
};

async function rest(p: Platform, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${p.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: p.auth,
      accept: "application/json",
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
}

/** Registers the serial, waits for the device to knock, accepts it (seed step 0 from the operator's side). */
async function registerAndAccept(p: Platform, id: string) {
  await rest(p, "/devicecontrol/newDeviceRequests", { body: { id } });
  await expect
    .poll(async () => (await rest(p, `/devicecontrol/newDeviceRequests/${id}`)).status, { timeout: 30_000 })
    .toBe("PENDING_ACCEPTANCE");
  await rest(p, `/devicecontrol/newDeviceRequests/${id}`, { method: "PUT", body: { status: "ACCEPTED" } });
}

/** The managed object bound to an external id, once the device has created and bound it (steps 1–3). */
async function objectFor(p: Platform, externalId: string): Promise<{ id: string; name: string }> {
  let found: { id: string; name: string } | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(
          `${p.url}/identity/externalIds/c8y_Serial/${encodeURIComponent(externalId)}`,
          {
            headers: { authorization: p.auth, accept: "application/json" },
          },
        );
        if (res.status !== 200) return false;
        const id = ((await res.json()) as { managedObject: { id: string } }).managedObject.id;
        found = { id, name: String((await rest(p, `/inventory/managedObjects/${id}`)).name) };
        return true;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return found!;
}

function startFleet(
  p: Platform,
  ids: string[],
  dataDir: string,
  overrides: { operationDurationMs?: number } = {},
) {
  return runDevices({
    url: p.url,
    ids,
    children: 1,
    dataDir,
    bootstrap: { password: p.bootstrapPassword },
    pollIntervalMs: 300,
    operationDurationMs: overrides.operationDurationMs ?? 2500,
    rebootDurationMs: 2500,
    failureRate: 0,
    log: () => undefined,
  });
}

/** Every restart takes the agent away for a while: each journey starts with it back and listening. */
const agentOnline = (fleet: DevicesHandle) =>
  expect.poll(() => fleet.devices[0]!.status, { timeout: 30_000 }).toBe("online");

/** Marks the loaded document; `expectNoReload` fails if the page was reloaded or navigated away since. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eDoc?: string }).__e2eDoc = "kept"));
}
async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __e2eDoc?: string }).__e2eDoc)).toBe("kept");
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

let p: Platform;
let fleet: DevicesHandle;
let fleetDir: string;
let agent: { id: string; name: string };
let child: { id: string; name: string };
let lonely: { id: string; name: string };

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  p = sharedPlatform();
  fleetDir = mkdtempSync(join(tmpdir(), "c8y-e2e-ops-devices-"));
  fleet = startFleet(p, [serial], fleetDir);
  await registerAndAccept(p, serial);
  agent = await objectFor(p, serial);
  child = await objectFor(p, `${serial}-child-1`);
  await agentOnline(fleet);
  const id = String(
    (
      await rest(p, "/inventory/managedObjects", {
        body: { name: `E2E Lonely ${run}`, c8y_IsDevice: {}, c8y_SupportedOperations: ["c8y_Restart"] },
      })
    ).id,
  );
  lonely = { id, name: `E2E Lonely ${run}` };
});

test.afterAll(async () => {
  await fleet?.stop();
  if (fleetDir) rmSync(fleetDir, { recursive: true, force: true });
});

test("a restart goes Pending → Executing → Successful on screen, without a reload, and the operator is told", async ({
  page,
}) => {
  await agentOnline(fleet);
  await signIn(page, { next: operationsTab(agent.id) });
  await markDocument(page);
  // The agent works on one operation at a time: a firmware update sent first keeps the restart Pending for a while.
  await rest(p, "/devicecontrol/operations", {
    body: {
      deviceId: agent.id,
      c8y_Firmware: { name: "e2e-fw", version: run, url: "https://repo.test/fw.bin" },
    },
  });

  await panel(page).getByRole("button", { name: "Restart", exact: true }).click();
  const dialog = page.getByRole("dialog");
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

  // The timeline has all three, with the time spent in each.
  await restart.getByRole("button", { name: `Show details of operation ${id}` }).click();
  const timeline = page.getByRole("list", { name: `Timeline of operation ${id}` });
  await expect(timeline.getByRole("listitem")).toHaveCount(3);
  await expect(timeline).toContainText(/Pending.*for/);
  await expect(timeline).toContainText("Executing");
  await expect(timeline).toContainText("Successful");
  await expectNoSeriousA11yViolations(page, "the device's Operations tab with a timeline open");
  await expectNoReload(page);
});

test("an operation the device does not support fails, with the device's reason in full", async ({ page }) => {
  await agentOnline(fleet);
  await signIn(page, { next: operationsTab(child.id) });
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
  await agentOnline(fleet);
  await signIn(page, { next: operationsTab(agent.id) });
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
  await signIn(page, { next: operationsTab(lonely.id) });
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
  expect((await rest(p, `/devicecontrol/operations/${id}`)).status).toBe("FAILED");
  await expectNoReload(page);
});

test("two tabs both follow an operation live", async ({ browser }) => {
  await agentOnline(fleet);
  const context = await browser.newContext();
  try {
    const a = await context.newPage();
    await signIn(a, { next: operationsTab(agent.id) });
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
  } finally {
    await context.close();
  }
});

// ----- an emulator of our own, restarted mid-operation ----------------------------------------------------------

test("the emulator restarts mid-operation and the page still ends with the platform's final status", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-e2e-restart-"));
  const devicesDir = mkdtempSync(join(tmpdir(), "c8y-e2e-restart-devices-"));
  const consoleDir = mkdtempSync(join(tmpdir(), "c8y-e2e-restart-console-"));
  let emulator: EmulatorProcess | undefined;
  let consoleApp: RunningConsole | undefined;
  let devices: DevicesHandle | undefined;
  try {
    emulator = await startEmulatorProcess({ dataDir });
    const port = Number(new URL(emulator.url).port);
    const own: Platform = {
      url: emulator.url,
      auth: emulator.adminAuth,
      bootstrapPassword: emulator.bootstrapPassword,
    };
    consoleApp = await startConsole({
      C8Y_BASEURL: emulator.url,
      DATA_DIR: consoleDir,
      SESSION_PASSWORD: "e2e-restart-session-password-at-least-32-chars",
    });
    // Long operations, so the emulator is back before the device reports.
    devices = startFleet(own, [`${serial}-r`], devicesDir, { operationDurationMs: 8000 });
    await registerAndAccept(own, `${serial}-r`);
    const gw = await objectFor(own, `${serial}-r`);
    await agentOnline(devices);

    const context = await browser.newContext({ baseURL: consoleApp.url });
    const page = await context.newPage();
    await page.goto(`/login?next=${encodeURIComponent(operationsTab(gw.id))}`);
    await page.getByLabel("Tenant").fill(emulator.tenant);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(emulator.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === `/devices/${gw.id}`);
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
    await expect
      .poll(async () => (final = (await rest(own, `/devicecontrol/operations/${id}`)).status), {
        timeout: 60_000,
      })
      .toMatch(/^(SUCCESSFUL|FAILED)$/);
    await expect(row(page, id)).toHaveAttribute("data-status", String(final), { timeout: 60_000 });
    await expectNoReload(page);
    await context.close();
  } finally {
    await devices?.stop();
    await consoleApp?.stop();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(devicesDir, { recursive: true, force: true });
    rmSync(consoleDir, { recursive: true, force: true });
  }
});
