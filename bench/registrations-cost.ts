// Registrations cost: what open Registrations tabs cost the platform (upstream requests and bytes per minute) with
// 5,000 and 50,000 registration requests, one tab and five, before (REGISTRATIONS_VIEW=direct: every caller reads
// the whole list, as the BFF did) and after (the shared view, lib/server/registrations-view.ts); and the list
// call's p50/p99 through the BFF against the direct platform calls, in the same run. The emulator and each console
// (`next start` of the build) run in their own processes; a counting loopback proxy in this process sits between
// console and emulator. Needs `npm run build`. BENCH_REG_SECONDS sets the measured window per case (default 60).
// Run alone with `npx tsx bench/registrations-cost.ts`, or `npm run bench -- registrations-cost`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startConsole, type RunningConsole } from "../e2e/support/console.js";
import { type Bench, type EmulatorProcess, ms, startEmulatorProcess, summarise } from "./lib.js";

const SIZES = [5_000, 50_000];
const TABS = [1, 5];
const WINDOW_S = Number(process.env.BENCH_REG_SECONDS) || 60;
/** The page's list polling: every 3 s, every 60 s while the event stream is live (lib/queries/registrations.ts). */
const LIST_POLL_MS = 3_000;
const LIST_LIVE_POLL_MS = 60_000;
const SEED_CHUNK = 5_000;

// ----- the counting proxy ------------------------------------------------------------------------------------------

interface Counts {
  requests: number;
  bytes: number;
  /** Whole reads begun: page 1 at the largest page size. */
  wholeReads: number;
  /** Count checks: pageSize=1. */
  checks: number;
}

interface CountingProxy {
  url: string;
  counts: Counts;
  close(): Promise<void>;
}

const HOP_BY_HOP = ["host", "connection", "content-length", "transfer-encoding", "keep-alive"];

/** Forwards everything to the emulator and counts requests and the bytes of the answers' bodies. */
async function startCountingProxy(target: string): Promise<CountingProxy> {
  const counts: Counts = { requests: 0, bytes: 0, wholeReads: 0, checks: 0 };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "";
    counts.requests += 1;
    if (req.method === "GET" && path.startsWith("/devicecontrol/newDeviceRequests?")) {
      if (/[?&]pageSize=2000\b/.test(path) && /[?&]currentPage=1\b/.test(path)) counts.wholeReads += 1;
      if (/[?&]pageSize=1\b/.test(path)) counts.checks += 1;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string" && !HOP_BY_HOP.includes(k)) headers.set(k, v);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      fetch(`${target}${path}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
        redirect: "manual",
      })
        .then(async (up) => {
          const body = Buffer.from(await up.arrayBuffer());
          counts.bytes += body.length;
          const out: Record<string, string | string[]> = {};
          up.headers.forEach((v, k) => {
            if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k))
              out[k] = v;
          });
          res.writeHead(up.status, out).end(body);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ----- the platform's data -----------------------------------------------------------------------------------------

/** Registers requests `from`…`to - 1` with the platform's bulk registration, 5,000 per file. */
async function seed(emu: EmulatorProcess, from: number, to: number) {
  for (let start = from; start < to; start += SEED_CHUNK) {
    const ids = Array.from(
      { length: Math.min(SEED_CHUNK, to - start) },
      (_, i) => `cost-${String(start + i).padStart(6, "0")}`,
    );
    const form = new FormData();
    form.set("file", new Blob([`ID\n${ids.join("\n")}\n`], { type: "text/csv" }), "devices.csv");
    const res = await fetch(`${emu.url}/devicecontrol/bulkNewDeviceRequests`, {
      method: "POST",
      headers: { authorization: emu.adminAuth, accept: "application/json" },
      body: form,
    });
    if (res.status !== 201) throw new Error(`bulk registration answered ${res.status}`);
  }
}

