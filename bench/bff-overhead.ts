// BFF overhead: a single device read and the registration list through the console's BFF (a `next start` of the
// production build) against the framework's floor (GET /api/health, a route handler that does nothing, on the same
// server), at 20 concurrent clients, all in one run; the same platform calls made directly are shown for reference. Needs a build (`npm run build`). Run alone with `npx tsx bench/bff-overhead.ts`, or `npm run bench`.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startConsole, type RunningConsole } from "../e2e/support/console.js";
import { type Bench, type EmulatorProcess, ms, pool, startEmulatorProcess, summarise } from "./lib.js";

const CLIENTS = 20;
const REQUESTS = 2000;
const WARMUP = 200;
const REGISTRATIONS = 200;
/** Rounds alternate direct and BFF so drift on the shared machine hits both alike. */
const ROUNDS = 2;
/** Requests of the single-client comparison. */
const SEQUENTIAL = 400;

export interface Stack {
  emulator: EmulatorProcess;
  console: RunningConsole;
  /** `Cookie` header value carrying the console session. */
  cookie: string;
  /** `Authorization` header for direct calls: a bearer token, the credential the BFF itself holds. */
  bearer: string;
  stop(): Promise<void>;
}

/** The emulator process plus `next start` of the build, signed in both ways (session cookie, bearer token). */
export async function startStack(): Promise<Stack> {
  const emulator = await startEmulatorProcess();
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-bench-console-"));
  let running: RunningConsole | undefined;
  try {
    running = await startConsole({
      C8Y_BASEURL: emulator.url,
      DATA_DIR: dataDir,
      SESSION_PASSWORD: "bench-session-password-at-least-32-characters",
    });
    const login = await fetch(`${running.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-c8y-console": "1" },
      body: JSON.stringify({ tenant: emulator.tenant, username: "admin", password: emulator.adminPassword }),
    });
    if (login.status !== 200)
      throw new Error(`console sign-in answered ${login.status}: ${await login.text()}`);
    const cookie = login.headers.getSetCookie()[0]?.split(";")[0];
    if (!cookie) throw new Error("console sign-in set no cookie");
    const token = await fetch(`${emulator.url}/tenant/oauth/token?tenant_id=${emulator.tenant}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "PASSWORD",
        username: "admin",
        password: emulator.adminPassword,
      }),
    });
    if (token.status !== 200) throw new Error(`token login answered ${token.status}`);
    const { access_token } = (await token.json()) as { access_token: string };
    const started = running;
    return {
      emulator,
      console: started,
      cookie,
      bearer: `Bearer ${access_token}`,
      async stop() {
        await started.stop();
        await emulator.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await running?.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** An admin call to the emulator that must succeed. */
export async function emulatorCall(
  stack: Stack,
  path: string,
  init: { method?: string; body?: unknown; auth?: string } = {},
) {
  const res = await fetch(`${stack.emulator.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: init.auth ?? stack.emulator.adminAuth,
      accept: "application/json",
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** Latencies of `count` GETs with `clients` in flight; every answer must be 200 (and is read completely). */
async function measure(
  url: string,
  headers: Record<string, string>,
  count: number,
  clients = CLIENTS,
): Promise<number[]> {
  const samples: number[] = [];
  await pool(
    Array.from({ length: count }, (_, i) => i),
    clients,
    async () => {
      const start = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      const elapsed = performance.now() - start;
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      samples.push(elapsed);
    },
  );
  return samples;
}

interface Target {
  url: string;
  headers: Record<string, string>;
  what: string;
}

/** p50/p99 at 20 clients (the figure the goal is about) and p50 of one client (no queueing: the pure cost). */
async function compare(targets: Target[]) {
  const loaded = targets.map(() => [] as number[]);
  const alone = targets.map(() => [] as number[]);
  for (const t of targets) await measure(t.url, t.headers, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, t] of targets.entries()) {
      loaded[i]!.push(...(await measure(t.url, t.headers, REQUESTS / ROUNDS)));
      alone[i]!.push(...(await measure(t.url, t.headers, SEQUENTIAL / ROUNDS, 1)));
    }
  }
  return targets.map((_, i) => ({ loaded: summarise(loaded[i]!), alone: summarise(alone[i]!) }));
}

export const bffOverheadBench: Bench = {
  name: "bff-overhead",
  title: "Console BFF overhead: one device and the registration list against the framework's floor",
  async run() {
    const stack = await startStack();
    try {
      // 200 requests, every other one knocked (PENDING_ACCEPTANCE): one upstream page, no identity look-ups.
      const ids = Array.from(
        { length: REGISTRATIONS },
        (_, i) => `bench-reg-${String(i + 1).padStart(4, "0")}`,
      );
      await pool(ids, 10, async (id, i) => {
        const created = await emulatorCall(stack, "/devicecontrol/newDeviceRequests", { body: { id } });
        if (created.status !== 201) throw new Error(`register ${id}: ${created.status}`);
        if (i % 2 === 0)
          await emulatorCall(stack, "/devicecontrol/deviceCredentials", {
            body: { id },
            auth: stack.emulator.bootstrapAuth,
          });
      });
      const device = await emulatorCall(stack, "/inventory/managedObjects", {
        body: {
          name: "Bench gateway",
          type: "c8y_Linux",
          c8y_IsDevice: {},
          com_cumulocity_model_Agent: {},
          c8y_Hardware: { model: "RaspPi BCM2711", serialNumber: "bench-0001", revision: "c03111" },
          c8y_SupportedOperations: ["c8y_Restart", "c8y_Configuration", "c8y_Firmware"],
          c8y_Firmware: { name: "raspios", version: "12.5" },
        },
      });
      const deviceId = String(device.body?.id);

      const bffHeaders = { cookie: stack.cookie, accept: "application/json" };
      const directHeaders = { authorization: stack.bearer, accept: "application/json" };
      const cu = stack.console.url;
      const eu = stack.emulator.url;
      const load = () =>
        loadavg()
          .map((l) => l.toFixed(2))
          .join(", ");
      const loadBefore = load();

      // The framework's floor: a route handler of the same server that does nothing (no session, no platform).
      const floor: Target = { url: `${cu}/api/health`, headers: {}, what: "GET /api/health (does nothing)" };
      const bff: Target[] = [
        { url: `${cu}/api/devices/${deviceId}`, headers: bffHeaders, what: "GET /api/devices/{id}" },
        {
          url: `${cu}/api/registrations?pageSize=50`,
          headers: bffHeaders,
          what: "GET /api/registrations?pageSize=50",
        },
      ];
      const labels = ["one device", "registration list"];
      // For reference: the platform calls the BFF makes for the same answers, made directly.
      const direct: Target[] = [
        {
          url: `${eu}/inventory/managedObjects/${deviceId}?withChildren=false&withChildrenCount=true`,
          headers: directHeaders,
          what: "GET /inventory/managedObjects/{id}?withChildren=false&withChildrenCount=true",
        },
        {
          url: `${eu}/devicecontrol/newDeviceRequests?pageSize=2000&currentPage=1`,
          headers: directHeaders,
          what: "GET /devicecontrol/newDeviceRequests?pageSize=2000&currentPage=1",
        },
      ];
      const [f, ...rest] = await compare([floor, ...bff, ...direct]);
      const floorP50 = f!.loaded.p50;
      const lines = [
        `| call | p50 (${CLIENTS} clients) | p99 (${CLIENTS} clients) | p50 ÷ floor p50 | p50 (1 client) |`,
        "| --- | --- | --- | --- | --- |",
        `| floor: \`${floor.what}\` | ${ms(f!.loaded.p50)} | ${ms(f!.loaded.p99)} | 1.00× | ${ms(f!.alone.p50)} |`,
      ];
      const verdicts: string[] = [];
      for (const [i, target] of bff.entries()) {
        const r = rest[i]!;
        const ratio = r.loaded.p50 / floorP50;
        lines.push(
          `| ${labels[i]}, BFF: \`${target.what}\` | ${ms(r.loaded.p50)} | ${ms(r.loaded.p99)} | ${ratio.toFixed(2)}× | ${ms(r.alone.p50)} |`,
        );
        verdicts.push(
          `${labels[i]}: ${ratio.toFixed(2)}× the floor (${ratio <= 1.5 ? "meets" : "misses"} the goal of at most 1.5×)`,
        );
      }
      for (const [i, target] of direct.entries()) {
        const r = rest[bff.length + i]!;
        lines.push(
          `| ${labels[i]}, direct to the platform: \`${target.what}\` | ${ms(r.loaded.p50)} | ${ms(r.loaded.p99)} | – | ${ms(r.alone.p50)} |`,
        );
      }
      return {
        lines: [
          ...lines,
          "",
          `${verdicts.join("; ")}. Load average (1, 5, 15 min) ${loadBefore} before and ${load()} after: the machine is shared with other work, so compare figures of one run only. ` +
            `${CLIENTS} concurrent clients (a fetch pool in the bench process), ${REQUESTS} requests per call after ${WARMUP} warm-up (plus ${SEQUENTIAL} with a single client), all calls alternating in ${ROUNDS} rounds. ` +
            `The BFF is \`next start\` of the production build, the emulator its own process (${REGISTRATIONS} registration requests, one upstream page for the list), the load generator a third, on the same 2 cores. ` +
            `Direct calls carry the same bearer token the BFF's session holds.`,
        ],
      };
    } finally {
      await stack.stop();
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { lines } = await bffOverheadBench.run();
  console.log(lines.join("\n"));
}
