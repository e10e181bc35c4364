// What a simulated device does with an operation (docs/platform-api.md §6), as pure functions: given the operation
// and the device's current state, decide the outcome (new state, inventory fragments to write, operation
// fragments to report, or a failure reason). The agent does the HTTP around it.
import { createHash } from "node:crypto";
import type { DeviceState, Firmware, SoftwareItem } from "./catalogue.js";
import { softwareFragments } from "./catalogue.js";

export interface Operation {
  id: string;
  deviceId: string;
  status?: string;
  [fragment: string]: unknown;
}

/** Operation fragments this simulator knows how to carry out. */
export const HANDLED_OPERATIONS = [
  "c8y_Restart",
  "c8y_Configuration",
  "c8y_Firmware",
  "c8y_SoftwareUpdate",
  "c8y_SoftwareList",
  "c8y_Command",
  "c8y_Relay",
] as const;

// Fields of an operation that are not operation fragments.
const OPERATION_FIELDS = new Set([
  "id",
  "self",
  "deviceId",
  "deviceName",
  "agentId",
  "status",
  "creationTime",
  "failureReason",
  "description",
  "bulkOperationId",
  "deviceExternalIDs",
  "delivery",
  "externalSource",
]);

/** The fragment that names the operation: a known one first, else the first other fragment. */
export function operationType(op: Operation): string | undefined {
  const known = HANDLED_OPERATIONS.find((name) => name in op);
  if (known) return known;
  return Object.keys(op).find((k) => !OPERATION_FIELDS.has(k) && typeof op[k] === "object" && op[k] !== null);
}

export interface ShellEnvironment {
  hostname: string;
  os: { prettyName: string; id: string; versionId: string; kernel: string; arch: string };
  /** When the simulated device last booted, ms since the epoch. */
  bootTime: number;
  now: number;
}

/** The device an operation is for, as the agent knows it. */
export interface Target {
  serial: string;
  name: string;
  kind: "agent" | "child";
  supportedOperations: readonly string[];
  state: DeviceState;
  /** Agents only: what the simulated shell reports. */
  shell?: ShellEnvironment;
}

export type Outcome =
  | {
      kind: "success";
      /** The device's state afterwards, when it changed. */
      state?: DeviceState;
      /** Fragments to PUT on the target's managed object. */
      inventory?: Record<string, unknown>;
      /** Fragments to send with the final status (c8y_Command.result). */
      report?: Record<string, unknown>;
    }
  | { kind: "failure"; reason: string; report?: Record<string, unknown> }
  /** The agent itself restarts; the operation is finished after the reboot (startup step 6). */
  | { kind: "restart" };

export interface DecideOptions {
  /** Share of supported, well-formed operations that fail with a realistic reason, 0..1. */
  failureRate: number;
  random: () => number;
}

/** A failure reason; built from the operation, so that one kind of failure always reads the same for it. */
type Reason = (payload: unknown) => string;

const DEVICE_BUSY: Reason = () => "Device busy: update in progress";
const DPKG_LOCK: Reason = () => "Package manager is locked by another process (dpkg lock)";

/**
 * A handful of distinct, realistic reasons per operation type (what agents in the field report), so that the
 * failures of a fleet group by reason. Texts name the operation's own data (URLs, packages) where a real agent
 * would, and nothing random.
 */
export const FAILURE_REASONS: Record<(typeof HANDLED_OPERATIONS)[number], readonly Reason[]> = {
  c8y_Restart: [
    DEVICE_BUSY,
    () => "Restart blocked by a maintenance lock (/var/lock/maintenance)",
    () => "Watchdog did not confirm the reboot within 300 s",
    () => "Could not stop c8y-agent cleanly: timed out after 60 s",
  ],
  c8y_Configuration: [
    () => "Could not write /etc/c8y-agent/agent.conf: No space left on device",
    () => "Configuration rejected by the device: validation of the new settings failed",
    () => "Could not apply the configuration: c8y-agent did not restart (exit status 1)",
    DEVICE_BUSY,
  ],
  c8y_Firmware: [
    (payload) => `Download failed: HTTP 404 from ${firmwareUrl(payload)}`,
    () => "Checksum mismatch: the downloaded image does not match its SHA-256",
    () => "Not enough space on /data",
    () => "Firmware image signature verification failed",
    DEVICE_BUSY,
  ],
  c8y_SoftwareUpdate: [
    DPKG_LOCK,
    (payload) =>
      `Dependency problem: ${firstPackage(payload)} depends on libssl3 (>= 3.0.11), which is not installable`,
    (payload) => `Download of ${firstPackage(payload)} failed: temporary failure in name resolution`,
    () => "Not enough space on /: 12 MB free, 48 MB needed",
    (payload) => `Post-installation script of ${firstPackage(payload)} returned exit status 1`,
  ],
  c8y_SoftwareList: [
    DPKG_LOCK,
    (payload) => `Download of ${firstPackage(payload)} failed: temporary failure in name resolution`,
    () => "Not enough space on /: 12 MB free, 48 MB needed",
    (payload) => `Post-installation script of ${firstPackage(payload)} returned exit status 1`,
  ],
  c8y_Command: [
    () => "Command timed out after 60 s",
    DEVICE_BUSY,
    () => "Could not open a shell session: too many sessions (limit 4)",
  ],
  c8y_Relay: [
    () => "Relay did not acknowledge the new state (radio timeout)",
    () => "Zigbee coordinator not responding",
    () => "Relay held by its local override switch",
  ],
};

