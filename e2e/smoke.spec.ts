import { expect, test } from "@playwright/test";
import { startConsole, type RunningConsole } from "./fixtures/console";

let consoleApp: RunningConsole;
test.beforeAll(async () => {
  consoleApp = await startConsole();
});
test.afterAll(async () => {
  await consoleApp.stop();
});

test("the console serves its home page", async ({ page }) => {
  await page.goto(consoleApp.url);
  await expect(page.getByRole("heading", { name: "c8y console" })).toBeVisible();
});
