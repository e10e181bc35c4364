import { test as setup } from "@playwright/test";
import { OPERATOR_STATE, signIn } from "./support/auth";

/**
 * Signs the operator in once through the real form and keeps the session cookie for the journeys (the "journeys"
 * project loads it). Tests about signing in, signing out, sessions and security open contexts without it.
 */
setup("the operator signs in once for the journeys", async ({ page }) => {
  await signIn(page, { next: "/registrations" });
  await page.context().storageState({ path: OPERATOR_STATE });
});
