import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createManagedObject, createManagedObjects, linkChildren, restOk } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * Starting a bulk operation from the device tree (docs/bulk-start.md): devices checked with the mouse and the
 * keyboard, the dry run's counts, the start, and the platform holding a bulk operation that reaches exactly those
 * devices (read back through the emulator's REST API).
 */

const run = runSuffix();
const groupName = `E2E Bulk site ${run}`;
const deviceName = (n: number) => `E2E Bulk device ${n} ${run}`;
let groupId = "";
let devices: string[] = [];

test.beforeAll(async () => {
  groupId = await createManagedObject({ name: groupName, type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} });
  devices = await createManagedObjects(
    [1, 2, 3, 4].map((n) => ({
      name: deviceName(n),
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      // Device 3 does not list c8y_Restart: the dry run says so.
      c8y_SupportedOperations: n === 3 ? ["c8y_Command"] : ["c8y_Restart"],
    })),
  );
  await linkChildren(groupId, "childAssets", devices);
});

const tree = (page: Page) => page.getByRole("tree", { name: "Device hierarchy" });
const item = (page: Page, name: string) =>
  tree(page).getByRole("treeitem", { name: new RegExp(`^${name}\\b`) });

test("check devices with mouse and keyboard, count, start, and the platform runs it on them", async ({
  page,
}) => {
  await page.goto("/devices");
  await page.getByLabel("Find a device or group").fill(groupName);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page
    .getByRole("list", { name: `Results for ${groupName}` })
    .getByRole("button")
    .filter({ hasText: groupName })
    .first()
    .click();
  await expect(item(page, groupName)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowRight");
  await expect(item(page, deviceName(4))).toBeVisible();

  // Mouse: the first device's checkbox. Keyboard: down to the second, Space. Shift-click: the third.
  await item(page, deviceName(1)).getByTestId("row-check").click();
  await expect(item(page, deviceName(1))).toHaveAttribute("aria-checked", "true");
  await item(page, deviceName(1)).click();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Space");
  await expect(item(page, deviceName(2))).toHaveAttribute("aria-checked", "true");
  await item(page, deviceName(3)).click({ modifiers: ["Shift"] });
  await expect(item(page, deviceName(3))).toHaveAttribute("aria-checked", "true");
  await expect(item(page, deviceName(4))).toHaveAttribute("aria-checked", "false");

  const bar = page.getByRole("region", { name: "Selected devices" });
  await expect(bar).toContainText("3 selected");
  await bar.getByRole("button", { name: "Run operation…" }).click();

  const dialog = page.getByRole("dialog", { name: "Run an operation on 3 selected devices" });
  const counts = dialog.getByTestId("dry-run-counts");
  await expect(counts.locator("dd")).toHaveText(["3", "0", "2"]);
  await expect(dialog).toContainText("1 device does not list c8y_Restart");
  await expectNoSeriousA11yViolations(page, "the bulk start dialog");

  await dialog.getByLabel("Seconds between two devices").fill("0.001");
  await dialog.getByLabel("Note (optional)").fill(`E2E ${run}`);
  await dialog.getByRole("button", { name: "Start bulk operation" }).click();
  await page.waitForURL(/\/operations\/bulk\/\d+$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;

  const bulk = await restOk<{ groupId: string; note: string; operationPrototype: Record<string, unknown> }>(
    `/devicecontrol/bulkoperations/${id}`,
  );
  expect(bulk.note).toBe(`E2E ${run}`);
  expect(bulk.operationPrototype).toMatchObject({ c8y_Restart: {} });
  const group = await restOk<Record<string, unknown>>(`/inventory/managedObjects/${bulk.groupId}`);
  expect(group).toMatchObject({ type: "c8y_DynamicGroup", c8y_IsDynamicGroup: { invisible: {} } });
  await expect
    .poll(async () => {
      const page = await restOk<{ operations: { deviceId: string }[] }>(
        `/devicecontrol/operations?bulkOperationId=${id}&pageSize=100`,
      );
      return page.operations.map((o) => o.deviceId).sort();
    })
    .toEqual(devices.slice(0, 3).sort());
});
