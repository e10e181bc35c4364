import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createManagedObject, rest, restOk } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * The device page against the real stack (emulator process + console build): editing fragments with a form and
 * as JSON, the diff before saving, a concurrent change detected before overwriting, identity, linking and
 * unlinking a child, deleting, and an axe check. Data is seeded through the emulator's REST API per test.
 */

const run = runSuffix();

type Json = Record<string, unknown>;

const stored = (id: string) => restOk<Json>(`/inventory/managedObjects/${id}`);
const childIds = async (id: string) =>
  (
    await restOk<{ references: { managedObject: { id: string } }[] }>(
      `/inventory/managedObjects/${id}/childDevices?pageSize=100`,
    )
  ).references.map((r) => r.managedObject.id);

/** The fragments the startup phase's agent would create (startup phase, step 2). */
const seedDevice = (name: string, extra: Json = {}) =>
  createManagedObject({
    name,
    type: "c8y_Linux",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: ["c8y_Restart", "c8y_Configuration"],
    c8y_Hardware: { model: "RaspPi BCM2708", revision: "000e", serialNumber: `${run}-0001` },
    c8y_Firmware: { name: "raspberrypi-bootloader", version: "1.20130207-1" },
    c8y_Software: {
      "pi-driver": "pi-driver-3.4.5.jar",
      "pi4j-gpio-extension": "pi4j-gpio-extension-0.0.5.jar",
    },
    c8y_SoftwareList: [{ name: "pi-driver", version: "3.4.5", url: "" }],
    c8y_Configuration: { config: "c8y.log.eventLevel=INFO\n" },
    c8y_Mobile: { imei: "861145013087177", iccid: "89490200000876620613", cellId: "4904-A496" },
    acme_Custom: { threshold: 10, tags: ["a"] },
    ...extra,
  });

const fragment = (page: Page, name: string) => page.locator(`li[data-fragment="${name}"]`);
const editor = (page: Page, name: string) => page.getByRole("form", { name: `Edit ${name}` });

