import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDevices } from "../emulator/devices/index.js";
import { type Bench, registerDevices, startEmulatorProcess } from "./lib.js";

const AGENTS = 1000;
const POLL_MS = 1000;

async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 300_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 1,000 simulated agents accepted at once: time until every one has finished steps 0–6. */
export const agents1000Bench: Bench = {
  name: "agents-1000",
  title: "Simulated devices: 1,000 agents accepted at once until all finished steps 0–6",
  async run() {
    const emu = await startEmulatorProcess();
    const dataDir = mkdtempSync(join(tmpdir(), "c8y-agents-"));
    const ids = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(4, "0")}`);
    const admin = {
      authorization: emu.adminAuth,
      "content-type": "application/json",
      accept: "application/json",
    };
    let fleet: ReturnType<typeof runDevices> | undefined;
    try {
      await registerDevices(emu, ids);
      fleet = runDevices({
        url: emu.url,
        ids,
        dataDir,
        bootstrap: { password: emu.bootstrapPassword },
        pollIntervalMs: POLL_MS,
        failureRate: 0,
        operationDurationMs: 0,
        log: () => undefined,
      });
      await until(async () => {
        const res = await fetch(`${emu.url}/devicecontrol/newDeviceRequests?pageSize=2000`, {
          headers: admin,
        });
        const body = (await res.json()) as { newDeviceRequests: { status: string }[] };
        return body.newDeviceRequests.filter((r) => r.status === "PENDING_ACCEPTANCE").length === AGENTS;
      }, "every agent to knock");

      const t0 = performance.now();
      const accepted = await fetch(`${emu.url}/devicecontrol/newDeviceRequests/acceptAll`, {
        method: "POST",
        headers: admin,
      });
      const acceptMs = performance.now() - t0;
      if (accepted.status >= 300) throw new Error(`acceptAll answered ${accepted.status}`);
      const devices = fleet.devices;
      await until(() => devices.every((d) => d.status === "online"), "every agent to come online");
      const totalS = (performance.now() - t0) / 1000;
      return {
        lines: [
          `${AGENTS} agents knocking (credential poll every ${POLL_MS} ms), accepted with one acceptAll ` +
            `(${acceptMs.toFixed(0)} ms): all had fetched credentials, created themselves, bound c8y_Serial, ` +
            `finished step 6 and held a Bayeux connect after ${totalS.toFixed(1)} s ` +
            `(${(AGENTS / totalS).toFixed(0)} agents/s; the poll interval alone accounts for up to ${POLL_MS / 1000} s).`,
          "Agents run in the bench process, the emulator in its own process.",
        ],
      };
    } finally {
      await fleet?.stop();
      await emu.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
