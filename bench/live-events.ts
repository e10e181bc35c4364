// Live events through the BFF (docs/live-updates.md):
//
// 1. Latency: an agent's status PUT → the `operation.updated` event at a server-sent-events client of the BFF,
//    against a CometD client (cometd 9 + cometd-nodejs-client, long-polling) subscribed directly to the
//    emulator, both measuring the same PUTs in the same run. Target: the BFF adds at most 5 ms at p50.
// 2. Fan-out: 500 concurrent event streams of one operator on one BFF process: exactly one upstream Bayeux
//    session, p99 delivery to all 500 under 100 ms, memory per stream.
//
// How the BFF runs: the real route handlers (`app/api/auth/login`, `app/api/events`) in a separate Node process
// behind a small node:http adapter (Web Request in, Web Response body piped out with back-pressure), not a
// `next start` build, so the benchmark needs no build and measures the live plumbing itself. Emulator, BFF and
// clients each have their own process. Run alone with `npx tsx bench/live-events.ts`, or via `npm run bench`.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type Bench,
  type EmulatorProcess,
  ms,
  root,
  signInToConsole,
  startEmulatorProcess,
  summarise,
} from "./lib.js";

const TRANSITIONS = 1000; // 500 operations × (EXECUTING, SUCCESSFUL)
const WARMUP_OPERATIONS = 20;
const STREAMS = 500;
const FANOUT_TRANSITIONS = 50;
const WAIT_MS = 15_000;
const SESSION_PASSWORD = "bench-live-events-session-password-0123456789";

// ---------------------------------------------------------------------------------------------------------------
// The BFF process: route handlers behind node:http
// ---------------------------------------------------------------------------------------------------------------

