// Simulated agents for the fleet benchmarks: `npm run devices` in a process of its own against an emulator
// process, registered, admitted with one acceptAll and counted online from the fleet's log lines; and the admin's
// REST calls the benchmarks make around them.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type EmulatorProcess, registerDevices, root } from "./lib.js";

type Json = Record<string, unknown>;

/** What an agent of `npm run devices` prints once its operations notifications are up. */
export const ONLINE = /connected: looking for PENDING operations/;

/** Counts the fleet's log lines that match, and resolves when a count is reached. */
export class LineCounter {
  private readonly counts = new Map<RegExp, number>();
  private waiters: { re: RegExp; n: number; resolve: () => void }[] = [];

  constructor(child: ChildProcess, patterns: RegExp[]) {
    for (const re of patterns) this.counts.set(re, 0);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      for (const re of patterns) if (re.test(line)) this.counts.set(re, this.counts.get(re)! + 1);
      this.waiters = this.waiters.filter((w) => {
        if (this.counts.get(w.re)! < w.n) return true;
        w.resolve();
        return false;
      });
    });
  }

  count(re: RegExp): number {
    return this.counts.get(re)!;
  }

  reach(re: RegExp, n: number, what: string, limitMs = 300_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), limitMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.count(re) >= n) done();
      else this.waiters.push({ re, n, resolve: done });
    });
  }
}

/** One REST call as the tenant's admin; a status of 300 or more throws with the platform's answer. */
export async function adminCall(
  emu: EmulatorProcess,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Json> {
  const res = await fetch(`${emu.url}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: emu.adminAuth, "content-type": "application/json", accept: "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status >= 300)
    throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? {} : ((await res.json()) as Json);
}

export interface AgentFleet {
  /** The agents' external ids (`<prefix>0001` …), as registered. */
  ids: string[];
  process: ChildProcess;
  /** Counts `ONLINE` and the extra patterns asked for. */
  lines: LineCounter;
  /** Registers every agent, waits until each has knocked, accepts them all at once; answers when that was. */
  admit(): Promise<number>;
  /** Stops the fleet's process and removes its data. */
  stop(): Promise<void>;
}

/** `count` agents of `npm run devices` in their own process, each polling once a second, operations instant. */
export function spawnAgents(
  emu: EmulatorProcess,
  options: { count: number; prefix: string; rebootMs?: number; failureRate?: number; patterns?: RegExp[] },
): AgentFleet {
  const { count, prefix } = options;
  const dataDir = mkdtempSync(join(tmpdir(), `c8y-${prefix}fleet-`));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "emulator", "devices", "main.ts"),
      ...["--url", emu.url, "--count", String(count), "--prefix", prefix, "--data", dataDir],
      ...[
        "--poll-interval",
        "1000",
        "--op-duration",
        "0",
        "--failure-rate",
        String(options.failureRate ?? 0),
      ],
      ...(options.rebootMs === undefined ? [] : ["--reboot-duration", String(options.rebootMs)]),
    ],
    {
      cwd: root,
      env: { ...process.env, C8Y_BOOTSTRAP_PASSWORD: emu.bootstrapPassword },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}`);
  return {
    ids,
    process: child,
    lines: new LineCounter(child, [ONLINE, ...(options.patterns ?? [])]),
    async admit() {
      await registerDevices(emu, ids);
      // Every agent knocks once a second; once all have, one acceptAll lets them in.
      for (;;) {
        const body = await adminCall(emu, "/devicecontrol/newDeviceRequests?pageSize=2000");
        const knocked = (body.newDeviceRequests as Json[]).filter(
          (r) => String(r.id).startsWith(prefix) && r.status === "PENDING_ACCEPTANCE",
        );
        if (knocked.length === count) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const accepted = performance.now();
      await adminCall(emu, "/devicecontrol/newDeviceRequests/acceptAll", { method: "POST" });
      return accepted;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
