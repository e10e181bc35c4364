// The device tree at fleet scale: BFF tree endpoints against the same platform calls made directly, and in
// Chromium the time from expanding a 10,000-children node to its first painted rows and the number of rows in the
// DOM while scrolling to its end. Needs a production build (`npm run build`) for the console; run alone with
// `npx tsx bench/device-tree.ts` or through `npm run bench -- device-tree`.
import { chromium } from "@playwright/test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startConsole } from "../e2e/support/console.js";
import { type Bench, ms, pool, root, signInToConsole, startEmulatorProcess, summarise } from "./lib.js";

const REGIONS = 10;
const SITES_PER_REGION = 10;
const GATEWAYS = 1000;
const CHILDREN_PER_GATEWAY = 100;
const BIG_CHILDREN = 10_000;
const BATCH = 50; // the platform's bulk-create maximum
const SAMPLES = 200;
const WARMUP = 20;
const BROWSER_RUNS = 7;
/** The console's page size (lib/queries/device-tree.ts TREE_PAGE_SIZE). */
const PAGE = 100;

type Json = Record<string, unknown>;

class Api {
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
  ) {}

  async call(path: string, init: { body?: unknown; type?: string } = {}): Promise<Json> {
    const res = await fetch(`${this.base}${path}`, {
      method: init.body === undefined ? "GET" : "POST",
      headers: {
        ...this.headers,
        accept: "application/json",
        ...(init.body === undefined ? {} : { "content-type": init.type ?? "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return res.status === 204 ? {} : ((await res.json()) as Json);
  }

  async createMany(bodies: Json[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < bodies.length; i += BATCH) {
      const answer = await this.call("/inventory/managedObjects", {
        body: { managedObjects: bodies.slice(i, i + BATCH) },
        type: "application/vnd.com.nsn.cumulocity.managedObjectCollection+json",
      });
      ids.push(...(answer.managedObjects as { id: string }[]).map((m) => m.id));
    }
    return ids;
  }

  link(parent: string, kind: "childAssets" | "childDevices", ids: string[]) {
    return this.call(`/inventory/managedObjects/${parent}/${kind}`, {
      body: { references: ids.map((id) => ({ managedObject: { id } })) },
      type: "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json",
    });
  }
}

const device = (name: string, i: number, agent = false): Json => ({
  name,
  c8y_IsDevice: {},
  ...(agent
    ? { com_cumulocity_model_Agent: {}, c8y_SupportedOperations: ["c8y_Restart", "c8y_Command"] }
    : {}),
  c8y_Hardware: { model: agent ? "GW-9000" : "TMP-117", serialNumber: `SN-${name.replaceAll(" ", "-")}` },
  ...(i % 50 === 0
    ? { externalIds: [{ type: "c8y_Serial", externalId: `SN-${name.replaceAll(" ", "-")}` }] }
    : {}),
});

/** Regions → sites (nested groups) → 1,000 gateways with 100 children each, and one gateway with 10,000. */
async function seed(api: Api) {
  const regions = await api.createMany(
    Array.from({ length: REGIONS }, (_, r) => ({
      name: `Region ${r + 1}`,
      type: "c8y_DeviceGroup",
      c8y_IsDeviceGroup: {},
    })),
  );
  const sites: string[] = [];
  for (const [r, region] of regions.entries()) {
    const ids = await api.createMany(
      Array.from({ length: SITES_PER_REGION }, (_, s) => ({
        name: `Site ${r + 1}.${s + 1}`,
        type: "c8y_DeviceSubGroup",
        c8y_IsDeviceGroup: {},
      })),
    );
    await api.link(region, "childAssets", ids);
    sites.push(...ids);
  }
  const gateways = await api.createMany(
    Array.from({ length: GATEWAYS }, (_, g) => device(`Gateway ${g + 1}`, g, true)),
  );
  const perSite = GATEWAYS / sites.length;
  await pool(sites, 4, async (site, s) => {
    await api.link(site, "childAssets", gateways.slice(s * perSite, (s + 1) * perSite));
  });
  await pool(gateways, 4, async (gateway, g) => {
    const kids = await api.createMany(
      Array.from({ length: CHILDREN_PER_GATEWAY }, (_, c) => device(`Sensor ${g + 1}-${c + 1}`, c)),
    );
    await api.link(gateway, "childDevices", kids);
  });
  const [big] = await api.createMany([device("Big gateway", 1, true)]);
  const bigKids: string[] = [];
  const batches = Array.from({ length: BIG_CHILDREN / BATCH }, (_, b) => b);
  const chunks: string[][] = [];
  await pool(batches, 4, async (b) => {
    chunks[b] = await api.createMany(
      Array.from({ length: BATCH }, (_, c) => device(`Big child ${b * BATCH + c + 1}`, c)),
    );
  });
  for (const chunk of chunks) bigKids.push(...chunk);
  for (let i = 0; i < bigKids.length; i += 1000)
    await api.link(big!, "childDevices", bigKids.slice(i, i + 1000));
  await api.link(sites[0]!, "childAssets", [big!]);
  return { regions, sites, big: big!, bigKids };
}

async function timed(samples: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return summarise(times);
}

interface ScrollFigures {
  maxRows: number;
  maxNodes: number;
  endMs: number;
  lastRow: string;
}

// In-page scripts as text: the bench runs through tsx, whose helpers a function passed to evaluate would lack.

/** Opens the selected node (ArrowRight on the tree) and resolves once its first child rows have been painted. */
const EXPAND_AND_WAIT = `new Promise((resolve) => {
  const tree = document.querySelector('[role="tree"]');
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (!tree.querySelector('[role="treeitem"][aria-level="4"]:not([aria-busy])')) return;
    observer.disconnect();
    // Painted: the frame after the rows entered the DOM has been rendered.
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
  });
  observer.observe(tree, { subtree: true, childList: true, attributes: true });
  tree.focus();
  tree.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
})`;

/** Scrolls a screenful per frame until row `last` of the opened list is painted, counting rows on every frame. */
const scrollToRow = (last: number) => `new Promise((resolve) => {
  const tree = document.querySelector('[role="tree"]');
  const target = '[role="treeitem"][aria-level="4"][aria-posinset="${last}"]';
  let maxRows = 0;
  let maxNodes = 0;
  const t0 = performance.now();
  function step() {
    maxRows = Math.max(maxRows, tree.querySelectorAll('[role="treeitem"]').length);
    maxNodes = Math.max(maxNodes, tree.getElementsByTagName("*").length);
    const row = tree.querySelector(target);
    if (row && !row.hasAttribute("aria-busy")) {
      resolve({ maxRows, maxNodes, endMs: performance.now() - t0, lastRow: row.textContent || "" });
      return;
    }
    // Once the last row is drawn, stay there until its page has arrived.
    if (!row) tree.scrollTop += tree.clientHeight;
    requestAnimationFrame(step);
  }
  requestAnimationFrame(step);
})`;

/** Presses End in the opened tree and resolves once row `last` is painted with its data. */
const endAndWait = (last: number) => `new Promise((resolve) => {
  const tree = document.querySelector('[role="tree"]');
  const target = '[role="treeitem"][aria-level="4"][aria-posinset="${last}"]:not([aria-busy])';
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (!tree.querySelector(target)) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
  });
  observer.observe(tree, { subtree: true, childList: true, attributes: true });
  tree.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
})`;

/** In Chromium: expand the big gateway (cold, after a reload) until its first child rows are painted. */
async function browserFigures(consoleUrl: string, cookie: string, path: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const eq = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: consoleUrl }]);
    const page = await context.newPage();
    const firstRows: number[] = [];
    for (let run = 0; run < BROWSER_RUNS; run++) {
      await page.goto(`${consoleUrl}/devices?sel=${path}`);
      await page.locator('[role="treeitem"][aria-selected="true"]').waitFor();
      firstRows.push(await page.evaluate<number>(EXPAND_AND_WAIT));
    }
    const scroll = await page.evaluate<ScrollFigures>(scrollToRow(BIG_CHILDREN));
    // Random access: from a fresh load, open the node and press End; only the last page is fetched.
    await page.goto(`${consoleUrl}/devices?sel=${path}`);
    await page.locator('[role="treeitem"][aria-selected="true"]').waitFor();
    await page.evaluate<number>(EXPAND_AND_WAIT);
    const endKey = await page.evaluate<number>(endAndWait(BIG_CHILDREN));
    return { firstRows, scroll, endKey };
  } finally {
    await browser.close();
  }
}

