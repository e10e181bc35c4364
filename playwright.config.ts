import { defineConfig } from "@playwright/test";
import { OPERATOR_STATE } from "./e2e/support/auth";

// Debian's Chromium: Playwright may not download browsers on this machine.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts$/ },
    {
      // Signed in from the start (e2e/sign-in.setup.ts); tests about signing in opt out with SIGNED_OUT.
      name: "journeys",
      testMatch: /.*\.spec\.ts$/,
      dependencies: ["setup"],
      use: { storageState: OPERATOR_STATE },
    },
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