async function bearerOf(emu: EmulatorProcess): Promise<string> {
  const res = await fetch(`${emu.url}/tenant/oauth/token?tenant_id=${emu.tenant}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "PASSWORD", username: "admin", password: emu.adminPassword }),
  });
  if (res.status !== 200) throw new Error(`token login answered ${res.status}`);
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

// ----- a console and its tabs --------------------------------------------------------------------------------------

interface ConsoleUnderTest {
  console: RunningConsole;
  cookie: string;
  stop(): Promise<void>;
}

async function startConsoleFor(proxy: CountingProxy, emu: EmulatorProcess, direct: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-bench-regcost-"));
  const running = await startConsole({
    C8Y_BASEURL: proxy.url,
    DATA_DIR: dataDir,
    SESSION_PASSWORD: "bench-session-password-at-least-32-characters",
    REGISTRATIONS_VIEW: direct ? "direct" : "shared",
  });
  const login = await fetch(`${running.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-c8y-console": "1" },
    body: JSON.stringify({ tenant: emu.tenant, username: "admin", password: emu.adminPassword }),
  });
  if (login.status !== 200) throw new Error(`console sign-in answered ${login.status}`);
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  return {
    console: running,
    cookie,
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  } satisfies ConsoleUnderTest;
}

const LIST_PATH = "/api/registrations?sort=newest&page=1&pageSize=50";