function firmwareUrl(payload: unknown): string {
  const fields = isObject(payload) ? payload : {};
  if (typeof fields.url === "string" && fields.url !== "") return fields.url;
  const name = typeof fields.name === "string" ? fields.name : "firmware";
  const version = typeof fields.version === "string" ? fields.version : "latest";
  return `https://updates.example.com/firmware/${name}/${version}.bin`;
}

function firstPackage(payload: unknown): string {
  const first: unknown = Array.isArray(payload) ? payload[0] : undefined;
  return isObject(first) && typeof first.name === "string" ? first.name : "a package";
}

/**
 * A deterministic source of numbers in [0, 1) for one device under one seed (mulberry32), so that a fleet run
 * with a seed fails the same operations with the same reasons every time, whatever the order agents run in.
 */
export function seededRandom(seed: number, serial: string): () => number {
  let state = parseInt(createHash("sha256").update(`${seed}:${serial}`).digest("hex").slice(0, 8), 16) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How long an operation of this type takes, relative to the configured operation duration. */
export const DURATION_FACTOR: Record<string, number> = {
  c8y_Firmware: 2,
  c8y_SoftwareUpdate: 1.5,
  c8y_SoftwareList: 1.5,
  c8y_Configuration: 1,
  c8y_Restart: 1,
  c8y_Command: 0.3,
  c8y_Relay: 0.3,
};

/** Decides what happens to an operation for `target`. Unsupported and malformed operations always fail. */
export function decide(op: Operation, target: Target, options: DecideOptions): Outcome {
  const type = operationType(op);
  if (!type) return { kind: "failure", reason: "The operation carries no operation fragment" };
  if (
    !target.supportedOperations.includes(type) ||
    !(HANDLED_OPERATIONS as readonly string[]).includes(type)
  ) {
    return {
      kind: "failure",
      reason: `Operation ${type} is not supported by ${target.name} (supported: ${target.supportedOperations.join(", ") || "none"})`,
    };
  }
  const handled = type as (typeof HANDLED_OPERATIONS)[number];
  const plan = plans[handled](op[type], target);
  if (plan.kind !== "failure" && options.failureRate > 0 && options.random() < options.failureRate) {
    const reasons = FAILURE_REASONS[handled];
    const reason = reasons[Math.floor(options.random() * reasons.length) % reasons.length]!(op[type]);
    // A command that fails still reports what it printed so far (nothing).
    return type === "c8y_Command"
      ? { kind: "failure", reason, report: { c8y_Command: { ...(op.c8y_Command as object), result: "" } } }
      : { kind: "failure", reason };
  }
  return plan;
}

type Plan = (payload: unknown, target: Target) => Outcome;

const plans: Record<(typeof HANDLED_OPERATIONS)[number], Plan> = {
  c8y_Restart: (_payload, target) => (target.kind === "agent" ? { kind: "restart" } : { kind: "success" }),

  c8y_Configuration: (payload, target) => {
    const config = isObject(payload) ? payload.config : undefined;
    if (typeof config !== "string") {
      return { kind: "failure", reason: "c8y_Configuration.config must be the configuration text" };
    }
    const state = { ...target.state, config };
    return { kind: "success", state, inventory: { c8y_Configuration: { config } } };
  },

  c8y_Firmware: (payload, target) => {
    if (!isObject(payload) || !nonEmpty(payload.name) || !nonEmpty(payload.version)) {
      return { kind: "failure", reason: "c8y_Firmware needs a name and a version" };
    }
    const firmware: Firmware = { name: payload.name, version: payload.version };
    if (typeof payload.url === "string" && payload.url !== "") firmware.url = payload.url;
    return {
      kind: "success",
      state: { ...target.state, firmware },
      inventory: { c8y_Firmware: { ...firmware } },
    };
  },

  c8y_SoftwareUpdate: (payload, target) => {
    const result = applySoftwareUpdate(target.state.software, payload);
    if (typeof result === "string") return { kind: "failure", reason: result };
    return {
      kind: "success",
      state: { ...target.state, software: result },
      inventory: softwareFragments(result),
    };
  },

  c8y_SoftwareList: (payload, target) => {
    const result = parseSoftwareList(payload);
    if (typeof result === "string") return { kind: "failure", reason: result };
    return {
      kind: "success",
      state: { ...target.state, software: result },
      inventory: softwareFragments(result),
    };
  },

  c8y_Command: (payload, target) => {
    const fields = isObject(payload) ? payload : {};
    const text = fields.text;
    if (typeof text !== "string" || text.trim() === "") {
      return { kind: "failure", reason: "c8y_Command.text must hold the command to run" };
    }
    const shell = target.shell;
    if (!shell) return { kind: "failure", reason: `${target.name} has no shell` };
    const { exitCode, output } = runShell(text, shell, target.state);
    const report = { c8y_Command: { ...fields, text, result: output } };
    if (exitCode === 0) return { kind: "success", report };
    const command = text.trim().split(/\s+/)[0]!;
    const reason =
      exitCode === 127
        ? `Command not found: ${command} (exit status 127)`
        : `Command exited with status ${exitCode}`;
    return { kind: "failure", reason, report };
  },

  c8y_Relay: (payload, target) => {
    const relayState = isObject(payload) ? payload.relayState : undefined;
    if (relayState !== "OPEN" && relayState !== "CLOSED") {
      return { kind: "failure", reason: 'c8y_Relay.relayState must be "OPEN" or "CLOSED"' };
    }
    return {
      kind: "success",
      state: { ...target.state, relay: relayState },
      inventory: { c8y_Relay: { relayState } },
    };
  },
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

function softwareItem(raw: unknown, where: string): SoftwareItem | string {
  if (!isObject(raw) || !nonEmpty(raw.name)) return `${where}: every item needs a name`;
  if (!nonEmpty(raw.version)) return `${where}: ${raw.name} needs a version`;
  const item: SoftwareItem = { name: raw.name, version: raw.version };
  if (typeof raw.url === "string" && raw.url !== "") item.url = raw.url;
  if (typeof raw.softwareType === "string" && raw.softwareType !== "") item.softwareType = raw.softwareType;
  return item;
}

/** c8y_SoftwareList: the complete desired set replaces what is installed. Returns an error text when invalid. */
export function parseSoftwareList(payload: unknown): SoftwareItem[] | string {
  if (!Array.isArray(payload)) return "c8y_SoftwareList must be a list of {name, version, url}";
  const out: SoftwareItem[] = [];
  const seen = new Set<string>();
  for (const raw of payload) {
    const item = softwareItem(raw, "c8y_SoftwareList");
    if (typeof item === "string") return item;
    if (seen.has(item.name)) return `c8y_SoftwareList: ${item.name} is listed twice`;
    seen.add(item.name);
    out.push(item);
  }
  return out;
}

/**
 * c8y_SoftwareUpdate: a delta. "install" adds or replaces a package (by name), "delete" removes it; deleting
 * a package that is not installed is a no-op, as package managers treat it. Returns an error text when invalid.
 */
export function applySoftwareUpdate(
  installed: readonly SoftwareItem[],
  payload: unknown,
): SoftwareItem[] | string {
  if (!Array.isArray(payload)) return "c8y_SoftwareUpdate must be a list of {name, version, url, action}";
  const next = installed.map((s) => ({ ...s }));
  for (const raw of payload) {
    if (!isObject(raw)) return "c8y_SoftwareUpdate: every item must be an object";
    const action = raw.action;
    if (action === "delete") {
      if (!nonEmpty(raw.name)) return "c8y_SoftwareUpdate: every item needs a name";
      const at = next.findIndex((s) => s.name === raw.name);
      if (at >= 0) next.splice(at, 1);
      continue;
    }
    if (action !== "install") {
      return `c8y_SoftwareUpdate: unknown action ${JSON.stringify(action)} (expected "install" or "delete")`;
    }
    const item = softwareItem(raw, "c8y_SoftwareUpdate");
    if (typeof item === "string") return item;
    const at = next.findIndex((s) => s.name === item.name);
    if (at >= 0) next[at] = { ...next[at], ...item };
    else next.push(item);
  }
  return next;
}

// ---- the simulated shell -------------------------------------------------------------------------------------

export interface ShellResult {
  exitCode: number;
  output: string;
}

const ROOT_LISTING =
  "bin\nboot\ndev\netc\nhome\nlib\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar";
const AGENT_CONF = "/etc/c8y-agent/agent.conf";

function files(env: ShellEnvironment, state: DeviceState): Record<string, string> {
  return {
    "/etc/os-release": [
      `PRETTY_NAME="${env.os.prettyName}"`,
      `NAME="${env.os.prettyName.replace(/\s*\(.*\)$/, "").replace(/\s[\d.]+$/, "")}"`,
      `VERSION_ID="${env.os.versionId}"`,
      `ID=${env.os.id}`,
    ].join("\n"),
    "/etc/hostname": env.hostname,
    [AGENT_CONF]: state.config,
    "/proc/version": `Linux version ${env.os.kernel} (builder@buildhost) #1 SMP PREEMPT`,
  };
}

const DIRECTORIES: Record<string, (env: ShellEnvironment) => string> = {
  "/": () => ROOT_LISTING,
  "/root": () => "",
  "/etc": () => "c8y-agent\nhostname\nhosts\nos-release\npasswd\nssh",
  "/etc/c8y-agent": () => "agent.conf",
  "/tmp": () => "",
  "/var/log": () => "c8y-agent.log\nmessages\nsyslog",
};

function uptimeText(env: ShellEnvironment): string {
  const seconds = Math.max(0, Math.floor((env.now - env.bootTime) / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = new Date(env.now).toISOString().slice(11, 19);
  const up =
    days > 0
      ? `${days} day${days === 1 ? "" : "s"}, ${hours}:${String(minutes).padStart(2, "0")}`
      : hours > 0
        ? `${hours}:${String(minutes).padStart(2, "0")}`
        : `${minutes} min`;
  return ` ${clock} up ${up},  1 user,  load average: 0.08, 0.03, 0.01`;
}

/** Splits a command line into words, honouring simple single and double quotes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words;
}

/** A handful of everyday commands with plausible output; anything else is "not found" (exit 127). */
export function runShell(text: string, env: ShellEnvironment, state: DeviceState): ShellResult {
  const words = splitWords(text.trim());
  const [command, ...args] = words;
  const ok = (output: string): ShellResult => ({ exitCode: 0, output });
  const fs = files(env, state);
  switch (command) {
    case undefined:
      return ok("");
    case "true":
      return ok("");
    case "false":
      return { exitCode: 1, output: "" };
    case "echo":
      return ok(args.join(" "));
    case "uptime":
      return ok(uptimeText(env));
    case "hostname":
      return ok(env.hostname);
    case "whoami":
      return ok("root");
    case "id":
      return ok("uid=0(root) gid=0(root) groups=0(root)");
    case "pwd":
      return ok("/root");
    case "date":
      return ok(new Date(env.now).toUTCString().replace("GMT", "UTC"));
    case "uname": {
      const flag = args[0];
      if (flag === undefined || flag === "-s") return ok("Linux");
      if (flag === "-r") return ok(env.os.kernel);
      if (flag === "-m") return ok(env.os.arch);
      if (flag === "-n") return ok(env.hostname);
      if (flag === "-a")
        return ok(`Linux ${env.hostname} ${env.os.kernel} #1 SMP PREEMPT ${env.os.arch} GNU/Linux`);
      return { exitCode: 1, output: `uname: invalid option -- '${flag.replace(/^-+/, "")}'` };
    }
    case "ls": {
      const path = args.find((a) => !a.startsWith("-")) ?? "/root";
      const normalised = path.length > 1 ? path.replace(/\/+$/, "") : path;
      const dir = DIRECTORIES[normalised];
      if (dir) return ok(dir(env));
      if (normalised in fs) return ok(normalised);
      return { exitCode: 2, output: `ls: cannot access '${path}': No such file or directory` };
    }
    case "cat": {
      if (args.length === 0) return ok("");
      const out: string[] = [];
      for (const path of args) {
        const content = fs[path];
        if (content === undefined) {
          const what = DIRECTORIES[path] ? "Is a directory" : "No such file or directory";
          return { exitCode: 1, output: [...out, `cat: ${path}: ${what}`].join("\n") };
        }
        out.push(content);
      }
      return ok(out.join("\n"));
    }
    case "df":
      return ok(
        [
          "Filesystem      Size  Used Avail Use% Mounted on",
          "/dev/root        29G  4.1G   24G  15% /",
          "tmpfs           1.9G     0  1.9G   0% /dev/shm",
        ].join("\n"),
      );
    case "free":
      return ok(
        [
          "               total        used        free      shared  buff/cache   available",
          "Mem:            3796         412        2871          17         576        3384",
          "Swap:             99           0          99",
        ].join("\n"),
      );
    case "ps":
      return ok(
        [
          "  PID TTY          TIME CMD",
          "    1 ?        00:00:02 init",
          "  412 ?        00:00:07 c8y-agent",
          "  530 ?        00:00:00 sh",
        ].join("\n"),
      );
    case "dpkg":
    case "opkg":
      if (args[0] === "-l" || args[0] === "list-installed") {
        return ok(state.software.map((s) => `${s.name} ${s.version}`).join("\n"));
      }
      return { exitCode: 2, output: `${command}: unsupported option in this shell` };
    default:
      return { exitCode: 127, output: `sh: 1: ${command}: not found` };
  }
}
