// The bulk operation page watching a bulk restart over 1,000 simulated agents (ramp 0), in Chromium: per run, the
// time from the platform's last change of the counts to the page showing the final counts, the renders per second
// of the progress view, the page's JS heap at the end; and the first-load JS of the routes of issue 12. Baseline in
// the same run: the same page watching a bulk restart of 1 device, measured the same way. The emulator, the agents
// (`npm run devices`) and the console (`next start`) each run in their own process; the bench process holds the
// Bayeux watcher and drives Chromium. Needs a production build (`npm run build`);
// `npx tsx bench/bulk-console.ts` or `npm run bench -- bulk-console`. Smaller runs: BULK_CONSOLE_AGENTS,
// BULK_CONSOLE_RUNS, BULK_CONSOLE_FAILURE_RATE (share of restarts that fail, as `--failure-rate` of the devices CLI).
import { chromium, type Page } from "@playwright/test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startConsole } from "../e2e/support/console.js";
import { ONLINE, adminCall as call, spawnAgents } from "./agent-fleet.js";
import {
  type Bench,
  type EmulatorProcess,
  ms,
  root,
  signInToConsole,
  startEmulatorProcess,
  summarise,
} from "./lib.js";
import { firstLoad } from "./palette.js";
import { LongPollSubscriber } from "./realtime-latency.js";

const AGENTS = Number(process.env.BULK_CONSOLE_AGENTS ?? 1000);
const RUNS = Number(process.env.BULK_CONSOLE_RUNS ?? 3);
const FAILURE_RATE = Number(process.env.BULK_CONSOLE_FAILURE_RATE ?? 0.1);
const REBOOT_MS = 1000;
/** The bulk operation starts this long after its POST, so the page is open and live before the first change. */
const START_DELAY_MS = 8000;
const QUIET_MS = 2000;
const FINAL = new Set(["SUCCESSFUL", "FAILED"]);
const ROUTES = ["(console)/operations/bulk", "(console)/operations/bulk/[id]", "(console)/overview"];
const KEYS = ["pending", "executing", "successful", "failed", "all"] as const;

type Json = Record<string, unknown>;
type Progress = Record<(typeof KEYS)[number], number>;

const countsKey = (p: Progress) => KEYS.map((k) => p[k]).join("/");

/**
 * What the bench process sees on /bulkOperations/* and /operations/* (one Bayeux session): per bulk operation,
 * when (Date.now()) each distinct progress first arrived, and the last UPDATE of one of its children.
 */
class Watch {
  progressAt = new Map<string, Map<string, number>>();
  lastChildAt = new Map<string, number>();
  lastAny = Date.now();

  readonly onMessage = (m: { channel: string; data?: unknown }) => {
    const now = Date.now();
    this.lastAny = now;
    const { data } = (m.data ?? {}) as { data?: Json };
    if (!data) return;
    if (m.channel.startsWith("/bulkOperations/")) {
      const p = data.progress as Progress | undefined;
      if (!p) return;
      const id = String(data.id);
      const seen = this.progressAt.get(id) ?? new Map<string, number>();
      if (!seen.has(countsKey(p))) seen.set(countsKey(p), now);
      this.progressAt.set(id, seen);
    } else if (typeof data.bulkOperationId === "number" || typeof data.bulkOperationId === "string") {
      this.lastChildAt.set(String(data.bulkOperationId), now);
    }
  };

  async quiet(): Promise<void> {
    while (Date.now() - this.lastAny < QUIET_MS) await new Promise((r) => setTimeout(r, 100));
  }
}

// In-page scripts as text: the bench runs through tsx, whose helpers a function passed to evaluate would lack.
// Times are wall-clock ms: performance.timeOrigin + performance.now() in the page, Date.now() in Node, one machine;
// the page's offset between the two clocks is measured at the end and taken off.

/**
 * Watches the whole document and keeps (1) every commit that touched the progress view (the element holding the
 * bar and the four counts; found afresh each time in case it was remounted), (2) every distinct counts it showed.
 */
const installObserver = `(() => {
  const keys = ${JSON.stringify(KEYS)};
  const view = () => document.querySelector('[data-count="all"]')?.closest("dl")?.parentElement ?? null;
  const read = (v) => keys.map((k) => v.querySelector('[data-count="' + k + '"] dd')?.textContent ?? "?").join("/");
  const now = () => performance.timeOrigin + performance.now();
  const w = (window.__bulkBench = { commits: [], states: [] });
  const first = view();
  if (first) w.states.push([now(), read(first)]);
  new MutationObserver((records) => {
    const v = view();
    if (!v || !records.some((r) => v.contains(r.target) || r.target.contains(v))) return;
    const t = now();
    w.commits.push(t);
    const counts = read(v);
    if (w.states.at(-1)?.[1] !== counts) w.states.push([t, counts]);
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  return first !== null;
})()`;