async function listOnce(c: ConsoleUnderTest) {
  const res = await fetch(`${c.console.url}${LIST_PATH}`, {
    headers: { cookie: c.cookie, accept: "application/json" },
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`list answered ${res.status}`);
}

/**
 * One Registrations tab as the page behaves: its event stream (topics=registrations) and its list polling, every
 * 3 s, every 60 s once the stream says the topic is live, and at once after a `registration.changed` event.
 */
function openTab(c: ConsoleUnderTest) {
  const stop = new AbortController();
  let live = false;
  let wake: (() => void) | undefined;
  let onLive: () => void = () => undefined;
  const isLive = new Promise<void>((resolve) => (onLive = resolve));
  const stream = (async () => {
    const res = await fetch(`${c.console.url}/api/events?topics=registrations`, {
      headers: { cookie: c.cookie, accept: "text/event-stream" },
      signal: stop.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`event stream answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.includes("event: upstream.changed")) {
          live = block.includes('"connected"');
          if (live) onLive();
        } else if (block.includes("event: registration.changed")) wake?.();
      }
    }
  })().catch(() => undefined);
  const polling = (async () => {
    while (!stop.signal.aborted) {
      await listOnce(c).catch(() => undefined);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, live ? LIST_LIVE_POLL_MS : LIST_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        stop.signal.addEventListener("abort", wake, { once: true });
      });
    }
  })();
  return {
    isLive,
    async close() {
      stop.abort();
      await Promise.all([stream, polling]);
    },
  };
}

interface CostRow {
  size: number;
  tabs: number;
  mode: "before" | "after";
  perMinute: Counts;
}

/** Opens `tabs` tabs, lets them settle, and counts what reaches the platform in the window. */
async function measureCost(c: ConsoleUnderTest, proxy: CountingProxy, tabs: number): Promise<Counts> {
  const open = Array.from({ length: tabs }, () => openTab(c));
  await Promise.all(open.map((t) => t.isLive));
  const before = { ...proxy.counts };
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
  const minutes = (performance.now() - started) / 60_000;
  const after = { ...proxy.counts };
  await Promise.all(open.map((t) => t.close()));
  const rate = (k: keyof Counts) => (after[k] - before[k]) / minutes;
  return {
    requests: rate("requests"),
    bytes: rate("bytes"),
    wholeReads: rate("wholeReads"),
    checks: rate("checks"),
  };
}

// ----- latency -----------------------------------------------------------------------------------------------------

async function timeCalls(count: number, call: () => Promise<void>) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return summarise(samples);
}

/** The whole list straight from the platform, page by page, as a client needs it for counts and filters. */
async function directWholeList(emu: EmulatorProcess, bearer: string) {
  for (let page = 1; ; page++) {
    const res = await fetch(`${emu.url}/devicecontrol/newDeviceRequests?pageSize=2000&currentPage=${page}`, {
      headers: { authorization: bearer, accept: "application/json" },
    });
    const body = (await res.json()) as { newDeviceRequests: unknown[] };
    if (res.status !== 200) throw new Error(`direct list answered ${res.status}`);
    if (body.newDeviceRequests.length < 2000) return;
  }
}

async function directOnePage(emu: EmulatorProcess, bearer: string) {
  const res = await fetch(`${emu.url}/devicecontrol/newDeviceRequests?pageSize=50&currentPage=1`, {
    headers: { authorization: bearer, accept: "application/json" },
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`direct page answered ${res.status}`);
}

// ----- the run -----------------------------------------------------------------------------------------------------

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 1)} MiB`;
const n0 = (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));

export const registrationsCostBench: Bench = {
  name: "registrations-cost",
  title:
    "Registrations cost: upstream requests and bytes of open Registrations tabs, before and after the shared view",
  async run() {
    const load = loadavg()[0]!;
    const emu = await startEmulatorProcess();
    const proxy = await startCountingProxy(emu.url);
    const costs: CostRow[] = [];
    const latency: string[] = [];
    try {
      const bearer = await bearerOf(emu);
      let seeded = 0;
      for (const size of SIZES) {
        await seed(emu, seeded, size);
        seeded = size;
        const samples = size <= 5_000 ? 60 : 12;
        for (const mode of ["before", "after"] as const) {
          const c = await startConsoleFor(proxy, emu, mode === "before");
          try {
            for (const tabs of TABS)
              costs.push({ size, tabs, mode, perMinute: await measureCost(c, proxy, tabs) });
            // The list call alone (no tabs open): after, most calls are answered from the view.
            const bff = await timeCalls(samples, () => listOnce(c));
            latency.push(
              `| ${size.toLocaleString("en-US")} | BFF ${mode}: \`GET ${LIST_PATH}\` | ${ms(bff.p50)} | ${ms(bff.p99)} | ${bff.n} |`,
            );
          } finally {
            await c.stop();
          }
        }
        const whole = await timeCalls(samples, () => directWholeList(emu, bearer));
        const page = await timeCalls(samples, () => directOnePage(emu, bearer));
        latency.push(
          `| ${size.toLocaleString("en-US")} | direct: the whole list, pages of 2,000 | ${ms(whole.p50)} | ${ms(whole.p99)} | ${whole.n} |`,
          `| ${size.toLocaleString("en-US")} | direct: one page, \`pageSize=50\` | ${ms(page.p50)} | ${ms(page.p99)} | ${page.n} |`,
        );
      }
    } finally {
      await proxy.close();
      await emu.stop();
    }
    const lines = [
      "| requests | tabs | console | whole reads/min | count checks/min | upstream requests/min | upstream bytes/min |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...costs.map(
        (r) =>
          `| ${r.size.toLocaleString("en-US")} | ${r.tabs} | ${r.mode === "before" ? "before (every caller reads all)" : "after (shared view)"} | ${n0(r.perMinute.wholeReads)} | ${n0(r.perMinute.checks)} | ${n0(r.perMinute.requests)} | ${mib(r.perMinute.bytes)} |`,
      ),
      "",
      "| requests | list call | p50 | p99 | n |",
      "| --- | --- | --- | --- | --- |",
      ...latency,
      "",
      `A tab is what the Registrations page does: its event stream (\`topics=registrations\`) and its list polling (every ${LIST_POLL_MS / 1000} s, every ${LIST_LIVE_POLL_MS / 1000} s once the stream is live, at once after \`registration.changed\`); ` +
        `all tabs of one operator share one session. Each case is measured for ${WINDOW_S} s once its tabs are live, nothing changing on the platform. ` +
        `Before is the same build with REGISTRATIONS_VIEW=direct (every list call and every poll of the event stream reads every page, as before the view). ` +
        `Upstream figures are counted by a loopback proxy between console and emulator (answer bodies). Latency: sequential calls with no tab open; direct calls carry the bearer token the BFF holds. ` +
        `Emulator and each console (\`next start\` of the build) in their own processes; load average ${load.toFixed(1)} on 2 cores at the start (other work shared the machine).`,
    ];
    return { lines };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { lines } = await registrationsCostBench.run();
  console.log(lines.join("\n"));
}
