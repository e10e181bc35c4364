// npm start: the whole thing on one machine. The emulator (unless C8Y_BASEURL points at a real tenant), a few
// simulated devices (some registered and waiting for acceptance, some knocking unregistered), and the console's
// production build. Ctrl-C stops everything.
//
// Environment: HOST (127.0.0.1), PORT (3000), EMULATOR_PORT (8111), DATA_DIR (.data), C8Y_BASEURL (a real tenant:
// no emulator), FORCE_BUILD=1 (rebuild the console), EMULATOR_ADMIN_PASSWORD / EMULATOR_BOOTSTRAP_PASSWORD,
// C8Y_BOOTSTRAP_* (devices against a real tenant), DEVICES_REGISTERED (4), DEVICES_KNOCKING (3),
// DEVICES_CHILDREN (2), DEVICES_FAILURE_RATE (0.1).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { bootstrapFromEnv, runDevices, type DevicesHandle } from "../emulator/devices/index.js";
import { basicAuth, type Credentials } from "../emulator/devices/http.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const env = process.env;
const host = env.HOST?.trim() || "127.0.0.1";
const port = integer("PORT", env.PORT, 3000);
const emulatorPort = integer("EMULATOR_PORT", env.EMULATOR_PORT, 8111);
const dataDir = resolve(root, env.DATA_DIR?.trim() || ".data");
const external = env.C8Y_BASEURL?.trim() || undefined;
const forceBuild = env.FORCE_BUILD === "1" || process.argv.includes("--build");

const children = new Set<ChildProcess>();
let devices: DevicesHandle | undefined;
let shuttingDown = false;
let emulatorProcess: ChildProcess | undefined;

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

/** A URL clients can use for a bind address (0.0.0.0 and :: are not addresses to connect to). */
function urlFor(bind: string, p: number): string {
  const h =
    bind === "0.0.0.0" ? "127.0.0.1" : bind === "::" ? "[::1]" : bind.includes(":") ? `[${bind}]` : bind;
  return `http://${h}:${p}`;
}

function say(line: string) {
  console.log(`[start] ${line}`);
}

function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string) {
  if (!stream) return;
  createInterface({ input: stream }).on("line", (line) => console.log(`${prefix} ${line}`));
}

/** Runs a Node script of a dependency as a child; its output is prefixed so the streams stay readable. */
function launch(
  name: string,
  script: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): ChildProcess {
  const child = spawn(process.execPath, [join(root, script), ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: Ctrl-C reaches only this script, which then stops things in order.
    detached: true,
  });
  children.add(child);
  prefixLines(child.stdout, `[${name}]`);
  prefixLines(child.stderr, `[${name}]`);
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!shuttingDown) {
      console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  return child;
}

