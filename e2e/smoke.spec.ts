import { expect, test } from "@playwright/test";

test("the console answers on its home page", async ({ page }) => {
  const res = await page.goto("/");
  expect(res?.status()).toBeLessThan(400);
  await expect(page).toHaveTitle(/c8y console/);
});
