import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createManagedObject, rest } from "./support/emulator";
import { runSuffix } from "./support/env";

/**
 * The command palette and the keyboard shortcuts against the real stack: find a device by its external id from
 * another page, send a restart from the device page's palette and find it on the platform, the help dialog, the
 * shortcuts and their typing guard, and an axe check of the open palette.
 */

const run = runSuffix();

const palette = (page: Page) => page.getByRole("dialog", { name: "Command palette" });
/** After a full page load: keys do nothing until the console is hydrated and its key listener attached. */
const keysReady = (page: Page) => expect(page.locator("[data-palette-ready]")).toBeAttached();
const field = (page: Page) => palette(page).getByRole("combobox");

async function seedAgent(name: string, serial: string): Promise<string> {
  return createManagedObject({
    name,
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: ["c8y_Restart"],
    externalIds: [{ type: "c8y_Serial", externalId: serial }],
  });
}

test("Ctrl-K on any page, an external id, Enter: the device page opens", async ({ page }) => {
  const serial = `pal-${run}-serial`;
  const name = `E2E Palette gateway ${run}`;
  const id = await seedAgent(name, serial);
  await page.goto("/registrations");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await keysReady(page);

  await page.keyboard.press("Control+k");
  await expect(field(page)).toBeFocused();
  await field(page).fill(serial);
  const option = palette(page).getByRole("option", { name: new RegExp(name) });
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expect(option).toContainText(`c8y_Serial ${serial}`);
  await expect(palette(page).getByRole("status")).toHaveText("1 result");
  await expectNoSeriousA11yViolations(page, "the palette with a device found by its serial");

  await field(page).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/devices/${id}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(palette(page)).toBeHidden();

  // Now a recent item: offered as soon as the palette opens, with `/` this time.
  await page.goto("/operations");
  await keysReady(page);
  await page.locator("body").press("/");
  await expect(palette(page).getByRole("group", { name: "Recent" })).toContainText(name);
  await page.keyboard.press("Escape");
  await expect(palette(page)).toBeHidden();
});

test("typing 'restart' on a device page, Enter, confirm: the restart exists on the platform and on the page", async ({
  page,
}) => {
  const name = `E2E Palette restart ${run}`;
  const id = await seedAgent(name, `pal-${run}-restart`);
  await page.goto(`/devices/${id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await keysReady(page);

  await page.keyboard.press("Control+k");
  await field(page).fill("restart");
  const first = palette(page).getByRole("option").first();
  await expect(first).toContainText(`Send restart to ${name}`);
  await expect(first).toHaveAttribute("aria-selected", "true");
  await field(page).press("Enter");

  // The device page's own confirmation.
  const dialog = page.getByRole("dialog", { name: `Restart: ${name}` });
  await expect(dialog).toContainText("restarts and is unreachable for a while");
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect
    .poll(async () => {
      const answer = await rest<{ operations: { id: string; c8y_Restart?: unknown }[] }>(
        `/devicecontrol/operations?deviceId=${id}&pageSize=10`,
      );
      return answer.body?.operations.filter((o) => o.c8y_Restart !== undefined).map((o) => o.id) ?? [];
    })
    .toHaveLength(1);
  const operations = await rest<{ operations: { id: string }[] }>(`/devicecontrol/operations?deviceId=${id}`);
  const opId = operations.body!.operations[0]!.id;
  await expect(page).toHaveURL(/tab=operations/);
  await expect(page.locator(`tr[data-operation-id="${opId}"]`)).toBeVisible();
});

test("? lists the shortcuts; g o and ] work, but never while typing in a field", async ({ page }) => {
  const name = `E2E Palette keys ${run}`;
  const id = await seedAgent(name, `pal-${run}-keys`);
  await page.goto(`/devices/${id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await keysReady(page);

  await page.locator("body").press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Go to Registrations");
  await expect(help).toContainText("Next tab");
  await expectNoSeriousA11yViolations(page, "the keyboard shortcuts dialog");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  await page.locator("body").press("]");
  await expect(page.getByRole("tab", { name: /^Fragments/ })).toHaveAttribute("aria-selected", "true");
  await page.locator("body").press("[");
  await expect(page.getByRole("tab", { name: "Overview" })).toHaveAttribute("aria-selected", "true");

  // In a field the same keys are text.
  await page.goto("/devices");
  await keysReady(page);
  const search = page.getByRole("searchbox", { name: "Find a device or group" });
  await search.click();
  await search.pressSequentially("g o ]?/");
  await expect(search).toHaveValue("g o ]?/");
  await expect(page).toHaveURL(/\/devices$/);
  await expect(palette(page)).toBeHidden();

  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("g");
  await page.keyboard.press("o");
  await expect(page).toHaveURL(/\/operations/);
});

test("when the palette's code cannot be fetched, the operator is told, and the next Ctrl-K opens it", async ({
  page,
}) => {
  await page.goto("/operations");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await keysReady(page);
  // Every script fetched from now on fails, as when the console was redeployed or the network dropped.
  let refused = 0;
  await page.route("**/_next/static/chunks/**", async (route) => {
    refused++;
    await route.abort("internetdisconnected");
  });
  await page.keyboard.press("Control+k");
  await expect(page.getByRole("region", { name: "Notifications" })).toContainText(
    "The command palette could not be loaded",
  );
  expect(refused).toBeGreaterThan(0);
  await expect(palette(page)).toBeHidden();

  await page.unroute("**/_next/static/chunks/**");
  await page.keyboard.press("Control+k");
  await expect(field(page)).toBeFocused();
});
