import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

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
  tenant: string;
  adminPassword: string;
  bootstrapPassword: string;
  adminAuth: string;
  bootstrapAuth: string;
  dataDir: string;
  /** The process id (benchmarks read its CPU time). */
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: nothing flushed or answered, the data directory kept for a restart on it. */
  kill(): Promise<void>;
}

/**
 * The real emulator as its own process (as operators run it), on a free loopback port. With no `dataDir` it uses a
 * temporary one that `stop()` removes.
 */
export async function startEmulatorProcess(
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<EmulatorProcess> {
  const port = options.port ?? (await freePort());
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "c8y-emulator-"));
  const adminPassword = "process-admin-password";
  const bootstrapPassword = "process-bootstrap-password";
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "emulator", "main.ts"), "--port", String(port), "--data", dataDir],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        EMULATOR_ADMIN_PASSWORD: adminPassword,
        EMULATOR_BOOTSTRAP_PASSWORD: bootstrapPassword,
        EMULATOR_TENANT: "t1000",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onExit = (code: number | null) => reject(new Error(`emulator exited with ${code}: ${out}`));
    child.once("exit", onExit);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("listening on")) {
        child.off("exit", onExit);
        resolve();
      }
    });
  });
  const basic = (login: string, pw: string) => `Basic ${Buffer.from(`${login}:${pw}`).toString("base64")}`;
  return {
    url: `http://127.0.0.1:${port}`,
    tenant: "t1000",
    adminPassword,
    bootstrapPassword,
    adminAuth: basic("t1000/admin", adminPassword),
    bootstrapAuth: basic("management/devicebootstrap", bootstrapPassword),
    dataDir,
    pid: child.pid!,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          if (ownDir) rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}
