import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createManagedObject, createManagedObjects, linkChildren, restOk } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * The device tree journeys against the real stack (emulator process + console build): browsing from a group to a
 * gateway to a child, finding a device by external id, group membership, a long child list, and an axe check.
 * Data is seeded through the emulator's REST API with names unique to this run.
 */

const run = runSuffix();

const names = {
  plant: `E2E Plant ${run}`,
  hall: `E2E Hall ${run}`,
  spares: `E2E Spares ${run}`,
  gateway: `E2E Gateway ${run}`,
  loose: `E2E Loose device ${run}`,
  big: `E2E Big gateway ${run}`,
};
const serial = `e2e-serial-${run}`;
const BIG_CHILDREN = 1500;
const ids: Record<string, string> = {};

const createGroup = (name: string, type = "c8y_DeviceGroup") =>
  createManagedObject({ name, type, c8y_IsDeviceGroup: {} });

test.beforeAll(async () => {
  ids.plant = await createGroup(names.plant);
  ids.spares = await createGroup(names.spares);
  ids.hall = await createGroup(names.hall, "c8y_DeviceSubGroup");
  ids.gateway = await createManagedObject({
    name: names.gateway,
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: ["c8y_Restart"],
    c8y_Hardware: { model: "GW-E2E" },
  });
  const children = await createManagedObjects(
    [1, 2, 3].map((n) => ({
      name: `E2E Child ${n} ${run}`,
      c8y_IsDevice: {},
      ...(n === 2 ? { externalIds: [{ type: "c8y_Serial", externalId: serial }] } : {}),
    })),
  );
  ids.child1 = children[0]!;
  ids.child2 = children[1]!;
  ids.loose = await createManagedObject({ name: names.loose, c8y_IsDevice: {} });
  ids.big = await createManagedObject({ name: names.big, c8y_IsDevice: {}, com_cumulocity_model_Agent: {} });
  await linkChildren(ids.plant, "childAssets", [ids.hall]);
  await linkChildren(ids.hall, "childAssets", [ids.gateway]);
  await linkChildren(ids.gateway, "childDevices", children);
  const bigKids = await createManagedObjects(
    Array.from({ length: BIG_CHILDREN }, (_, i) => ({ name: `E2E Big child ${i + 1}`, c8y_IsDevice: {} })),
  );
  await linkChildren(ids.big, "childDevices", bigKids);
});

const tree = (page: Page) => page.getByRole("tree", { name: "Device hierarchy" });
/** A row by the object's name: the row's accessible name starts with it, followed by the kind. */
const item = (page: Page, name: string, level?: number) =>
  tree(page).getByRole("treeitem", { name: new RegExp(`^${name}\\b`), ...(level ? { level } : {}) });

async function search(page: Page, text: string) {
  await page.getByLabel("Find a device or group").fill(text);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  return page.getByRole("list", { name: `Results for ${text}` }).getByRole("button");
}

/**
 * Selects an object through the search: other journeys share this emulator, so a root of ours may be further
 * down the (virtualised) list than the screen shows.
 */
async function openInTree(page: Page, name: string) {
  await (await search(page, name)).filter({ hasText: name }).first().click();
  await expect(item(page, name)).toHaveAttribute("aria-selected", "true");
}

