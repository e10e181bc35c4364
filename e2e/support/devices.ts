import { expect } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDevices, type DeviceInfo, type DevicesOptions } from "../../emulator/devices/index.js";
import { sharedEmulator, type Emulator } from "./emulator";

export interface SimulatedDevices {
  readonly devices: readonly DeviceInfo[];
  /** Every line the agents logged, for a failure message. */
  readonly log: readonly string[];
  /** Disconnects the agents and removes their data directory ("disk"); safe to call twice. */
  stop(): Promise<void>;
}

export type SimulatedDeviceOptions = Omit<
  DevicesOptions,
  "url" | "ids" | "count" | "bootstrap" | "dataDir"
> & {
  /** Default: the shared emulator. */
  emulator?: Emulator;
};

/**
 * Simulated agents (emulator/devices) in the test process, talking HTTP to the e2e emulator with the bootstrap
 * password, each in a fresh data directory: they start without credentials and knock (docs/startup-phase.md step 0). Defaults
 * suit tests: quick operations and no random failures. Stop them in afterAll.
 */
export function startSimulatedDevices(ids: string[], options: SimulatedDeviceOptions = {}): SimulatedDevices {
  const { emulator = sharedEmulator(), ...rest } = options;
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-e2e-devices-"));
  const log: string[] = [];
  const handle = runDevices({
    operationDurationMs: 0,
    rebootDurationMs: 200,
    failureRate: 0,
    pollIntervalMs: 1000,
    ...rest,
    url: emulator.url,
    ids,
    dataDir,
    bootstrap: { password: emulator.bootstrapPassword },
    log: (line) => log.push(line),
  });
  let stopped: Promise<void> | undefined;
  return {
    devices: handle.devices,
    log,
    stop: () => (stopped ??= handle.stop().finally(() => rmSync(dataDir, { recursive: true, force: true }))),
  };
}

/** Waits until the first agent is online (connected and listening for operations). */
export async function expectOnline(fleet: SimulatedDevices, timeout = 30_000): Promise<void> {
  await expect.poll(() => fleet.devices[0]!.status, { timeout }).toBe("online");
}
