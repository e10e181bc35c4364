// The console's Bayeux subscriber across a platform outage (issue 13): the real emulator runs as its own process,
// is killed (SIGKILL, as a crash), and restarted on the same port and data after 5 s and after 60 s. Measured per
// outage: from the restarted platform answering (its "listening on" line) to the subscriber being live again
// (session event: subscribed and connected), and the requests it sent while the platform was away.
//
// Two subscribers in their own processes, in the same run: the current client (`lib/bayeux/client.ts` with the
// defaults the live hub uses) and, as baseline, the client as it was before this change (read from git at
// PREVIOUS_COMMIT). Run alone with `npx tsx bench/subscriber-outage.ts`, or via `npm run bench`.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Bench, type EmulatorProcess, freePort, root, startEmulatorProcess } from "./lib.js";

/** The last commit with the previous back-off (lib/server/realtime/bayeux-client.ts before issue 13). */
const PREVIOUS_COMMIT = "e4708ec";
const OUTAGES_MS = [5_000, 5_000, 5_000, 5_000, 60_000, 60_000];
const CHANNEL = "/operations/*";
const VARIANTS = ["current", "previous"] as const;
type Variant = (typeof VARIANTS)[number];

/** What a subscriber process reports, one JSON line each. */
type Report = { type: "live" | "down"; at: number; requests: number } | { type: "error"; message: string };

// ---------------------------------------------------------------------------------------------------------------
// The subscriber process
// ---------------------------------------------------------------------------------------------------------------

interface MinimalClient {
  readonly status: string;
  readonly subscribed: ReadonlySet<string>;
  subscribe(channel: string): void;
  start(): void;
  stop(): Promise<void>;
}
type ClientConstructor = new (options: {
  url: string;
  headers: () => Record<string, string>;
  fetch: typeof fetch;
  onEvent: (e: { type: string; status?: string }) => void;
}) => MinimalClient;

/** The client before this change, from git: the same file the console ran, `server-only` left out. */
async function previousClient(): Promise<ClientConstructor> {
  const dir = mkdtempSync(join(tmpdir(), "bayeux-previous-"));
  for (const [from, to] of [
    ["lib/server/realtime/bayeux-client.ts", "bayeux-client.ts"],
    ["lib/server/realtime/clock.ts", "clock.ts"],
  ] as const) {
    const text = execFileSync("git", ["show", `${PREVIOUS_COMMIT}:${from}`], { cwd: root, encoding: "utf8" });
    writeFileSync(join(dir, to), text.replace(/^import "server-only";\n/m, ""));
  }
  const mod = (await import(pathToFileURL(join(dir, "bayeux-client.ts")).href)) as {
    BayeuxClient: ClientConstructor;
  };
  rmSync(dir, { recursive: true, force: true });
  return mod.BayeuxClient;
}

