import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { SIGNED_OUT, fillSignInForm, signIn, signOut } from "./support/auth";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { startSimulatedDevices, type SimulatedDevices } from "./support/devices";
import { deviceIdBySerial, managedObject, registrationStatus, seedPendingRequests } from "./support/emulator";
import { runSuffix } from "./support/env";
import { expectNoReload, markDocument } from "./support/page";

/**
 * Device registration journeys in Chromium against the real stack (emulator process + console build): register
 * an id, a simulated device knocks, accept it, the device appears in the inventory; bulk CSV with a bad row;
 * accepting all pending requests with progress; sign-in, sign-out and the way back to a page; axe checks.
 * Ids carry a suffix unique to each test run: the emulator is shared with the other specs. The journeys start
 * signed in; the sign-in tests at the end start without a session.
 */

const fleets: SimulatedDevices[] = [];

test.afterAll(async () => {
  await Promise.all(fleets.map((f) => f.stop()));
});

const list = (page: Page) => page.getByRole("region", { name: "Registration requests" });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The request's row in the list; the row's name is its cells' text, which starts with the action labels. */
const rowOf = (page: Page, id: string) =>
  list(page)
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: new RegExp(`^${escape(id)}$`) }) });

/** Narrows the list to one id with the search field (other journeys' requests share the emulator). */
async function searchFor(page: Page, id: string) {
  await list(page).getByLabel("Search by device id").fill(id);
  await page.waitForURL((url) => url.searchParams.get("search") === id);
}

async function registerThroughForm(page: Page, id: string) {
  await page.getByLabel("Device ids, one per line").fill(id);
  await page.getByRole("button", { name: "Register device", exact: true }).click();
  const panel = page.getByRole("region", { name: `Registering ${id}` });
  await expect(panel.getByRole("status")).toHaveText("Finished: 1 registered, 0 failed.");
  await panel.getByRole("button", { name: "Close results" }).click();
  await expect(panel).toBeHidden();
}

test("register an id, the device knocks, accept it: it exists with its identity and the row links to it", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const serial = `e2e-reg-${runSuffix()}`;
  await page.goto("/registrations");
  await registerThroughForm(page, serial);
  await searchFor(page, serial);
  const row = rowOf(page, serial);
  await expect(row).toContainText("Waiting for connection");
  expect(await registrationStatus(serial)).toBe("WAITING_FOR_CONNECTION");

  // The list has to update on its own, without a reload.
  await markDocument(page);
  const device = startSimulatedDevices([serial]);
  fleets.push(device);
  await expect(row).toContainText("Pending acceptance");
  await expectNoReload(page);

  await row.getByRole("button", { name: `Accept ${serial}`, exact: true }).click();
  await expect(page.getByRole("region", { name: "Notifications" })).toContainText(`${serial} accepted`);

  // The device collects its credentials on its next poll, creates itself and binds its serial (docs/startup-phase.md steps 0–3).
  await expect.poll(() => deviceIdBySerial(serial), { timeout: 20_000 }).toBeDefined();
  const moId = (await deviceIdBySerial(serial))!;
  const mo = await managedObject(moId);
  expect(mo.status).toBe(200);
  expect(mo.body).toMatchObject({ id: moId, c8y_IsDevice: {}, com_cumulocity_model_Agent: {} });
  await expect.poll(() => device.devices[0]!.status, { timeout: 20_000 }).toBe("online");
  // Credentials delivered: the platform drops the request, and the list follows on its own.
  expect(await registrationStatus(serial)).toBe("GONE");
  await expect(row).toHaveCount(0);

  // The same device is reset (its stored credentials are lost) and registered again. Its identity exists now,
  // so the accepted request links to the device page. Its next poll is far off: the row stays ACCEPTED.
  await device.stop();
  await registerThroughForm(page, serial);
  await searchFor(page, serial);
  await expect(row).toContainText("Waiting for connection");
  fleets.push(startSimulatedDevices([serial], { pollIntervalMs: 600_000 }));
  await expect(row).toContainText("Pending acceptance");
  await row.getByRole("button", { name: `Accept ${serial}`, exact: true }).click();
  await expect(row).toContainText("Accepted");
  const link = row.getByRole("link", { name: serial, exact: true });
  await expect(link).toHaveAttribute("href", `/devices/${moId}`);
  await link.click();
  await page.waitForURL((url) => url.pathname === `/devices/${moId}`);
});

