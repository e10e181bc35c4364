import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmulatorProcess {
  url: string;
  adminAuth: string;
  bootstrapAuth: string;
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = "bench-admin-password";
const BOOTSTRAP_PASSWORD = "bench-bootstrap-password";

/** The real emulator as its own process (as operators run it), on a free loopback port with a temporary data dir. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-bench-"));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "emulator", "main.ts"), "--port", String(port), "--data", dataDir],
    {
      cwd: root,
      env: {
        ...process.env,
        EMULATOR_ADMIN_PASSWORD: ADMIN_PASSWORD,
        EMULATOR_BOOTSTRAP_PASSWORD: BOOTSTRAP_PASSWORD,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("listening on")) resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    adminAuth: `Basic ${Buffer.from(`t1000/admin:${ADMIN_PASSWORD}`).toString("base64")}`,
    bootstrapAuth: `Basic ${Buffer.from(`management/devicebootstrap:${BOOTSTRAP_PASSWORD}`).toString("base64")}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

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