type Handler = (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

async function serveBff(): Promise<void> {
  // `server-only` throws outside Next's server bundles; here we are the server.
  const { register } = await import("node:module");
  const hook = `export async function resolve(s, c, n) {
    return s === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : n(s, c);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const { GET: events } = (await import("@/app/api/events/route")) as { GET: Handler };
  const { POST: login } = (await import("@/app/api/auth/login/route")) as { POST: Handler };
  const { liveHubs } = await import("@/lib/server/realtime/registry");
  const routes: Record<string, Handler> = { "GET /api/events": events, "POST /api/auth/login": login };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    if (url.pathname === "/__bench/stats") {
      (globalThis as { gc?: () => void }).gc?.();
      const body = JSON.stringify({ hubs: liveHubs().stats(), memory: process.memoryUsage() });
      res.writeHead(200, { "content-type": "application/json" }).end(body);
      return;
    }
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handler(
      new Request(url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        signal: controller.signal,
      }),
      { params: Promise.resolve({}) },
    );
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    res.writeHead(response.status, out);
    res.flushHeaders();
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Back-pressure as Next's own pipe does it: wait for drain, so a slow client fills the stream's queue.
      if (!res.write(value)) await Promise.race([once(res, "drain"), once(res, "close")]);
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
    }
    res.end();
  }
  server.listen(0, "127.0.0.1", () => {
    console.log(`listening on ${(server.address() as AddressInfo).port}`);
  });
}

interface BffProcess {
  url: string;
  stats(): Promise<{
    hubs: { streams: number; bayeux?: { handshakes: number; status: string } }[];
    memory: NodeJS.MemoryUsage;
  }>;
  stop(): Promise<void>;
}

async function startBffProcess(platformUrl: string): Promise<BffProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--expose-gc", fileURLToPath(import.meta.url), "--serve-bff"],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", C8Y_BASEURL: platformUrl, SESSION_PASSWORD },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`BFF process exited with ${code}: ${out}`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () =>
      (await (await fetch(`${url}/__bench/stats`)).json()) as Awaited<ReturnType<BffProcess["stats"]>>,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

/** A server-sent events reader on node:http, parsing frames as an EventSource does (event, data, id). */
class SseClient {
  private req: ReturnType<typeof request> | undefined;

  constructor(
    private readonly url: string,
    private readonly cookie: string,
    private readonly onEvent: (type: string, data: string, at: number) => void,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(
        this.url,
        { agent, headers: { cookie: this.cookie, accept: "text/event-stream" } },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
          res.setEncoding("utf8");
          let buffer = "";
          res.on("data", (chunk: string) => {
            const at = performance.now();
            buffer += chunk;
            let cut: number;
            while ((cut = buffer.indexOf("\n\n")) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              let type = "message";
              let data = "";
              for (const line of block.split("\n")) {
                if (line.startsWith("event: ")) type = line.slice(7);
                else if (line.startsWith("data: ")) data = line.slice(6);
              }
              if (data) this.onEvent(type, data, at);
            }
          });
          res.on("error", () => undefined);
          resolve();
        },
      );
      this.req.on("error", reject);
      this.req.end();
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Waits for `key` to be reported by every one of `expected` sources; resolves with their arrival times. */
class Arrivals {
  private readonly seen = new Map<string, number[]>();
  private readonly waiters = new Map<string, { expected: number; resolve: (times: number[]) => void }>();

  record(key: string, at: number): void {
    const times = this.seen.get(key) ?? [];
    times.push(at);
    this.seen.set(key, times);
    const w = this.waiters.get(key);
    if (w && times.length >= w.expected) {
      this.waiters.delete(key);
      w.resolve(times);
    }
  }

  wait(key: string, expected: number): Promise<number[]> {
    const times = this.seen.get(key) ?? [];
    if (times.length >= expected) return Promise.resolve(times);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(
          new Error(`${key}: ${this.seen.get(key)?.length ?? 0}/${expected} arrivals after ${WAIT_MS} ms`),
        );
      }, WAIT_MS);
      this.waiters.set(key, {
        expected,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      });
    });
  }

  forget(key: string): void {
    this.seen.delete(key);
  }
}

/** SSE data of an operation event → "id:status". */
function operationKey(type: string, data: string): string | undefined {
  if (!type.startsWith("operation.")) return undefined;
  const op = (JSON.parse(data) as { operation?: { id: string; status: string } }).operation;
  return op ? `${op.id}:${op.status}` : undefined;
}

async function emulatorCall(
  emu: EmulatorProcess,
  method: string,
  path: string,
  body: unknown,
  auth = emu.adminAuth,
): Promise<Record<string, string>> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: auth, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, string>;
}

/** A device through the startup phase: its own credentials, an agent managed object. */
async function enrolAgent(emu: EmulatorProcess): Promise<{ id: string; auth: string }> {
  const serial = `live-bench-${Date.now()}`;
  await emulatorCall(emu, "POST", "/devicecontrol/newDeviceRequests", { id: serial });
  const knock = () =>
    fetch(`${emu.url}/devicecontrol/deviceCredentials`, {
      method: "POST",
      headers: {
        authorization: emu.bootstrapAuth,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ id: serial }),
    });
  await knock();
  await emulatorCall(emu, "PUT", `/devicecontrol/newDeviceRequests/${serial}`, { status: "ACCEPTED" });
  const creds = (await (await knock()).json()) as { tenantId: string; username: string; password: string };
  const auth = `Basic ${Buffer.from(`${creds.tenantId}/${creds.username}:${creds.password}`).toString("base64")}`;
  const mo = await emulatorCall(
    emu,
    "POST",
    "/inventory/managedObjects",
    { name: "Bench agent", c8y_IsDevice: {}, com_cumulocity_model_Agent: {} },
    auth,
  );
  return { id: mo.id!, auth };
}

/** The CometD JavaScript client, long-polling, subscribed to `/operations/*` directly on the emulator. */
async function startCometd(emu: EmulatorProcess, onMessage: (key: string, at: number) => void) {
  const { CometD } = await import("cometd");
  const { adapt } = await import("cometd-nodejs-client");
  adapt(); // installs a global window for the client: fine in the benchmark's own process
  const cometd = new CometD();
  cometd.unregisterTransport("websocket");
  cometd.configure({
    url: `${emu.url}/notification/realtime`,
    logLevel: "warn",
    requestHeaders: { accept: "application/json" },
  });
  const token = Buffer.from(`${emu.tenant}/admin:${emu.adminPassword}`).toString("base64");
  await new Promise<void>((resolve, reject) =>
    cometd.handshake({ ext: { "com.cumulocity.authn": { token } } }, (reply) =>
      reply.successful ? resolve() : reject(new Error(`CometD handshake: ${JSON.stringify(reply)}`)),
    ),
  );
  await new Promise<void>((resolve, reject) =>
    cometd.subscribe(
      "/operations/*",
      (m) => {
        const at = performance.now();
        const data = m.data as { data?: { id?: string; status?: string } } | undefined;
        if (data?.data?.id) onMessage(`${data.data.id}:${data.data.status}`, at);
      },
      (reply) =>
        reply.successful ? resolve() : reject(new Error(`CometD subscribe: ${JSON.stringify(reply)}`)),
    ),
  );
  return () => new Promise<void>((resolve) => cometd.disconnect(() => resolve()));
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------------------------

export async function runLiveEventsBench(): Promise<{ lines: string[] }> {
  const emu = await startEmulatorProcess();
  let bff: BffProcess | undefined;
  const streams: SseClient[] = [];
  let stopCometd: (() => Promise<void>) | undefined;
  try {
    bff = await startBffProcess(emu.url);
    const cookie = await signInToConsole(bff.url, emu);
    const device = await enrolAgent(emu);
    const streamUrl = `${bff.url}/api/events?topics=operations:*`;
    const createOperation = async () =>
      (await emulatorCall(emu, "POST", "/devicecontrol/operations", { deviceId: device.id, c8y_Restart: {} }))
        .id!;
    const setStatus = (id: string, status: string) =>
      emulatorCall(emu, "PUT", `/devicecontrol/operations/${id}`, { status }, device.auth);

    // ----- 1. latency: BFF event stream vs CometD directly -----
    const viaBff = new Arrivals();
    const direct = new Arrivals();
    const ready = new Arrivals();
    const latencyStream = new SseClient(streamUrl, cookie, (type, data, at) => {
      if (type === "upstream.changed" && data.includes('"connected"')) ready.record("live", at);
      const key = operationKey(type, data);
      if (key) viaBff.record(key, at);
    });
    await latencyStream.open();
    streams.push(latencyStream);
    await ready.wait("live", 1);
    stopCometd = await startCometd(emu, (key, at) => direct.record(key, at));

    const bffSamples: number[] = [];
    const directSamples: number[] = [];
    const total = WARMUP_OPERATIONS + TRANSITIONS / 2;
    for (let i = 0; i < total; i++) {
      const id = await createOperation();
      await Promise.all([viaBff.wait(`${id}:PENDING`, 1), direct.wait(`${id}:PENDING`, 1)]);
      for (const status of ["EXECUTING", "SUCCESSFUL"]) {
        const key = `${id}:${status}`;
        const arrived = Promise.all([viaBff.wait(key, 1), direct.wait(key, 1)]);
        const t0 = performance.now();
        await setStatus(id, status);
        const [[tBff], [tDirect]] = await arrived;
        if (i >= WARMUP_OPERATIONS) {
          bffSamples.push(tBff! - t0);
          directSamples.push(tDirect! - t0);
        }
        viaBff.forget(key);
        direct.forget(key);
      }
    }
    await stopCometd();
    stopCometd = undefined;
    const viaBffStats = summarise(bffSamples);
    const directStats = summarise(directSamples);

    // ----- 2. fan-out: 500 streams of one operator -----
    latencyStream.close();
    streams.length = 0;
    const before = await bff.stats();
    const fan = new Arrivals();
    const live = new Arrivals();
    for (let i = 0; i < STREAMS; i += 50) {
      const batch = Array.from(
        { length: Math.min(50, STREAMS - i) },
        () =>
          new SseClient(streamUrl, cookie, (type, data, at) => {
            if (type === "upstream.changed" && data.includes('"connected"')) live.record("live", at);
            const key = operationKey(type, data);
            if (key) fan.record(key, at);
          }),
      );
      await Promise.all(batch.map((s) => s.open()));
      streams.push(...batch);
    }
    await live.wait("live", STREAMS);
    const during = await bff.stats();
    const perDelivery: number[] = [];
    const toAll: number[] = [];
    for (let i = 0; i < FANOUT_TRANSITIONS / 2; i++) {
      const id = await createOperation();
      await fan.wait(`${id}:PENDING`, STREAMS);
      for (const status of ["EXECUTING", "SUCCESSFUL"]) {
        const key = `${id}:${status}`;
        const arrived = fan.wait(key, STREAMS);
        const t0 = performance.now();
        await setStatus(id, status);
        const times = await arrived;
        for (const t of times) perDelivery.push(t - t0);
        toAll.push(Math.max(...times) - t0);
        fan.forget(key);
      }
    }
    const after = await bff.stats();
    const hub = after.hubs[0];
    const perStream =
      (during.memory.heapUsed + during.memory.external - before.memory.heapUsed - before.memory.external) /
      STREAMS;
    const allStats = summarise(toAll);
    const eachStats = summarise(perDelivery);
    const overhead = viaBffStats.p50 - directStats.p50;
    const oneSession = after.hubs.length === 1 && hub?.bayeux?.handshakes === 1;

    return {
      lines: [
        `Emulator, BFF (route handlers behind node:http, NODE_ENV=production) and clients in three processes on`,
        `127.0.0.1. Latency: ${TRANSITIONS} status PUTs by an agent (its own device credentials), sequential, after`,
        `${WARMUP_OPERATIONS * 2} warm-up transitions; each is timed from sending the PUT to the event's arrival.`,
        "",
        "| path | n | p50 | p99 |",
        "|---|---|---|---|",
        `| BFF: Bayeux subscriber → hub → SSE → client (\`operation.updated\`) | ${viaBffStats.n} | ${ms(viaBffStats.p50)} | ${ms(viaBffStats.p99)} |`,
        `| baseline: CometD 9 client on /notification/realtime, long-polling | ${directStats.n} | ${ms(directStats.p50)} | ${ms(directStats.p99)} |`,
        "",
        `BFF overhead at p50: ${ms(overhead)} (target ≤ 5 ms: ${overhead <= 5 ? "met" : "NOT met"}).`,
        "",
        `Fan-out: ${STREAMS} concurrent event streams of one operator (one session cookie), ${FANOUT_TRANSITIONS} transitions.`,
        "",
        "| figure | value |",
        "|---|---|",
        `| upstream Bayeux sessions (hubs / handshakes) | ${after.hubs.length} / ${hub?.bayeux?.handshakes ?? 0} (${oneSession ? "exactly one" : "NOT one"}) |`,
        `| delivery to all ${STREAMS} streams, p50 / p99 over ${allStats.n} transitions | ${ms(allStats.p50)} / ${ms(allStats.p99)} (target p99 < 100 ms: ${allStats.p99 < 100 ? "met" : "NOT met"}) |`,
        `| single deliveries, p50 / p99 (n = ${eachStats.n}) | ${ms(eachStats.p50)} / ${ms(eachStats.p99)} |`,
        `| BFF memory per open stream (heap + external, after GC) | ${(perStream / 1024).toFixed(1)} KiB |`,
        `| BFF resident set with ${STREAMS} streams open (whole process) | ${(during.memory.rss / 1048576).toFixed(0)} MiB |`,
      ],
    };
  } finally {
    for (const s of streams) s.close();
    await stopCometd?.().catch(() => undefined);
    await bff?.stop();
    await emu.stop();
  }
}

export const liveEventsBench: Bench = {
  name: "live-events",
  title: "Live events: status PUT → browser through the BFF, and fan-out to 500 streams",
  run: runLiveEventsBench,
};

if (process.argv.includes("--serve-bff")) {
  await serveBff();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLiveEventsBench();
  for (const line of result.lines) console.log(line);
  process.exit(0);
}