/** Polls an HTTP endpoint until it answers at all (any status), for at most `timeoutMs`. */
async function waitForHttp(name: string, url: string, child: ChildProcess | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited before it was ready`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${name} did not answer on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a command to completion with inherited output (the console build). */
function runToEnd(script: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(root, script), ...args], {
      cwd: root,
      env,
      stdio: "inherit",
    });
    children.add(child);
    child.on("exit", (code) => {
      children.delete(child);
      resolvePromise(code ?? 1);
    });
  });
}

/** Stops a child with SIGTERM, and SIGKILL if it is still there after 10 s. */
function terminate(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

/** Devices first (they say goodbye to the platform), then the console, the emulator last. */
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say("stopping…");
  await devices?.stop().catch(() => undefined);
  const order = [...children].sort((a, b) => Number(a === emulatorProcess) - Number(b === emulatorProcess));
  for (const child of order) await terminate(child);
  process.exit(code);
}

// Children live in their own process groups; never leave them behind, whatever ends this script.
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

interface EmulatorInfo {
  url: string;
  tenant: string;
  adminPassword: string;
  bootstrapPassword: string;
}

/** The emulator as a child process; its passwords come from the environment or the file it keeps them in. */
async function startEmulator(): Promise<EmulatorInfo> {
  const emulatorData = join(dataDir, "emulator");
  const url = urlFor(host, emulatorPort);
  say(`starting the emulator on ${url} (data in ${emulatorData})`);
  const child = (emulatorProcess = launch("emulator", "node_modules/tsx/dist/cli.mjs", [
    "emulator/main.ts",
    "--port",
    String(emulatorPort),
    "--data",
    emulatorData,
    "--host",
    host,
  ]));
  await waitForHttp("the emulator", `${url}/tenant/loginOptions`, child, 60_000);
  const file = join(emulatorData, "credentials.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const adminPassword = env.EMULATOR_ADMIN_PASSWORD || stored.adminPassword;
  const bootstrapPassword = env.EMULATOR_BOOTSTRAP_PASSWORD || stored.bootstrapPassword;
  if (!adminPassword || !bootstrapPassword)
    throw new Error(`no emulator passwords in ${file} or the environment`);
  // The tenant id as the platform reports it, which also proves the admin password.
  const res = await fetch(`${url}/tenant/currentTenant`, {
    headers: {
      authorization: basicAuth({ user: "admin", password: adminPassword }),
      accept: "application/json",
    },
  });
  if (!res.ok) throw new Error(`the emulator refused the admin password (${res.status})`);
  const tenant = ((await res.json()) as { name?: string }).name ?? env.EMULATOR_TENANT ?? "t1000";
  return { url, tenant, adminPassword, bootstrapPassword };
}

interface DeviceIds {
  registered: string[];
  knocking: string[];
}

/** Device ids are made up once per data dir, so a second `npm start` brings back the same devices. */
function deviceIds(devicesDir: string): DeviceIds {
  const file = join(devicesDir, "start-devices.json");
  const wanted = {
    registered: integer("DEVICES_REGISTERED", env.DEVICES_REGISTERED, 4),
    knocking: integer("DEVICES_KNOCKING", env.DEVICES_KNOCKING, 3),
  };
  let ids: DeviceIds = { registered: [], knocking: [] };
  if (existsSync(file)) {
    try {
      ids = JSON.parse(readFileSync(file, "utf8")) as DeviceIds;
    } catch {
      // rewritten below
    }
  }
  const fresh = () => `sim-${randomBytes(3).toString("hex")}`;
  const fill = (list: string[], n: number) => {
    const out = list.slice(0, n);
    while (out.length < n) out.push(fresh());
    return out;
  };
  ids = {
    registered: fill(ids.registered ?? [], wanted.registered),
    knocking: fill(ids.knocking ?? [], wanted.knocking),
  };
  mkdirSync(devicesDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(ids, null, 2) + "\n");
  return ids;
}

/** Registers devices as the admin would in the console, unless they exist already (then they have credentials). */
async function preRegister(url: string, admin: Credentials, ids: string[]) {
  const headers = { authorization: basicAuth(admin), accept: "application/json" };
  for (const id of ids) {
    const known = await fetch(`${url}/identity/externalIds/c8y_Serial/${encodeURIComponent(id)}`, {
      headers,
    });
    if (known.ok) continue;
    const res = await fetch(`${url}/devicecontrol/newDeviceRequests`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ id }),
    });
    if (!res.ok && res.status !== 409)
      say(`could not register ${id}: HTTP ${res.status} ${await res.text()}`);
  }
}

async function main() {
  // 1. The console build first: it is the slow, CPU-hungry part and fails fast on a broken tree.
  if (forceBuild || !existsSync(join(root, ".next", "BUILD_ID"))) {
    say(forceBuild ? "rebuilding the console (FORCE_BUILD)" : "building the console (first start)…");
    const code = await runToEnd("node_modules/next/dist/bin/next", ["build"]);
    if (code !== 0) throw new Error(`next build failed with code ${code}`);
  }

  // 2. The platform.
  const emulator = external ? undefined : await startEmulator();
  const platformUrl = external ?? emulator!.url;

  // 3. Simulated devices.
  const devicesDir = join(dataDir, "devices");
  const ids = deviceIds(devicesDir);
  const bootstrap: Credentials | undefined = emulator
    ? { tenant: "management", user: "devicebootstrap", password: emulator.bootstrapPassword }
    : bootstrapFromEnv();
  if (bootstrap) {
    if (emulator) {
      await preRegister(
        platformUrl,
        { tenant: emulator.tenant, user: "admin", password: emulator.adminPassword },
        ids.registered,
      );
    }
    const all = emulator ? [...ids.registered, ...ids.knocking] : ids.knocking;
    const rate = Number(env.DEVICES_FAILURE_RATE ?? "0.1");
    devices = runDevices({
      url: platformUrl,
      ids: all,
      children: integer("DEVICES_CHILDREN", env.DEVICES_CHILDREN, 2),
      dataDir: devicesDir,
      bootstrap,
      failureRate: Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : 0.1,
      log: (line) => console.log(`[devices] ${line}`),
    });
  } else {
    say("no C8Y_BOOTSTRAP_PASSWORD for the external tenant: not starting simulated devices");
  }

  // 4. The console.
  const consoleUrl = urlFor(host, port);
  say(`starting the console on ${consoleUrl}`);
  const next = launch(
    "console",
    "node_modules/next/dist/bin/next",
    ["start", "-H", host, "-p", String(port)],
    {
      C8Y_BASEURL: platformUrl,
      DATA_DIR: dataDir,
      NODE_ENV: "production",
    },
  );
  await waitForHttp("the console", consoleUrl, next, 60_000);

  const lines = [
    "",
    `Console:   ${consoleUrl}`,
    `Platform:  ${platformUrl}${emulator ? " (embedded emulator)" : ""}`,
  ];
  if (emulator) {
    lines.push(
      `Sign in:   tenant ${emulator.tenant}, username admin, password ${emulator.adminPassword}`,
      `           (kept in ${join(dataDir, "emulator", "credentials.json")})`,
    );
  } else {
    lines.push("Sign in:   with your tenant's credentials");
  }
  if (devices) {
    if (emulator && ids.registered.length > 0) {
      lines.push(`Registered, waiting for acceptance (or already accepted): ${ids.registered.join(", ")}`);
    }
    if (ids.knocking.length > 0) {
      lines.push(`Knocking, register them by hand under Registrations:      ${ids.knocking.join(", ")}`);
    }
  }
  lines.push("Press Ctrl-C to stop everything.", "");
  console.log(lines.join("\n"));
}

main().catch((err: unknown) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
