import { join } from "node:path";

export { freePort, startEmulatorProcess, type EmulatorProcess } from "../tests/support/emulator-process.js";

export interface BenchResult {
  /** Markdown lines: a short table or list of the figures, baseline included. */
  lines: string[];
}

export interface Bench {
  name: string;
  title: string;
  run(): Promise<BenchResult>;
}

export const root = join(import.meta.dirname, "..");

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarise(samples: number[]): { p50: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
}

export const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  });
  await Promise.all(workers);
}

/** Registers device requests as the admin (20 in flight); each must answer 201. */
export async function registerDevices(emu: { url: string; adminAuth: string }, ids: string[]) {
  const headers = {
    authorization: emu.adminAuth,
    "content-type": "application/json",
    accept: "application/json",
  };
  await pool(ids, 20, async (id) => {
    const res = await fetch(`${emu.url}/devicecontrol/newDeviceRequests`, {
      method: "POST",
      headers,
      body: JSON.stringify({ id }),
    });
    if (res.status !== 201) throw new Error(`register ${id}: ${res.status}`);
  });
}

/** Signs in to the console's BFF at `url` as the emulator's admin; answers the session cookie (`name=value`). */
export async function signInToConsole(
  url: string,
  emu: { tenant: string; adminPassword: string },
): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-c8y-console": "1" },
    body: JSON.stringify({ tenant: emu.tenant, username: "admin", password: emu.adminPassword }),
  });
  const cookie = res.headers.getSetCookie()[0]?.split(";")[0];
  if (res.status !== 200 || !cookie) throw new Error(`console sign-in answered ${res.status}`);
  return cookie;
}
