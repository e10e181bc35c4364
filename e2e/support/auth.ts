import { expect, type Page } from "@playwright/test";
import { join } from "node:path";
import { e2eEnv } from "./env";

/**
 * The signed-in operator's cookies, written once per run by e2e/sign-in.setup.ts and loaded into every journey's
 * context (playwright.config.ts), so journeys start on their page instead of at the sign-in form.
 */
export const OPERATOR_STATE = join(import.meta.dirname, "..", ".auth", "operator.json");

/**
 * For tests about signing in and out, sessions and security: a context without the shared session
 * (`test.use({ storageState: SIGNED_OUT })`). A sign-out there ends only that test's own session.
 */
export const SIGNED_OUT = { cookies: [], origins: [] };

export interface SignInOptions {
  /** Page to come back to; the sign-in page is opened with ?next= and the helper waits until it is reached. */
  next?: string;
  username?: string;
  /** Default: the emulator's admin password. */
  password?: string;
  /** Default: the emulator's tenant; "" leaves the field empty. */
  tenant?: string;
}

/** Fills the real /login form (the BFF signs in against the emulator) and waits for the `next` page. */
export async function signIn(page: Page, options: SignInOptions = {}): Promise<void> {
  const next = options.next ?? "/registrations";
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await fillSignInForm(page, options);
  const target = new URL(next, "http://console.invalid");
  await page.waitForURL((url) => url.pathname === target.pathname);
}

/** Fills and submits the sign-in form on the page that is open; for journeys that check what happens next. */
export async function fillSignInForm(page: Page, options: Omit<SignInOptions, "next"> = {}): Promise<void> {
  const env = e2eEnv();
  await page.getByLabel("Tenant").fill(options.tenant ?? env.tenant);
  await page.getByLabel("Username").fill(options.username ?? "admin");
  await page.getByLabel("Password").fill(options.password ?? env.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs out through the shell's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}