export const deviceTreeBench: Bench = {
  name: "device-tree",
  title: "Device tree at fleet scale: BFF vs direct platform calls, and rows in Chromium",
  async run() {
    const built = existsSync(join(root, ".next", "BUILD_ID"));
    const emu = await startEmulatorProcess();
    const dataDir = mkdtempSync(join(tmpdir(), "c8y-bench-tree-"));
    let consoleApp: Awaited<ReturnType<typeof startConsole>> | undefined;
    try {
      const direct = new Api(emu.url, { authorization: emu.adminAuth });
      const t0 = performance.now();
      const ids = await seed(direct);
      const seedSeconds = (performance.now() - t0) / 1000;
      const total = GATEWAYS * (CHILDREN_PER_GATEWAY + 1) + BIG_CHILDREN + 1;
      const lines = [
        `Seeded ${total.toLocaleString("en")} devices (${GATEWAYS.toLocaleString("en")} gateways × ${CHILDREN_PER_GATEWAY} children, ` +
          `one gateway with ${BIG_CHILDREN.toLocaleString("en")}) in ${REGIONS} region groups × ${SITES_PER_REGION} site subgroups: ${seedSeconds.toFixed(0)} s.`,
        "",
      ];
      if (!built) {
        lines.push("BFF and browser figures skipped: no production build (run `npm run build` first).");
        return { lines };
      }
      consoleApp = await startConsole({
        C8Y_BASEURL: emu.url,
        DATA_DIR: dataDir,
        SESSION_PASSWORD: "bench-session-password-at-least-32-characters",
      });
      const cookie = await signInToConsole(consoleApp.url, emu);
      const bff = new Api(consoleApp.url, { cookie });
      const flags = "withChildren=false&withChildrenCount=true";
      const deepPage = Math.floor(BIG_CHILDREN / PAGE) - 10;
      const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        [
          "roots page (root groups, then ungrouped devices)",
          () => bff.call(`/api/devices/tree/roots?pageSize=${PAGE}`),
          async () => {
            await direct.call(
              `/inventory/managedObjects?fragmentType=c8y_IsDeviceGroup&onlyRoots=true&pageSize=${PAGE}&currentPage=1&${flags}`,
            );
            await direct.call(
              `/inventory/managedObjects?fragmentType=c8y_IsDevice&onlyRoots=true&pageSize=${PAGE}&currentPage=1&${flags}`,
            );
          },
        ],
        [
          "a site's members (page 1, with total)",
          () => bff.call(`/api/devices/tree/${ids.sites[1]}/children?rel=assets&page=1&pageSize=${PAGE}`),
          () =>
            direct.call(
              `/inventory/managedObjects/${ids.sites[1]}/childAssets?pageSize=${PAGE}&currentPage=1&${flags}&withTotalElements=true`,
            ),
        ],
        [
          `child page ${deepPage} of the 10,000`,
          () =>
            bff.call(`/api/devices/tree/${ids.big}/children?rel=devices&page=${deepPage}&pageSize=${PAGE}`),
          () =>
            direct.call(
              `/inventory/managedObjects/${ids.big}/childDevices?pageSize=${PAGE}&currentPage=${deepPage}&${flags}`,
            ),
        ],
      ];
      const rows: string[] = [];
      for (const [label, viaBff, viaPlatform] of cases) {
        const b = await timed(SAMPLES, viaBff);
        const d = await timed(SAMPLES, viaPlatform);
        rows.push(`| ${label} | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(d.p50)} | ${ms(d.p99)} |`);
      }
      const path = [ids.regions[0], ids.sites[0], ids.big].join(".");
      const browser = await browserFigures(consoleApp.url, cookie, path);
      const first = summarise(browser.firstRows);
      lines.push(
        `| call (${SAMPLES} sequential, after ${WARMUP} warm-up) | BFF p50 | BFF p99 | direct p50 | direct p99 |`,
        "| --- | --- | --- | --- | --- |",
        ...rows,
        "",
        "Direct = the platform calls the BFF makes for the same answer, from the same process, in the same run.",
        "",
        `Chromium, expanding the 10,000-children gateway after a fresh page load (${BROWSER_RUNS} runs): first rows painted ` +
          `p50 ${ms(first.p50)}, worst ${ms(Math.max(...browser.firstRows))}.`,
        `Scrolling that list to its end (a screenful per frame): at most ${browser.scroll.maxRows} rows ` +
          `(${browser.scroll.maxNodes} elements) in the tree at any time; the last row ` +
          `(“${browser.scroll.lastRow.slice(0, 40)}”) painted after ${(browser.scroll.endMs / 1000).toFixed(1)} s, a time ` +
          "set by the scrolling pace (one screenful per frame past 100 pages, each fetched as it comes into view).",
        `Pressing End in the opened list (random access, only the last page fetched): last row painted after ` +
          `${ms(browser.endKey)}.`,
      );
      return { lines };
    } finally {
      await consoleApp?.stop();
      await emu.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { lines } = await deviceTreeBench.run();
  for (const line of lines) console.log(line);
}
