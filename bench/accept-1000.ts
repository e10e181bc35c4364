// Accepting 1,000 pending registration requests through the console's bulk action, end to end: once through the
// BFF exactly as the UI calls it (collect the pending ids, then POST /api/registrations/accept in chunks of 50, two
// in flight), and once in Chromium clicking "Accept all pending (1,000)" until the progress reports the end.
// Needs a build (`npm run build`) and Debian's Chromium. Run alone with `npx tsx bench/accept-1000.ts`.
import { chromium } from "@playwright/test";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { emulatorCall, startStack, type Stack } from "./bff-overhead.js";
import { type Bench, pool } from "./lib.js";

const PENDING = 1000;
/** What the UI uses (lib/queries/use-chunked-run.ts). */
const CHUNK = 50;
const IN_FLIGHT = 2;
/** The UI's page size when it collects every pending id (lib/queries/registrations.ts). */
const SWEEP_PAGE = 500;
const GOAL_S = 10;

/** Registers the ids and knocks once for each as the device would, so all are PENDING_ACCEPTANCE. */
async function seedPending(stack: Stack, prefix: string): Promise<number> {
  const ids = Array.from({ length: PENDING }, (_, i) => `${prefix}-${String(i + 1).padStart(4, "0")}`);
  const t0 = performance.now();
  await pool(ids, 20, async (id) => {
    const created = await emulatorCall(stack, "/devicecontrol/newDeviceRequests", { body: { id } });
    if (created.status !== 201) throw new Error(`register ${id}: ${created.status}`);
    const knock = await emulatorCall(stack, "/devicecontrol/deviceCredentials", {
      body: { id },
      auth: stack.emulator.bootstrapAuth,
    });
    if (knock.status !== 404) throw new Error(`knock ${id}: ${knock.status}`);
  });
  return (performance.now() - t0) / 1000;
}

/** The bulk action as the browser performs it, with the session cookie and the CSRF header. */
async function acceptThroughBff(
  stack: Stack,
): Promise<{ seconds: number; accepted: number; failed: number }> {
  const headers = {
    cookie: stack.cookie,
    accept: "application/json",
    "content-type": "application/json",
    "x-c8y-console": "1",
  };
  const t0 = performance.now();
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(
      `${stack.console.url}/api/registrations?status=PENDING_ACCEPTANCE&sort=oldest&page=${page}&pageSize=${SWEEP_PAGE}`,
      { headers },
    );
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    const list = (await res.json()) as { items: { id: string }[]; total: number };
    ids.push(...list.items.map((i) => i.id));
    if (list.items.length < SWEEP_PAGE || ids.length >= list.total) break;
  }
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
  let accepted = 0;
  let failed = 0;
  await pool(chunks, IN_FLIGHT, async (chunk) => {
    const res = await fetch(`${stack.console.url}/api/registrations/accept`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ids: chunk }),
    });
    if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${await res.text()}`);
    const { results } = (await res.json()) as { results: { ok: boolean }[] };
    for (const r of results) {
      if (r.ok) accepted++;
      else failed++;
    }
  });
  return { seconds: (performance.now() - t0) / 1000, accepted, failed };
}

/** Chromium: sign in, open the pending tab, "Accept all pending", confirm, wait for the finished summary. */
async function acceptInBrowser(stack: Stack): Promise<{ seconds: number; summary: string }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ baseURL: stack.console.url });
    await page.goto(`/login?next=${encodeURIComponent("/registrations?status=PENDING_ACCEPTANCE")}`);
    await page.getByLabel("Tenant").fill(stack.emulator.tenant);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(stack.emulator.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/registrations");
    const label = `Accept all pending (${PENDING.toLocaleString("en")})`;
    await page.getByRole("button", { name: label }).click({ timeout: 30_000 });
    const confirm = page
      .getByRole("alertdialog")
      .getByRole("button", { name: "Accept all pending", exact: true });
    await confirm.waitFor();
    const t0 = performance.now();
    await confirm.click();
    const status = page.getByRole("status").filter({ hasText: /^Finished: / });
    await status.waitFor({ timeout: 120_000 });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, summary: (await status.innerText()).trim() };
  } finally {
    await browser.close();
  }
}

async function pendingCount(stack: Stack): Promise<number> {
  const res = await fetch(`${stack.console.url}/api/registrations?pageSize=1`, {
    headers: { cookie: stack.cookie, accept: "application/json" },
  });
  const { counts } = (await res.json()) as { counts: Record<string, number> };
  return counts.PENDING_ACCEPTANCE ?? 0;
}

export const accept1000Bench: Bench = {
  name: "accept-1000",
  title: "Console: accepting 1,000 pending registration requests with the bulk action",
  async run() {
    const stack = await startStack();
    try {
      const seedApi = await seedPending(stack, "bench-api");
      const api = await acceptThroughBff(stack);
      if (api.accepted !== PENDING || api.failed !== 0 || (await pendingCount(stack)) !== 0)
        throw new Error(`BFF run accepted ${api.accepted}, failed ${api.failed}`);
      const lines = [
        "| run | accepted | end to end | goal |",
        "| --- | --- | --- | --- |",
        `| BFF calls as the UI makes them (collect pending ids, then ${PENDING / CHUNK} × POST /api/registrations/accept of ${CHUNK}, ${IN_FLIGHT} in flight) | ${api.accepted} | ${api.seconds.toFixed(2)} s | under ${GOAL_S} s: ${api.seconds < GOAL_S ? "met" : "missed"} |`,
      ];
      const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
      let browserNote = "";
      if (existsSync(chromiumPath)) {
        await seedPending(stack, "bench-ui");
        const ui = await acceptInBrowser(stack);
        const left = await pendingCount(stack);
        lines.push(
          `| Chromium: click "Accept all pending (1,000)", confirm, until "${ui.summary}" | ${PENDING - left} | ${ui.seconds.toFixed(2)} s | under ${GOAL_S} s: ${ui.seconds < GOAL_S ? "met" : "missed"} |`,
        );
      } else browserNote = ` Chromium is missing at ${chromiumPath}: the browser run was left out.`;
      return {
        lines: [
          ...lines,
          "",
          `Each run starts with ${PENDING} PENDING_ACCEPTANCE requests (registered and knocked through the emulator's REST API in ${seedApi.toFixed(1)} s, not counted). ` +
            "End to end = from the first list call (BFF run) or the confirm click (browser run) until every chunk has answered; the emulator hashes one generated device password per acceptance. " +
            "The console is `next start` of the production build, the emulator its own process, on the same 2 cores." +
            browserNote,
        ],
      };
    } finally {
      await stack.stop();
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { lines } = await accept1000Bench.run();
  console.log(lines.join("\n"));
}
