// Programmatic entry: run a fleet of simulated agents in this process (tests, `npm start`, the CLI).
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Agent, type AgentStatus } from "./agent.js";
import type { Credentials } from "./http.js";
import { seededRandom } from "./operations.js";
import { DeviceStore } from "./store.js";

export interface DevicesOptions {
  /** Platform base URL, e.g. http://127.0.0.1:8111. */
  url: string;
  /** Registration ids (= c8y_Serial external ids). Alternatively count + prefix. */
  ids?: string[];
  count?: number;
  /** Prefix for generated ids: `<prefix>0001`…; default "sim-". */
  prefix?: string;
  /** Child devices per agent; default 0. */
  children?: number;
  /** Where each device keeps its credentials and state; default ".data/devices". */
  dataDir?: string;
  /**
   * Bootstrap user for step 0. Defaults from C8Y_BOOTSTRAP_TENANT (management), C8Y_BOOTSTRAP_USER
   * (devicebootstrap) and C8Y_BOOTSTRAP_PASSWORD.
   */
  bootstrap?: Partial<Credentials>;
  /** Steady interval between credential requests, ms; default 3000. */
  pollIntervalMs?: number;
  /** Base duration of an operation, ms; default 1500. Tests pass 0. */
  operationDurationMs?: number;
  /** How long a c8y_Restart keeps the agent away, ms; default 3000. */
  rebootDurationMs?: number;
  /** Share of operations that fail with a realistic reason, 0..1; default 0.1. */
  failureRate?: number;
  /** Bayeux endpoint for agents; default "/notification/operations". */
  notificationPath?: string;
  /** One line per noteworthy step; default console.log. */
  log?: (line: string) => void;
  /**
   * Makes failures, their reasons and durations reproducible: each device draws from its own sequence derived
   * from the seed and its id. Without it (and without `random`) they are random.
   */
  seed?: number;
  random?: () => number;
  now?: () => number;
}

export interface DeviceInfo {
  readonly serial: string;
  readonly status: AgentStatus;
  readonly managedObjectId: string | undefined;
}

export interface DevicesHandle {
  readonly devices: readonly DeviceInfo[];
  /** Disconnects every agent and stops all polling; resolves when nothing is left running. */
  stop(): Promise<void>;
}

/** Ids for `--count N --prefix P`: P0001, P0002, … */
export function generatedIds(count: number, prefix = "sim-"): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, "0")}`);
}

export function bootstrapFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  given: Partial<Credentials> = {},
): Credentials | undefined {
  const password = given.password ?? env.C8Y_BOOTSTRAP_PASSWORD;
  if (!password) return undefined;
  return {
    tenant: given.tenant ?? env.C8Y_BOOTSTRAP_TENANT ?? "management",
    user: given.user ?? env.C8Y_BOOTSTRAP_USER ?? "devicebootstrap",
    password,
  };
}

/** Starts the agents (each runs the startup phase in the background) and returns at once. */
export function runDevices(options: DevicesOptions): DevicesHandle {
  const ids = options.ids ?? generatedIds(options.count ?? 0, options.prefix);
  if (ids.length === 0) throw new Error("runDevices: no device ids (give ids or a count)");
  if (new Set(ids).size !== ids.length) throw new Error("runDevices: device ids must be unique");
  const failureRate = options.failureRate ?? 0.1;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new Error("runDevices: failureRate must be within 0..1");
  const children = options.children ?? 0;
  if (!Number.isInteger(children) || children < 0)
    throw new Error("runDevices: children must be a whole number");
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`runDevices: invalid platform URL ${options.url}`);
  }
  const dataDir = resolve(options.dataDir ?? ".data/devices");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const bootstrap = bootstrapFromEnv(process.env, options.bootstrap);
  if (!bootstrap) {
    const missing = ids.filter((id) => new DeviceStore(dataDir, id).readCredentials() === undefined);
    if (missing.length > 0) {
      throw new Error(
        `runDevices: ${missing.length} device(s) have no credentials yet and no bootstrap password was given (C8Y_BOOTSTRAP_PASSWORD)`,
      );
    }
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const agents = ids.map(
    (serial) =>
      new Agent({
        url: url.href.replace(/\/$/, ""),
        serial,
        children,
        dataDir,
        bootstrap,
        pollIntervalMs: options.pollIntervalMs ?? 3_000,
        operationDurationMs: options.operationDurationMs ?? 1_500,
        rebootDurationMs: options.rebootDurationMs ?? 3_000,
        failureRate,
        notificationPath: options.notificationPath ?? "/notification/operations",
        random:
          options.random ?? (options.seed === undefined ? Math.random : seededRandom(options.seed, serial)),
        now: options.now ?? Date.now,
        log,
      }),
  );
  for (const a of agents) a.start();
  let stopped: Promise<void> | undefined;
  return {
    devices: agents,
    stop() {
      stopped ??= Promise.all(agents.map((a) => a.stop())).then(() => undefined);
      return stopped;
    },
  };
}
