// npm run devices -- --url <platform> (--ids a,b,c | --count N [--prefix P]) [--children M] [--data <dir>]
// Simulated agents following the startup phase; the bootstrap user comes from C8Y_BOOTSTRAP_TENANT,
// C8Y_BOOTSTRAP_USER and C8Y_BOOTSTRAP_PASSWORD.
import { parseArgs } from "node:util";
import { generatedIds, runDevices } from "./index.js";

const USAGE = `Usage: npm run devices -- --url <platform> (--ids a,b,c | --count N [--prefix sim-]) [options]

  --url <url>              platform base URL (default: C8Y_BASEURL)
  --ids <a,b,c>            registration ids (also the c8y_Serial external ids)
  --count <n>              or: this many devices named <prefix>0001…
  --prefix <p>             prefix for --count (default sim-)
  --children <m>           child devices per agent (default 0)
  --data <dir>             credentials and device state (default .data/devices)
  --poll-interval <ms>     pause between credential requests (default 3000)
  --op-duration <ms>       base duration of an operation (default 1500)
  --reboot-duration <ms>   how long a restart keeps a device offline (default 3000)
  --failure-rate <0..1>    share of operations that fail with a realistic reason (default 0.1)
  --notification-path <p>  Bayeux endpoint for agents (default /notification/operations)
  --seed <n>               reproducible failures and durations (default: random)

Environment: C8Y_BOOTSTRAP_TENANT (management), C8Y_BOOTSTRAP_USER (devicebootstrap), C8Y_BOOTSTRAP_PASSWORD.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      url: { type: "string" },
      ids: { type: "string" },
      count: { type: "string" },
      prefix: { type: "string" },
      children: { type: "string" },
      data: { type: "string" },
      "poll-interval": { type: "string" },
      "op-duration": { type: "string" },
      "reboot-duration": { type: "string" },
      "failure-rate": { type: "string" },
      "notification-path": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function number(name: string, raw: string | undefined, check: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) fail(`Invalid --${name} ${raw}`);
  return n;
}

const url = values.url ?? process.env.C8Y_BASEURL;
if (!url) fail("--url is required");
const ids = values.ids
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const count = number("count", values.count, (n) => Number.isInteger(n) && n > 0);
if (ids && count !== undefined) fail("Give either --ids or --count, not both");
if (!ids?.length && count === undefined) fail("Give --ids or --count");
const nonNegative = (n: number) => n >= 0;

const serials = ids ?? generatedIds(count ?? 0, values.prefix);
console.log(`Simulating ${serials.length} device(s) against ${url}: ${serials.join(", ")}`);

let handle: ReturnType<typeof runDevices>;
try {
  handle = runDevices({
    url,
    ids: serials,
    children: number("children", values.children, (n) => Number.isInteger(n) && n >= 0),
    dataDir: values.data,
    pollIntervalMs: number("poll-interval", values["poll-interval"], (n) => n > 0),
    operationDurationMs: number("op-duration", values["op-duration"], nonNegative),
    rebootDurationMs: number("reboot-duration", values["reboot-duration"], nonNegative),
    failureRate: number("failure-rate", values["failure-rate"], (n) => n >= 0 && n <= 1),
    notificationPath: values["notification-path"],
    seed: number("seed", values.seed, (n) => Number.isInteger(n)),
    log: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
  });
} catch (err) {
  fail(err instanceof Error ? err.message.replace(/^runDevices: /, "") : String(err));
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`Received ${signal}, disconnecting the devices…`);
  await handle.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