test("bulk CSV: the preview shows the bad row before anything is written; only valid rows are uploaded", async ({
  page,
}) => {
  const run = runSuffix();
  const good = [1, 2, 3].map((n) => `e2e-csv-${run}-${n}`);
  const bad = `e2e-csv/${run}`;
  const csv = ["ID;PATH", `${good[0]};`, `${good[1]};`, `${bad};`, `${good[2]};`, ""].join("\n");
  const fileName = `devices-${run}.csv`;

  await page.goto("/registrations");
  await page.getByRole("tab", { name: "Upload a file" }).click();
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(csv) });

  await expect(page.getByRole("status").filter({ hasText: fileName })).toContainText(
    "4 rows: 3 ready, 1 rejected.",
  );
  const preview = page.getByRole("table", { name: "Preview of the file, one row per device" });
  const badRow = preview.getByRole("row").filter({ hasText: bad });
  await expect(badRow).toContainText("Rejected");
  await expect(badRow).toContainText("Contains control characters or slashes");
  await expect(badRow.getByRole("cell").first()).toHaveText("4");
  // Nothing has been sent yet.
  for (const id of [...good, bad]) expect(await registrationStatus(id)).toBe("GONE");

  const downloadButton = page.getByRole("button", { name: "Download rejected rows (1)" });
  const [download] = await Promise.all([page.waitForEvent("download"), downloadButton.click()]);
  expect(download.suggestedFilename()).toBe(`devices-${run}-rejected.csv`);
  const rejected = readFileSync(await download.path(), "utf8");
  expect(rejected).toContain("REJECTION_REASON");
  expect(rejected).toContain(bad);
  expect(rejected).toMatch(/line 4: ID: Contains control characters or slashes/);
  for (const id of good) expect(rejected).not.toContain(id);

  await page.getByRole("button", { name: "Upload 3 valid rows" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${fileName} uploaded` })).toHaveText(
    `${fileName} uploaded: 3 of 3 rows succeeded (3 new), 0 failed.`,
  );
  for (const id of good) expect(await registrationStatus(id)).toBe("WAITING_FOR_CONNECTION");
  expect(await registrationStatus(bad)).toBe("GONE");
  await searchFor(page, `e2e-csv-${run}`);
  for (const id of good) await expect(rowOf(page, id)).toContainText("Waiting for connection");
});

test("accept all pending requests: progress reaches 100 % with a result per device", async ({ page }) => {
  test.setTimeout(120_000);
  const run = runSuffix();
  const ids = Array.from({ length: 120 }, (_, i) => `e2e-all-${run}-${String(i + 1).padStart(3, "0")}`);
  await seedPendingRequests(ids);

  await page.goto("/registrations?status=PENDING_ACCEPTANCE");
  const acceptAll = list(page).getByRole("button", { name: /^Accept all pending \(/ });
  await expect(acceptAll).toBeEnabled();
  const shown = Number((await acceptAll.innerText()).replace(/\D/g, ""));
  expect(shown).toBeGreaterThanOrEqual(ids.length);
  await acceptAll.click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(`Accept all ${shown.toLocaleString("en")} pending devices?`);
  await confirm.getByRole("button", { name: "Accept all pending", exact: true }).click();

  const progress = page.getByRole("progressbar", {
    name: /^Accepting all [\d,]+ pending devices: progress$/,
  });
  await expect(progress).toBeVisible();
  const total = await progress.getAttribute("aria-valuemax");
  expect(Number(total)).toBeGreaterThanOrEqual(ids.length);
  await expect(progress).toHaveAttribute("aria-valuenow", total!);
  const panel = page.getByRole("region", { name: /^Accepting all [\d,]+ pending devices$/ });
  await expect(panel.getByRole("status")).toHaveText(
    `Finished: ${Number(total).toLocaleString("en")} accepted, 0 failed.`,
  );
  const results = panel.getByRole("table", { name: /^Result per device id/ });
  for (const id of [ids[0]!, ids[59]!, ids[119]!])
    await expect(results.getByRole("row").filter({ hasText: id })).toContainText("Accepted");

  // The platform agrees, for every one of them.
  const statuses = await Promise.all(ids.map((id) => registrationStatus(id)));
  expect(statuses.filter((s) => s !== "ACCEPTED")).toEqual([]);
  await expect(list(page).getByText("Nothing to accept")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/registrations with bulk results");

  await panel.getByRole("button", { name: "Close results" }).click();
  await expect(panel).toBeHidden();
});

test.describe("signing in and out", () => {
  test.use({ storageState: SIGNED_OUT });

  test("a wrong password shows a plain error and starts no session", async ({ page, context }) => {
    await page.goto("/login");
    await fillSignInForm(page, { password: "not-the-password" });
    // Next's route announcer is an alert too; ours is the one with the message.
    await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText(
      "Wrong username or password (or tenant).",
    );
    expect(new URL(page.url()).pathname).toBe("/login");
    expect((await context.cookies()).filter((c) => c.name.includes("c8y-console"))).toEqual([]);
  });

  test("an unauthenticated visit lands on sign-in and returns to the page; sign-out ends the session", async ({
    page,
    context,
  }) => {
    const wanted = "/registrations?status=PENDING_ACCEPTANCE";
    await page.goto(wanted);
    await page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe(wanted);
    await fillSignInForm(page);
    await page.waitForURL((url) => url.pathname === "/registrations");
    expect(new URL(page.url()).search).toBe("?status=PENDING_ACCEPTANCE");
    await expect(list(page).getByRole("tab", { name: /^Pending acceptance/ })).toHaveAttribute(
      "aria-selected",
      "true",
    );

    await signOut(page);
    expect((await context.cookies()).filter((c) => c.name.includes("c8y-console"))).toEqual([]);
    await page.goto("/registrations");
    await page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/registrations");
    // The BFF refuses too, not only the page redirect.
    expect((await page.request.get("/api/registrations")).status()).toBe(401);
  });

  test("sign-in and registration pages have no serious or critical accessibility violations, light and dark", async ({
    page,
  }) => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/login");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await expectNoSeriousA11yViolations(page, `/login (${scheme})`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await signIn(page, { next: "/registrations" });
    for (const theme of ["Light theme", "Dark theme"] as const) {
      await page.getByRole("button", { name: theme }).click();
      await expect(page.getByRole("button", { name: theme })).toHaveAttribute("aria-pressed", "true");
      await expect(page.locator("html")).toHaveClass(theme === "Dark theme" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await expect(list(page).getByRole("tab", { name: /^All \d/ })).toBeVisible();
      await expectNoSeriousA11yViolations(page, `/registrations (${theme.toLowerCase()})`);
      // The CSV preview (with a rejected row) is part of the page too.
      await page.getByRole("tab", { name: "Upload a file" }).click();
      await page.getByLabel("CSV file").setInputFiles({
        name: "axe.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(`ID;PATH\ne2e-axe-${runSuffix()};\nbad/id;\n`),
      });
      await expect(
        page.getByRole("table", { name: "Preview of the file, one row per device" }),
      ).toBeVisible();
      await expectNoSeriousA11yViolations(page, `/registrations with a CSV preview (${theme.toLowerCase()})`);
      await page.getByRole("tab", { name: "Enter ids" }).click();
    }
    await page.getByRole("button", { name: "System theme" }).click();
  });
});