test("browse from a group to a gateway to a child with the keyboard; the URL keeps the place", async ({
  page,
}) => {
  await page.goto("/devices");
  await openInTree(page, names.plant);
  await expect(item(page, names.plant)).toHaveAttribute("aria-expanded", "false");
  const keys = ["ArrowRight", "ArrowDown", "ArrowRight", "ArrowDown", "ArrowRight", "ArrowDown"];
  for (const key of keys) {
    await page.keyboard.press(key);
    // Each step waits for the rows it opened, as an operator would.
    if (key === "ArrowRight") await expect(tree(page).locator('[aria-busy="true"]')).toHaveCount(0);
  }
  const child = item(page, `E2E Child 1 ${run}`);
  await expect(child).toHaveAttribute("aria-selected", "true");
  await expect(child).toHaveAttribute("aria-level", "4");
  await expect(item(page, names.gateway)).toContainText("GW-E2E");
  await expect(item(page, names.gateway)).toContainText("3 child devices");
  expect(new URL(page.url()).searchParams.get("sel")).toBe(
    [ids.plant, ids.hall, ids.gateway, ids.child1].join("."),
  );

  // A reload comes back to the same place.
  await page.reload();
  await expect(item(page, `E2E Child 1 ${run}`)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowLeft");
  await expect(item(page, names.gateway)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowLeft");
  await expect(item(page, names.gateway)).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/devices/${ids.child1}`);
});

test("find a device by external id and jump to it in the tree", async ({ page }) => {
  await page.goto("/devices");
  const result = await search(page, serial);
  await expect(result).toHaveCount(1);
  await expect(result).toContainText(`c8y_Serial ${serial}`);
  await result.click();
  const child = item(page, `E2E Child 2 ${run}`);
  await expect(child).toHaveAttribute("aria-selected", "true");
  await expect(child).toBeInViewport();
  expect(new URL(page.url()).searchParams.get("sel")).toBe(
    [ids.plant, ids.hall, ids.gateway, ids.child2].join("."),
  );
  await expect(page.getByRole("heading", { name: `E2E Child 2 ${run}` })).toBeVisible();
});

test("group membership: create a subgroup, add a device, move it, remove it", async ({ page }) => {
  await page.goto("/devices");
  await openInTree(page, names.plant);
  const details = page.getByRole("region", { name: names.plant });

  await details.getByRole("button", { name: "New subgroup" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Group name").fill(`E2E Sub ${run}`);
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(item(page, `E2E Sub ${run}`)).toHaveAttribute("aria-selected", "true");

  await item(page, names.plant).click();
  await details.getByRole("button", { name: "Add devices" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Find devices").fill(names.loose);
  await dialog.getByRole("button", { name: "Find" }).click();
  await dialog.getByRole("checkbox", { name: new RegExp(names.loose) }).check();
  await dialog.getByRole("button", { name: "Add 1 to group" }).click();
  await expect(dialog.getByRole("status")).toContainText("1 of 1 done");
  await dialog.getByRole("button", { name: "Close", exact: true }).click();

  // The group is open since its subgroup was created; the device now shows in it (for a moment it may still
  // show among the roots too, until the roots have been read again).
  await item(page, names.loose, 2).click();
  await page.getByRole("button", { name: "Move to another group" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Filter groups by name").fill(names.spares);
  await dialog.getByRole("radio", { name: new RegExp(names.spares) }).check();
  await dialog.getByRole("button", { name: `Move to ${names.spares}` }).click();
  await expect(dialog).toBeHidden();
  await expect(item(page, names.loose)).toHaveCount(0);

  await openInTree(page, names.spares);
  await page.keyboard.press("ArrowRight");
  await item(page, names.loose, 2).click();
  await page.getByRole("button", { name: `Remove from ${names.spares}` }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("stays in the inventory");
  await confirm.getByRole("button", { name: "Remove from group" }).click();
  await expect(confirm).toBeHidden();
  await expect(item(page, names.spares)).toHaveAttribute("aria-selected", "true");
  await expect(item(page, names.loose, 2)).toHaveCount(0);
  // Only the reference went: the device is still there, now in no group.
  const device = await restOk(`/inventory/managedObjects/${ids.loose}`);
  expect(device.assetParents).toMatchObject({ references: [] });
  const refs = await restOk(`/inventory/managedObjects/${ids.spares}/childAssets`);
  expect(refs.references).toEqual([]);
});

test("a long child list scrolls to its end with a bounded number of rows in the DOM", async ({ page }) => {
  await page.goto("/devices");
  await openInTree(page, names.big);
  await page.keyboard.press("ArrowRight");
  await expect(item(page, "E2E Big child 1")).toBeVisible();
  await page.keyboard.press("End");
  const last = item(page, `E2E Big child ${BIG_CHILDREN}`);
  await expect(last).toHaveAttribute("aria-selected", "true");
  await expect(last).toHaveAttribute("aria-posinset", String(BIG_CHILDREN));
  await expect(last).toHaveAttribute("aria-setsize", String(BIG_CHILDREN));
  expect(await tree(page).getByRole("treeitem").count()).toBeLessThan(60);
});

test("the devices page has no serious or critical accessibility violations", async ({ page }) => {
  await page.goto("/devices");
  await openInTree(page, names.plant);
  await page.keyboard.press("ArrowRight");
  await expect(item(page, names.hall)).toBeVisible();
  await expect(await search(page, serial)).toHaveCount(1);
  await expectNoSeriousA11yViolations(page, "/devices with a subgroup open and search results");
});