async function runSubscriber(variant: Variant, url: string, authorization: string) {
  const report = (r: Report) => process.stdout.write(`${JSON.stringify(r)}\n`);
  const Client: ClientConstructor =
    variant === "current" ? (await import("../lib/bayeux/client.js")).BayeuxClient : await previousClient();
  let requests = 0;
  const client: MinimalClient = new Client({
    url: `${url}/notification/realtime`,
    headers: () => ({ authorization }),
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
    onEvent: (e) => {
      if (e.type === "session" && client.status === "connected" && client.subscribed.has(CHANNEL))
        report({ type: "live", at: Date.now(), requests });
      if (e.type === "status" && e.status === "reconnecting")
        report({ type: "down", at: Date.now(), requests });
    },
  });
  client.subscribe(CHANNEL);
  client.start();
  // The client's timers are unref'd (it lives inside a server); this process has nothing else to keep it up.
  const alive = setInterval(() => undefined, 60_000);
  process.on("SIGTERM", () => {
    clearInterval(alive);
    void client.stop().finally(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The driver
// ---------------------------------------------------------------------------------------------------------------

class Subscriber {
  readonly child: ChildProcess;
  private readonly reports: Report[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    readonly variant: Variant,
    emu: EmulatorProcess,
  ) {
    this.child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--subscriber", variant, emu.url, emu.adminAuth],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      this.reports.push(JSON.parse(line) as Report);
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.once("exit", (code) => {
      this.reports.push({ type: "error", message: `subscriber process exited (${code})` });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The first report of `type` after `since` (ms since the epoch), waiting up to `limitMs`. */
  async next(type: "live" | "down", since: number, limitMs = 180_000) {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const error = this.reports.find((r) => r.type === "error");
      if (error?.type === "error") throw new Error(`${this.variant}: ${error.message}`);
      const found = this.reports.find((r) => r.type === type && r.at >= since);
      if (found && found.type !== "error") return found;
      if (Date.now() > deadline) throw new Error(`${this.variant}: no ${type} report`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function runSubscriberOutageBench() {
  const dataDir = mkdtempSync(join(tmpdir(), "c8y-outage-"));
  const port = await freePort();
  let emu = await startEmulatorProcess({ dataDir, port });
  const subscribers = VARIANTS.map((v) => new Subscriber(v, emu));
  const rows: {
    outageMs: number;
    awayMs: number;
    variant: Variant;
    liveAfterMs: number;
    requests: number;
  }[] = [];
  try {
    await Promise.all(subscribers.map((s) => s.next("live", 0)));
    for (const outageMs of OUTAGES_MS) {
      const killedAt = Date.now();
      await emu.kill();
      const down = await Promise.all(subscribers.map((s) => s.next("down", killedAt)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + outageMs - Date.now())));
      emu = await startEmulatorProcess({ dataDir, port });
      const answeredAt = Date.now();
      const live = await Promise.all(subscribers.map((s) => s.next("live", killedAt)));
      subscribers.forEach((s, i) =>
        rows.push({
          outageMs,
          awayMs: answeredAt - killedAt,
          variant: s.variant,
          liveAfterMs: live[i]!.at - answeredAt,
          requests: live[i]!.requests - down[i]!.requests,
        }),
      );
      console.log(
        `outage ${seconds(outageMs)}: ${subscribers.map((s, i) => `${s.variant} live ${seconds(live[i]!.at - answeredAt)} after`).join(", ")}`,
      );
    }
  } finally {
    await Promise.all(subscribers.map((s) => s.stop()));
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const awayText = [...new Set(OUTAGES_MS)]
    .map((o) => {
      const away = rows.filter((r) => r.outageMs === o).map((r) => r.awayMs);
      return `${seconds(Math.min(...away))}–${seconds(Math.max(...away))} for the ${o / 1000} s outages`;
    })
    .join(", ");
  const lines = [
    `Emulator killed (SIGKILL) and started again on the same port and data after the outage; it then needs a moment`,
    `to answer (platform away from kill to "listening on": ${awayText}). Each subscriber (admin credential,`,
    `\`${CHANNEL}\` on /notification/realtime) runs in its own process; time is from the restarted emulator`,
    `printing "listening on" to the subscriber's \`session\` event (subscribed and connected).`,
    `Baseline: the client as of ${PREVIOUS_COMMIT} (1 s back-off doubling to 30 s for every failure, a 402 after`,
    "network errors waited one more doubled back-off).",
    "",
    "| outage | client | live again after: mean | worst | requests sent while away (mean) | goal ≤ 2 s |",
    "|---|---|---|---|---|---|",
  ];
  for (const outageMs of [...new Set(OUTAGES_MS)]) {
    for (const variant of VARIANTS) {
      const mine = rows.filter((r) => r.outageMs === outageMs && r.variant === variant);
      const after = mine.map((r) => r.liveAfterMs);
      const mean = after.reduce((a, b) => a + b, 0) / after.length;
      const worst = Math.max(...after);
      const requests = mine.reduce((a, r) => a + r.requests, 0) / mine.length;
      const label =
        variant === "current" ? "current (`lib/bayeux/client.ts`)" : "baseline (previous back-off)";
      lines.push(
        `| ${outageMs / 1000} s (n = ${mine.length}) | ${label} | ${seconds(mean)} | ${seconds(worst)} | ${requests.toFixed(0)} | ${worst <= 2_000 ? "met" : "not met"} |`,
      );
    }
  }
  return { lines };
}

export const subscriberOutageBench: Bench = {
  name: "subscriber-outage",
  title: "Console subscriber: live again after the platform was down for 5 s and for 60 s",
  run: runSubscriberOutageBench,
};

const at = process.argv.indexOf("--subscriber");
if (at >= 0) {
  const [variant, url, authorization] = process.argv.slice(at + 1) as [Variant, string, string];
  await runSubscriber(variant, url, authorization).catch((err: unknown) => {
    process.stdout.write(`${JSON.stringify({ type: "error", message: String(err) })}\n`);
    process.exit(1);
  });
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runSubscriberOutageBench();
  for (const line of result.lines) console.log(line);
  process.exit(0);
}
