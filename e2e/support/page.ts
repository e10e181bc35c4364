import { expect, type Page } from "@playwright/test";

/**
 * Marks the loaded document; `expectNoReload` fails if the page was reloaded or navigated away since. Journeys
 * use it to prove that what they saw arrived by live updates or polling, not by loading the page again.
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __e2eDoc?: string }).__e2eDoc = "kept"));
}

export async function expectNoReload(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __e2eDoc?: string }).__e2eDoc)).toBe("kept");
}
