import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulatorProcess } from "../tests/support/emulator-process";
import { startConsole } from "./support/console";

/**
 * The real stack for the browser journeys, as `npm start` runs it but on ephemeral loopback ports: the emulator
 * process and the console's production build. Tests start simulated devices themselves. Stopped in the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Presence within seconds instead of the 40 s defaults, so a journey sees an agent go DISCONNECTED without
  // waiting (docs/emulator-presence.md, "Knobs").
  const emulator = await startEmulatorProcess({
    env: { EMULATOR_DISCONNECT_GRACE_MS: "1000", EMULATOR_PRESENCE_CHECK_MS: "500" },
  });
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-console-e2e-"));
  const consoleApp = await startConsole({
    C8Y_BASEURL: emulator.url,
    DATA_DIR: dataDir,
    SESSION_PASSWORD: "e2e-session-password-at-least-32-characters-long",
  });
  process.env.E2E_BASE_URL = consoleApp.url;
  process.env.E2E_EMULATOR_URL = emulator.url;
  process.env.E2E_TENANT = emulator.tenant;
  process.env.E2E_ADMIN_PASSWORD = emulator.adminPassword;
  process.env.E2E_BOOTSTRAP_PASSWORD = emulator.bootstrapPassword;
  return async () => {
    await consoleApp.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