test("edit one fragment with the form and another as JSON, remove one, rename, review the diff and save", async ({
  page,
}) => {
  const id = await seedDevice(`E2E Edit ${run}`);
  const before = await stored(id);
  await page.goto(`/devices/${id}`);

  // Overview: readable cards, both software forms.
  await expect(page.getByRole("heading", { level: 1, name: `E2E Edit ${run}` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Hardware" })).toContainText("RaspPi BCM2708");
  await expect(page.getByRole("region", { name: "Software (map form)" })).toContainText(
    "pi-driver-3.4.5.jar",
  );
  await expect(page.getByRole("region", { name: "Supported operations" })).toContainText("c8y_Configuration");
  await expectNoSeriousA11yViolations(page, "the device's overview");

  await page.getByRole("tab", { name: /^Fragments/ }).click();
  await expect(page).toHaveURL(/tab=fragments/);

  // A known fragment with its form.
  await page.getByRole("button", { name: "Edit c8y_Hardware" }).click();
  await editor(page, "c8y_Hardware").getByLabel("Model").fill("RaspPi 4 Model B");
  await editor(page, "c8y_Hardware").getByLabel("Revision").fill("");
  await editor(page, "c8y_Hardware").getByRole("button", { name: "Apply" }).click();
  await expect(fragment(page, "c8y_Hardware")).toContainText("changed, unsaved");

  // Any fragment as JSON: a syntax error is shown inline with its position; nothing can be applied.
  await page.getByRole("button", { name: "Edit acme_Custom" }).click();
  const json = editor(page, "acme_Custom").getByLabel("acme_Custom as JSON");
  await json.fill('{\n  "threshold": 12,\n  "tags": ["a", "b"],\n}');
  await expect(editor(page, "acme_Custom").getByRole("alert")).toHaveText(
    "Line 4, column 1: Trailing comma before }",
  );
  await expect(editor(page, "acme_Custom").getByRole("button", { name: "Apply" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page, "the fragments tab with a JSON syntax error");
  await json.fill('{\n  "threshold": 12,\n  "tags": ["a", "b"]\n}');
  await editor(page, "acme_Custom").getByRole("button", { name: "Apply" }).click();

  // Remove a fragment, and rename the device (the operator's name is the one that counts).
  await page.getByRole("button", { name: "Remove c8y_Software", exact: true }).click();
  await expect(fragment(page, "c8y_Software")).toContainText("Removed from the device when you save");
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("Device name").fill(`E2E Pump room ${run}`);
  await page.getByRole("form", { name: "Rename device" }).getByRole("button", { name: "Apply" }).click();

  const bar = page.getByRole("region", { name: "Unsaved changes" });
  await expect(bar).toContainText("4 unsaved changes");
  await bar.getByRole("button", { name: "Review and save…" }).click();

  // The diff says exactly what will change.
  const dialog = page.getByRole("dialog", { name: "Save 4 changes?" });
  const diff = dialog.getByRole("list", { name: "Changes to save" });
  await expect(diff.locator('[data-fragment="c8y_Hardware"]')).toContainText("Changed");
  await expect(diff.locator('[data-fragment="c8y_Hardware"]')).toContainText(
    'model "RaspPi BCM2708" → becomes "RaspPi 4 Model B"',
  );
  await expect(diff.locator('[data-fragment="c8y_Hardware"]')).toContainText('revision "000e"');
  await expect(diff.locator('[data-fragment="acme_Custom"]')).toContainText("threshold 10 → becomes 12");
  await expect(diff.locator('[data-fragment="acme_Custom"]')).toContainText('tags[1] "b"');
  await expect(diff.locator('[data-fragment="c8y_Software"]')).toContainText("Removed");
  await expect(diff.locator('[data-fragment="name"]')).toContainText(`"E2E Pump room ${run}"`);
  await expect(diff.locator("[data-fragment]")).toHaveCount(4);
  await expectNoSeriousA11yViolations(page, "the save dialog with its diff");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: `E2E Pump room ${run}` })).toBeVisible();
  await expect(bar).toBeHidden();

  // The platform holds exactly that, and nothing else moved.
  const after = await stored(id);
  expect(after.name).toBe(`E2E Pump room ${run}`);
  expect(after.c8y_Hardware).toEqual({ model: "RaspPi 4 Model B", serialNumber: `${run}-0001` });
  expect(after.acme_Custom).toEqual({ threshold: 12, tags: ["a", "b"] });
  expect(after).not.toHaveProperty("c8y_Software");
  for (const key of [
    "c8y_SupportedOperations",
    "c8y_Firmware",
    "c8y_SoftwareList",
    "c8y_Configuration",
    "c8y_Mobile",
  ])
    expect(after[key]).toEqual(before[key]);
  expect(after.type).toBe("c8y_Linux");
});

/**
 * The operator edits c8y_Firmware while the agent reports a firmware and a configuration over REST; returns the
 * device id. Saving must then show the conflict instead of writing.
 */
async function editWhileAgentReports(page: Page, withLiveStream: boolean): Promise<string> {
  const id = await seedDevice(`E2E Conflict ${withLiveStream ? "live" : "at save"} ${run}`);
  // Without the event stream the page learns of the change only from the BFF's 409 at save time.
  if (!withLiveStream) await page.route("**/api/events**", (route) => route.abort());
  await page.goto(`/devices/${id}?tab=fragments`);

  await page.getByRole("button", { name: "Edit c8y_Firmware" }).click();
  await editor(page, "c8y_Firmware").getByLabel("Version").fill("2.0-operator");
  await editor(page, "c8y_Firmware").getByRole("button", { name: "Apply" }).click();

  await restOk(`/inventory/managedObjects/${id}`, {
    method: "PUT",
    body: {
      c8y_Firmware: { name: "raspberrypi-bootloader", version: "1.5-agent" },
      c8y_Configuration: { config: "c8y.log.eventLevel=DEBUG\n" },
    },
  });
  return id;
}

/** The conflict dialog says what changed meanwhile and what saving would do; overwriting sends only ours. */
async function expectConflictThenOverwrite(page: Page, id: string) {
  const dialog = page.getByRole("dialog", { name: "The device changed while you were editing" });
  await expect(dialog).toBeVisible();
  const theirs = dialog.getByRole("list", { name: "Changes made by someone else" });
  await expect(theirs.locator('[data-fragment="c8y_Firmware"]')).toContainText("you change this too");
  await expect(theirs.locator('[data-fragment="c8y_Firmware"]')).toContainText(
    'version "1.20130207-1" → becomes "1.5-agent"',
  );
  await expect(theirs.locator('[data-fragment="c8y_Configuration"]')).toContainText("DEBUG");
  await expect(dialog.getByRole("list", { name: "Your changes against the current version" })).toContainText(
    'version "1.5-agent" → becomes "2.0-operator"',
  );
  // Nothing was written yet.
  expect((await stored(id)).c8y_Firmware).toEqual({ name: "raspberrypi-bootloader", version: "1.5-agent" });
  await expectNoSeriousA11yViolations(page, "the conflict dialog");

  await dialog.getByRole("button", { name: "Overwrite with my changes" }).click();
  await expect(dialog).toBeHidden();
  const after = await stored(id);
  expect(after.c8y_Firmware).toEqual({ name: "raspberrypi-bootloader", version: "2.0-operator" });
  // Only the operator's fragment was sent: the agent's other change stays.
  expect(after.c8y_Configuration).toEqual({ config: "c8y.log.eventLevel=DEBUG\n" });
}

test("a change made over REST meanwhile shows up live while editing, and saving shows the conflict", async ({
  page,
}) => {
  const id = await editWhileAgentReports(page, true);
  // The event stream brings the agent's change into the page before the operator saves.
  await expect(page.getByText("The device has changed since you started editing")).toBeVisible();
  await page.getByRole("button", { name: "Review and save…" }).click();
  await expectConflictThenOverwrite(page, id);
});

test("without the event stream, the platform's newer version is detected at save, before anything is overwritten", async ({
  page,
}) => {
  const id = await editWhileAgentReports(page, false);
  await page.getByRole("button", { name: "Review and save…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
  // The pressed button made way for the conflict's choices; focus stays in the dialog, on the mildest one.
  await expect(page.getByRole("dialog").getByRole("button", { name: "Keep editing" })).toBeFocused();
  await expectConflictThenOverwrite(page, id);
});

test("link an existing device as a child, then unlink it (it stays in the inventory)", async ({ page }) => {
  const gateway = await seedDevice(`E2E Gateway ${run}`);
  const sensor = await createManagedObject({ name: `E2E Loose sensor ${run}`, c8y_IsDevice: {} });
  await page.goto(`/devices/${gateway}?tab=children`);

  const devices = page.getByRole("region", { name: "Child devices" });
  await expect(devices).toContainText("No child devices");
  await devices.getByRole("button", { name: "Link existing…" }).click();
  const dialog = page.getByRole("dialog", { name: "Link an existing object as child device" });
  await dialog.getByLabel("Name or id").fill(`loose sensor ${run}`);
  await dialog.getByRole("button", { name: "Search" }).click();
  await dialog.getByRole("button", { name: `Link E2E Loose sensor ${run}` }).click();
  await expect(dialog).toBeHidden();
  await expect(devices.getByRole("link", { name: `E2E Loose sensor ${run}` })).toBeVisible();
  expect(await childIds(gateway)).toEqual([sensor]);
  await expectNoSeriousA11yViolations(page, "the children tab");

  await devices.getByRole("button", { name: `Unlink E2E Loose sensor ${run}` }).click();
  const confirm = page.getByRole("alertdialog", {
    name: `Unlink E2E Loose sensor ${run} from E2E Gateway ${run}?`,
  });
  await expect(confirm).toContainText("the object itself stays in the inventory");
  await confirm.getByRole("button", { name: "Unlink" }).click();
  await expect(devices).toContainText("No child devices");
  expect(await childIds(gateway)).toEqual([]);
  expect((await stored(sensor)).name).toBe(`E2E Loose sensor ${run}`);
});

test("identity: add an external id, and a duplicate names the device that holds it", async ({ page }) => {
  const holder = await seedDevice(`E2E Holder ${run}`);
  await restOk(`/identity/globalIds/${holder}/externalIds`, {
    body: { type: "c8y_Serial", externalId: `dup-${run}` },
  });
  const id = await seedDevice(`E2E Identity ${run}`);
  await page.goto(`/devices/${id}?tab=identity`);

  await expect(page.getByText("No external ids")).toBeVisible();
  await page.getByRole("textbox", { name: "External id", exact: true }).fill(`own-${run}`);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("cell", { name: `own-${run}`, exact: true })).toBeVisible();

  await page.getByRole("textbox", { name: "External id", exact: true }).fill(`dup-${run}`);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText(`is already bound to device ${holder} “E2E Holder ${run}”`)).toBeVisible();
  await expect(page.getByRole("link", { name: `Open device ${holder}` })).toHaveAttribute(
    "href",
    `/devices/${holder}?tab=identity`,
  );
  const ids = (
    await restOk<{ externalIds: { externalId: string }[] }>(`/identity/globalIds/${id}/externalIds`)
  ).externalIds;
  expect(ids.map((e) => e.externalId)).toEqual([`own-${run}`]);
});

test("delete a device: the confirmation says what is lost and offers the cascade options", async ({
  page,
}) => {
  const id = await seedDevice(`E2E Doomed ${run}`);
  const child = await createManagedObject({ name: `E2E Doomed child ${run}`, c8y_IsDevice: {} });
  await restOk(`/inventory/managedObjects/${id}/childDevices`, { body: { managedObject: { id: child } } });
  await restOk(`/identity/globalIds/${id}/externalIds`, {
    body: { type: "c8y_Serial", externalId: `doomed-${run}` },
  });
  await page.goto(`/devices/${id}`);

  await page.getByRole("button", { name: "Delete device…" }).click();
  const dialog = page.getByRole("alertdialog", { name: `Delete device “E2E Doomed ${run}” (${id})?` });
  await expect(dialog).toContainText("measurements, alarms, events, operations");
  await expect(dialog).toContainText(`c8y_Serial doomed-${run}`);
  await expect(dialog).toContainText("It has 1 child device and 0 child assets.");
  await expectNoSeriousA11yViolations(page, "the delete confirmation");
  await dialog.getByLabel("Also delete its child devices and assets (cascade)").check();
  await dialog.getByRole("button", { name: "Delete device" }).click();
  await page.waitForURL((url) => url.pathname === "/devices");
  const status = async (moId: string) => (await rest(`/inventory/managedObjects/${moId}`)).status;
  expect(await status(id)).toBe(404);
  expect(await status(child)).toBe(404);
});
