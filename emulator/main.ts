// npm run emulator -- --port <port> --data <dir> [--host <addr>] [interval options, see --help]: the embedded
// Cumulocity-compatible platform.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generatePassword } from "./platform/auth/passwords.js";
import { DEFAULT_PRESENCE_SETTINGS } from "./platform/presence/presence.js";
import { startPlatform } from "./platform/server.js";

/** Millisecond knobs: option name, environment variable, default (docs/emulator-presence.md). */
const INTERVALS = {
  "session-window-ms": ["EMULATOR_SESSION_WINDOW_MS", 10_000],
  "presence-check-ms": ["EMULATOR_PRESENCE_CHECK_MS", DEFAULT_PRESENCE_SETTINGS.checkIntervalMs],
  "disconnect-grace-ms": ["EMULATOR_DISCONNECT_GRACE_MS", DEFAULT_PRESENCE_SETTINGS.disconnectGraceMs],
  "last-message-resolution-ms": [
    "EMULATOR_LAST_MESSAGE_RESOLUTION_MS",
    DEFAULT_PRESENCE_SETTINGS.lastMessageResolutionMs,
  ],
  "availability-grace-ms": ["EMULATOR_AVAILABILITY_GRACE_MS", DEFAULT_PRESENCE_SETTINGS.availabilityGraceMs],
} as const satisfies Record<string, readonly [string, number]>;
type Interval = keyof typeof INTERVALS;

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.EMULATOR_PORT ?? "8111" },
    data: { type: "string", default: process.env.EMULATOR_DATA ?? ".data/emulator" },
    host: { type: "string", default: process.env.EMULATOR_HOST ?? "127.0.0.1" },
    ...(Object.fromEntries(
      Object.entries(INTERVALS).map(([name, [env, fallback]]) => [
        name,
        { type: "string", default: process.env[env] ?? String(fallback) },
      ]),
    ) as Record<Interval, { type: "string"; default: string }>),
    help: { type: "boolean", default: false },
  },
  strict: true,
});

if (values.help) {
  console.log("Usage: npm run emulator -- [--port 8111] [--data .data/emulator] [--host 127.0.0.1]");
  for (const [name, [env, fallback]] of Object.entries(INTERVALS))
    console.log(`         [--${name} ${fallback}]  (or ${env})`);
  process.exit(0);
}

/** A whole number of milliseconds; the check interval must be positive, the rest may be 0. */
function interval(name: Interval): number {
  const raw = values[name];
  const ms = Number(raw);
  const min = name === "presence-check-ms" ? 1 : 0;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(ms) || ms < min) {
    console.error(
      `Invalid --${name} ${raw} (or ${INTERVALS[name][0]}): a whole number of milliseconds ≥ ${min}`,
    );
    process.exit(2);
  }
  return ms;
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`);
  process.exit(2);
}
const realtime = { sessionWindowMs: interval("session-window-ms") };
const presence = {
  checkIntervalMs: interval("presence-check-ms"),
  disconnectGraceMs: interval("disconnect-grace-ms"),
  lastMessageResolutionMs: interval("last-message-resolution-ms"),
  availabilityGraceMs: interval("availability-grace-ms"),
};
// Benchmark-only (bench/audit-overhead.ts): "off" stops the platform writing its own audit records.
const auditRecords = process.env.EMULATOR_AUDIT_RECORDS !== "off";
const dataDir = resolve(values.data);
mkdirSync(dataDir, { recursive: true });

/** A password from the environment, or one generated at first start and kept (mode 0600) in the data directory. */
function secretFor(envName: string, key: string): { value: string; generated: boolean } {
  const fromEnv = process.env[envName];
  if (fromEnv) return { value: fromEnv, generated: false };
  const file = join(dataDir, "credentials.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  let value = stored[key];
  if (!value) {
    value = generatePassword();
    stored[key] = value;
    writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { value, generated: true };
}

const tenant = process.env.EMULATOR_TENANT ?? "t1000";
const admin = secretFor("EMULATOR_ADMIN_PASSWORD", "adminPassword");
const bootstrap = secretFor("EMULATOR_BOOTSTRAP_PASSWORD", "bootstrapPassword");

// Signal handlers go in before anything is printed: whoever reads "listening on" may stop us at once.
const started: { platform?: Awaited<ReturnType<typeof startPlatform>> } = {};
let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`Received ${signal}, stopping the emulator…`);
  await started.platform?.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

const running = (started.platform = await startPlatform({
  dataDir,
  host: values.host,
  port,
  tenant,
  adminPassword: admin.value,
  bootstrapPassword: bootstrap.value,
  realtime,
  presence,
  auditRecords,
  log: (message, error) => console.error(`[emulator] ${message}`, error),
}));

const where = (g: boolean) =>
  g ? ` (generated, kept in ${join(dataDir, "credentials.json")})` : " (from the environment)";
console.log(`Cumulocity emulator listening on ${running.url}`);
console.log(`  tenant:    ${tenant}`);
console.log(`  admin:     ${tenant}/admin  password: ${admin.value}${where(admin.generated)}`);
console.log(
  `  bootstrap: management/devicebootstrap  password: ${bootstrap.value}${where(bootstrap.generated)}`,
);
console.log(`  data:      ${dataDir}`);
