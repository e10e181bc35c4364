// BFF overhead: the registration list and a single device read through the console's BFF (a `next start` of the
// production build) against the same platform calls made directly to the emulator, at 20 concurrent clients, all
// in one run. Needs a build (`npm run build`). Run alone with `npx tsx bench/bff-overhead.ts`, or `npm run bench`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
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

interface Pair {
  label: string;
  direct: Target;
  bff: Target;
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
  title: "Console BFF overhead: registration list and one device, BFF vs direct platform calls",
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

      // A single device read through the BFF needs GET /api/devices/[id]; older builds lack it.
      const probe = await fetch(`${cu}/api/devices/${deviceId}`, { headers: bffHeaders });
      const probeBody = await probe.text();
      const hasDeviceRoute = probe.status === 200 && probeBody.includes(`"id":"${deviceId}"`);
      const single: Pair = hasDeviceRoute
        ? {
            label: "one device",
            bff: { url: `${cu}/api/devices/${deviceId}`, headers: bffHeaders, what: "GET /api/devices/{id}" },
            direct: {
              url: `${eu}/inventory/managedObjects/${deviceId}?withChildren=false&withChildrenCount=true`,
              headers: directHeaders,
              what: "GET /inventory/managedObjects/{id}?withChildren=false&withChildrenCount=true",
            },
          }
        : {
            label: "one resource (no device route in this build)",
            bff: { url: `${cu}/api/auth/session`, headers: bffHeaders, what: "GET /api/auth/session" },
            direct: { url: `${eu}/user/currentUser`, headers: directHeaders, what: "GET /user/currentUser" },
          };
      const pairs: Pair[] = [
        {
          label: "registration list",
          bff: {
            url: `${cu}/api/registrations?pageSize=50`,
            headers: bffHeaders,
            what: "GET /api/registrations?pageSize=50",
          },
          direct: {
            url: `${eu}/devicecontrol/newDeviceRequests?pageSize=2000&currentPage=1`,
            headers: directHeaders,
            what: "GET /devicecontrol/newDeviceRequests?pageSize=2000&currentPage=1",
          },
        },
        single,
      ];

      const lines = [
        `| call | p50 (${CLIENTS} clients) | p99 (${CLIENTS} clients) | BFF p50 ÷ direct p50 | p50 (1 client) |`,
        "| --- | --- | --- | --- | --- |",
      ];
      const verdicts: string[] = [];
      for (const pair of pairs) {
        const [direct, bff] = await compare([pair.direct, pair.bff]);
        const ratio = bff!.loaded.p50 / direct!.loaded.p50;
        lines.push(
          `| ${pair.label}, direct: \`${pair.direct.what}\` | ${ms(direct!.loaded.p50)} | ${ms(direct!.loaded.p99)} | (baseline) | ${ms(direct!.alone.p50)} |`,
          `| ${pair.label}, BFF: \`${pair.bff.what}\` | ${ms(bff!.loaded.p50)} | ${ms(bff!.loaded.p99)} | ${ratio.toFixed(2)}× | ${ms(bff!.alone.p50)} |`,
        );
        verdicts.push(
          `${pair.label}: BFF p50 is ${ratio.toFixed(2)}× the direct call (${ratio <= 1.5 ? "meets" : "misses"} the goal of at most 1.5×)`,
        );
      }
      // The console's own floor: a BFF route that unseals the session and answers without any platform call.
      const [floor] = await compare([
        { url: `${cu}/api/auth/session`, headers: bffHeaders, what: "GET /api/auth/session" },
      ]);
      lines.push(
        `| reference: BFF without a platform call, \`GET /api/auth/session\` | ${ms(floor!.loaded.p50)} | ${ms(floor!.loaded.p99)} | – | ${ms(floor!.alone.p50)} |`,
      );
      return {
        lines: [
          ...lines,
          "",
          `${verdicts.join("; ")}. ${CLIENTS} concurrent clients (a fetch pool in the bench process), ${REQUESTS} requests per call after ${WARMUP} warm-up (plus ${SEQUENTIAL} with a single client), direct and BFF alternating in ${ROUNDS} rounds. ` +
            `Direct calls carry the same bearer token the BFF's session holds. The tenant has ${REGISTRATIONS} registration requests (one upstream page for the BFF). ` +
            `The BFF is \`next start\` of the production build and the emulator its own process, sharing the 2 cores with the load generator.` +
            (hasDeviceRoute
              ? ""
              : " This build has no GET /api/devices/{id}: the single read is the session call against GET /user/currentUser."),
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