const readCounts = `(() => {
  const v = document.querySelector('[data-count="all"]')?.closest("dl")?.parentElement;
  return v ? ${JSON.stringify(KEYS)}.map((k) => v.querySelector('[data-count="' + k + '"] dd')?.textContent ?? "?").join("/") : "";
})()`;

const collect = `({
  commits: window.__bulkBench.commits,
  states: window.__bulkBench.states,
  offset: performance.timeOrigin + performance.now() - Date.now(),
  memory: performance.memory ? performance.memory.usedJSHeapSize : null,
})`;

interface RunFigures {
  devices: number;
  /** Page shows the final counts − first Bayeux notification of the final progress (bench process). */
  fromBayeux: number;
  /** Page shows the final counts − the last child UPDATE seen on Bayeux. */
  fromLastChild: number;
  commits: number;
  maxPerSecond: number;
  meanPerSecond: number;
  distinctCounts: number;
  platformDistinct: number;
  heapMiB: number;
  heapAfterGcMiB: number;
  finalCounts: string;
  status: string;
  /** The page was live only after the bulk operation had started. */
  late: boolean;
}

async function pollUntil<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, limitMs = 300_000) {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One bulk restart over `group`, watched on its page from before it starts until the page shows the end. */
async function watchOne(
  emu: EmulatorProcess,
  consoleUrl: string,
  page: Page,
  watch: Watch,
  group: string,
): Promise<RunFigures> {
  const created = await call(emu, "/devicecontrol/bulkoperations", {
    method: "POST",
    body: {
      groupId: group,
      startDate: new Date(Date.now() + START_DELAY_MS).toISOString(),
      creationRamp: 0,
      operationPrototype: { description: "Restart device", c8y_Restart: {} },
    },
  });
  const id = String(created.id);
  await page.goto(`${consoleUrl}/operations/bulk/${id}`);
  await page.getByRole("heading", { level: 1, name: `Bulk operation #${id}` }).waitFor();
  await page
    .getByRole("region", { name: "Progress" })
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor({ timeout: 60_000 });
  if (!(await page.evaluate<boolean>(installObserver))) throw new Error("no progress view on the page");
  // Counted, not fatal: a page that became live only after the start misses the first renders.
  const late = (await call(emu, `/devicecontrol/bulkoperations/${id}`)).generalStatus !== "SCHEDULED";
  const startsAt = Date.parse(String(created.startDate));

  const final = await pollUntil(
    "the bulk operation to end",
    () => call(emu, `/devicecontrol/bulkoperations/${id}`),
    (b) => FINAL.has(String(b.generalStatus)),
  );
  await watch.quiet();
  const progress = (await call(emu, `/devicecontrol/bulkoperations/${id}`)).progress as Progress;
  const key = countsKey(progress);
  await pollUntil(
    "the page to show the final counts",
    () => page.evaluate<string>(readCounts),
    (c) => c === key,
    60_000,
  );
  const got = await page.evaluate<{
    commits: number[];
    states: [number, string][];
    offset: number;
    memory: number | null;
  }>(collect);
  // The first moment the page showed the final counts and kept them.
  let shownAt = NaN;
  for (let i = got.states.length - 1; i >= 0 && got.states[i]![1] === key; i--)
    shownAt = got.states[i]![0] - got.offset;
  const bayeuxAt = watch.progressAt.get(id)?.get(key) ?? NaN;
  const perSecond = new Map<number, number>();
  const active = got.commits.filter((t) => t - got.offset >= startsAt);
  for (const t of active) {
    const s = Math.floor((t - active[0]!) / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
  const span = active.length ? Math.max(1, (active.at(-1)! - active[0]!) / 1000) : 1;
  const cdp = await page.context().newCDPSession(page);
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.send("HeapProfiler.collectGarbage");
  const heapGc = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return {
    devices: progress.all,
    fromBayeux: shownAt - bayeuxAt,
    fromLastChild: shownAt - (watch.lastChildAt.get(id) ?? NaN),
    commits: got.commits.length,
    maxPerSecond: Math.max(0, ...perSecond.values()),
    meanPerSecond: active.length / span,
    distinctCounts: got.states.length,
    platformDistinct: watch.progressAt.get(id)?.size ?? 0,
    heapMiB: heap.usedSize / 2 ** 20,
    heapAfterGcMiB: heapGc.usedSize / 2 ** 20,
    finalCounts: KEYS.map((k, i) => `${k} ${key.split("/")[i]}`).join(", "),
    status: String(final.generalStatus),
    late,
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export const bulkConsoleBench: Bench = {
  name: "bulk-console",
  title:
    "Console: the bulk operation page watching a bulk restart over 1,000 simulated agents (last change to final counts, renders, heap, first-load JS)",
  async run() {
    const nextDir = join(root, ".next");
    if (!existsSync(join(nextDir, "BUILD_ID")))
      return { lines: ["Skipped: no production build (run `npm run build` first)."] };
    const loadBefore = loadavg();
    const emu = await startEmulatorProcess();
    const consoleDir = mkdtempSync(join(tmpdir(), "c8y-bulk-console-"));
    const fleet = spawnAgents(emu, {
      count: AGENTS,
      prefix: "bulkui-",
      rebootMs: REBOOT_MS,
      failureRate: FAILURE_RATE,
    });
    const online = fleet.lines;
    const watch = new Watch();
    const subscriber = new LongPollSubscriber(
      `${emu.url}/notification/realtime`,
      { authorization: emu.adminAuth },
      watch.onMessage,
    );
    let consoleApp: Awaited<ReturnType<typeof startConsole>> | undefined;
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    try {
      await fleet.admit();
      await online.reach(ONLINE, AGENTS, "every agent to come online");
      let expectedOnline = AGENTS;
      await subscriber.start(["/operations/*", "/bulkOperations/*"]);

      const agents = (
        (await call(emu, "/inventory/managedObjects?fragmentType=com_cumulocity_model_Agent&pageSize=2000"))
          .managedObjects as Json[]
      ).map((m) => String(m.id));
      // Targets as the console's retry builds them (docs/bulk-operations-ui.md): hidden dynamic groups.
      const dynamicGroup = async (query: string) =>
        String(
          (
            await call(emu, "/inventory/managedObjects", {
              method: "POST",
              body: {
                name: "Bulk operations group",
                type: "c8y_DynamicGroup",
                c8y_IsDynamicGroup: { invisible: {} },
                c8y_DeviceQueryString: query,
              },
            })
          ).id,
        );
      const all = await dynamicGroup("$filter=(has(com_cumulocity_model_Agent))");
      const one = await dynamicGroup(`$filter=(id eq '${agents[0]}')`);

      consoleApp = await startConsole({
        C8Y_BASEURL: emu.url,
        DATA_DIR: consoleDir,
        SESSION_PASSWORD: "bench-session-password-at-least-32-characters",
      });
      const cookie = await signInToConsole(consoleApp.url, emu);
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu"],
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const eq = cookie.indexOf("=");
      await context.addCookies([
        { name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: consoleApp.url },
      ]);
      // Warm-up: both pages' code and the session's first platform calls.
      const warm = await context.newPage();
      await warm.goto(`${consoleApp.url}/operations/bulk`);
      await warm.getByRole("heading", { level: 1 }).waitFor();
      await warm.close();

      const baseline: RunFigures[] = [];
      const large: RunFigures[] = [];
      for (let run = 0; run < RUNS; run++) {
        for (const [group, into] of [
          [one, baseline],
          [all, large],
        ] as const) {
          // A fresh tab per run: the heap at the end is that of one page that watched one bulk operation.
          const page = await context.newPage();
          const figures = await watchOne(emu, consoleApp.url, page, watch, group);
          await page.close();
          into.push(figures);
          // Every successful restart reboots its agent; the next run starts with every agent back.
          expectedOnline += Number(figures.finalCounts.match(/successful (\d+)/)?.[1] ?? 0);
          await online.reach(ONLINE, expectedOnline, "every restarted agent to be back");
        }
      }

      const sizeRows = ROUTES.map((route) => {
        const s = firstLoad(nextDir, route);
        return `| /${route.replace(/^\([a-z]+\)\//, "")} | ${kib(s.gzip)} | ${kib(s.raw)} | ${s.gzip <= 250 * 1024 ? "met" : "MISSED"} |`;
      });
      const loadAfter = loadavg();
      const fmtLoad = (l: number[]) => l.map((v) => v.toFixed(2)).join(", ");
      const row = (label: string, runs: RunFigures[]) => {
        const b = summarise(runs.map((r) => r.fromBayeux));
        const c = summarise(runs.map((r) => r.fromLastChild));
        const max = Math.max(...runs.map((r) => r.maxPerSecond));
        const mean = runs.reduce((a, r) => a + r.meanPerSecond, 0) / runs.length;
        const heap = summarise(runs.map((r) => r.heapMiB));
        const gc = summarise(runs.map((r) => r.heapAfterGcMiB));
        return `| ${label} | ${runs.length} | ${ms(b.p50)} / ${ms(Math.max(...runs.map((r) => r.fromBayeux)))} | ${ms(c.p50)} | ${mean.toFixed(1)} / ${max} | ${Math.round(summarise(runs.map((r) => r.distinctCounts)).p50)} of ${Math.round(summarise(runs.map((r) => r.platformDistinct)).p50)} | ${heap.p50.toFixed(1)} MiB (${gc.p50.toFixed(1)} MiB after GC) |`;
      };
      const p50 = summarise(large.map((r) => r.fromBayeux)).p50;
      return {
        lines: [
          `Load average (1, 5, 15 min) ${fmtLoad(loadBefore)} at the start, ${fmtLoad(loadAfter)} at the end (2 cores, shared with other work).` +
            (AGENTS !== 1000 || RUNS < 3 ? ` Reduced run: ${AGENTS} agents, ${RUNS} run(s).` : ""),
          "",
          "| bulk restart watched on /operations/bulk/[id] | runs | last change → page shows the final counts, p50 / max | from the last child UPDATE, p50 | renders/s of the progress view, mean / max | distinct counts shown, of the platform's | JS heap at the end, p50 |",
          "| --- | --- | --- | --- | --- | --- | --- |",
          row("baseline: 1 device", baseline),
          row(`${AGENTS} agents, ${Math.round(FAILURE_RATE * 100)} % failing`, large),
          "",
          `Goal: p50 under 1 s from the platform's last change to the page showing the final counts: ${p50 < 1000 ? "met" : "not met"} (${ms(p50)}). ` +
            `Final counts of the last large run: ${large.at(-1)?.finalCounts} (${large.at(-1)?.status}). ` +
            `Runs whose page became live only after the start (their first renders missed): ${[...baseline, ...large].filter((r) => r.late).length}.`,
          "",
          "How it is measured. Each run POSTs a bulk restart (ramp 0) on the emulator's REST, starting " +
            `${START_DELAY_MS / 1000} s later; a fresh tab opens its page, waits for "Live", and installs a MutationObserver ` +
            "on the document that keeps each commit touching the progress view (the bar and the five counts) and each " +
            "distinct counts it shows. The platform's last change is when the bench process's own Bayeux session " +
            "(/bulkOperations/* and /operations/*, long-polling) first received the bulk operation's final progress (neither a bulk operation nor an operation carries a " +
            "lastUpdated to read over REST); the last child UPDATE received is given beside it. The page " +
            "time is the first mutation after which the counts stayed final. Clocks: performance.timeOrigin + " +
            "performance.now() in the page against Date.now() in Node, on the same machine; the page's offset between " +
            "its two clocks is read at the end and taken off. Renders/s: commits touching the progress view from the " +
            "bulk operation's start date on, mean over the span they cover and the busiest whole second. Heap: CDP " +
            "Runtime.getHeapUsage of the tab at the end, before and after a forced GC. The baseline is the same page " +
            "watching a bulk restart of one of the same agents, in the same run, alternating with the large runs. " +
            `${AGENTS} agents in one process (\`npm run devices\`, ${REBOOT_MS} ms reboot, failure rate ${FAILURE_RATE}), ` +
            "the emulator and the console (`next start`) each in their own process, Chromium (Debian, headless).",
          "",
          "First-load JS of the routes of issue 12 (root main files and the route's entry chunks from the build " +
            "manifests, as bench/palette.ts reads them). Goal: at most 250 KiB gzip each.",
          "",
          "| route | gzip | uncompressed | goal |",
          "| --- | --- | --- | --- |",
          ...sizeRows,
        ],
      };
    } finally {
      await browser?.close();
      await consoleApp?.stop();
      await subscriber.stop().catch(() => undefined);
      await fleet.stop();
      await emu.stop();
      rmSync(consoleDir, { recursive: true, force: true });
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { lines } = await bulkConsoleBench.run();
  for (const line of lines) console.log(line);
  process.exit(0);
}
