// Delivery latency of the emulator's Bayeux long-polling: REST create of an operation → arrival in the agent's held
// connect, against a plain faye server (HTTP publish → arrival) driven by the same client code. Run alone with
// `npx tsx bench/realtime-latency.ts`, or through `npm run bench`.
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { type Bench, ms, root, startEmulatorProcess, summarise } from "./lib.js";

const OPERATIONS = 300;
const WARMUP = 20;

type Message = { channel: string; data?: unknown; [field: string]: unknown };

/** A minimal long-polling subscriber on fetch: handshake, subscribe, then one connect after another. */
export class LongPollSubscriber {
  private clientId = "";
  private id = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly onData: (m: Message) => void,
  ) {}

  private async send(messages: Record<string, unknown>[]): Promise<Message[]> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...this.headers },
      body: JSON.stringify(messages.map((m) => ({ id: String(++this.id), ...m }))),
    });
    if (res.status !== 200) throw new Error(`${this.url}: HTTP ${res.status}`);
    return (await res.json()) as Message[];
  }

  async start(channel: string | string[]): Promise<void> {
    const [hs] = await this.send([
      { channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["long-polling"] },
    ]);
    if (!hs?.successful) throw new Error(`handshake failed: ${JSON.stringify(hs)}`);
    this.clientId = String(hs.clientId);
    const [sub] = await this.send([
      { channel: "/meta/subscribe", clientId: this.clientId, subscription: channel },
    ]);
    if (!sub?.successful) throw new Error(`subscribe failed: ${JSON.stringify(sub)}`);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const replies = await this.send([
          { channel: "/meta/connect", clientId: this.clientId, connectionType: "long-polling" },
        ]);
        for (const m of replies) if (!m.channel.startsWith("/meta/")) this.onData(m);
        const connect = replies.find((m) => m.channel === "/meta/connect");
        if (!connect?.successful) throw new Error(`connect failed: ${JSON.stringify(connect)}`);
      }
    })();
  }

  /** Disconnecting answers the held connect, which ends the loop. */
  async stop(): Promise<void> {
    this.running = false;
    await this.send([{ channel: "/meta/disconnect", clientId: this.clientId }]);
    await this.loop?.catch(() => undefined);
  }
}

/** Resolves the waiter registered for a sequence number when its message arrives. */
class Arrivals {
  private readonly waiting = new Map<number, (at: number) => void>();
  readonly onData = (m: Message) => {
    const seq = seqOf(m.data);
    const resolve = seq === undefined ? undefined : this.waiting.get(seq);
    if (!resolve || seq === undefined) return;
    this.waiting.delete(seq);
    resolve(performance.now());
  };
  next(seq: number): Promise<number> {
    return new Promise((resolve) => this.waiting.set(seq, resolve));
  }
}

function seqOf(data: unknown): number | undefined {
  const bench = (data as { c8y_Bench?: { seq?: unknown } } | undefined)?.c8y_Bench;
  return typeof bench?.seq === "number" ? bench.seq : undefined;
}

/** Sends OPERATIONS + WARMUP messages one after the other; latency = publish call start → arrival. */
async function measure(publish: (seq: number) => Promise<void>, arrivals: Arrivals): Promise<number[]> {
  const samples: number[] = [];
  for (let seq = 0; seq < OPERATIONS + WARMUP; seq++) {
    const arrived = arrivals.next(seq);
    const t0 = performance.now();
    await publish(seq);
    const t1 = await arrived;
    if (seq >= WARMUP) samples.push(t1 - t0);
  }
  return samples;
}

async function emulatorLatency(): Promise<number[]> {
  const emu = await startEmulatorProcess();
  const headers = {
    authorization: emu.adminAuth,
    "content-type": "application/json",
    accept: "application/json",
  };
  const create = async (path: string, body: unknown) => {
    const res = await fetch(`${emu.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  try {
    const agent = await create("/inventory/managedObjects", {
      name: "Bench agent",
      com_cumulocity_model_Agent: {},
    });
    const child = await create(`/inventory/managedObjects/${agent.id}/childDevices`, { name: "Bench child" });
    const arrivals = new Arrivals();
    const sub = new LongPollSubscriber(
      `${emu.url}/notification/operations`,
      { authorization: emu.adminAuth },
      arrivals.onData,
    );
    await sub.start(`/${agent.id}`);
    try {
      return await measure(async (seq) => {
        const res = await fetch(`${emu.url}/devicecontrol/operations`, {
          method: "POST",
          headers,
          body: JSON.stringify({ deviceId: child.id, description: "Bench", c8y_Bench: { seq } }),
        });
        if (res.status !== 201) throw new Error(`POST operation: ${res.status}`);
        await res.arrayBuffer();
      }, arrivals);
    } finally {
      await sub.stop();
    }
  } finally {
    await emu.stop();
  }
}

// A plain faye server in its own process, as the emulator runs in its own: the client side is identical.
const FAYE_SERVER = `
const http = require("node:http");
const faye = require("faye");
const bayeux = new faye.NodeAdapter({ mount: "/bayeux", timeout: 60 });
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
bayeux.attach(server);
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
process.on("SIGTERM", () => { bayeux.close(); server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

async function fayeLatency(): Promise<number[]> {
  const child = spawn(process.execPath, ["-e", FAYE_SERVER], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`faye server exited with ${code}`)));
    child.stdout.on("data", (d: Buffer) => {
      const match = /listening (\d+)/.exec(d.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}/bayeux`;
  try {
    const arrivals = new Arrivals();
    const sub = new LongPollSubscriber(url, {}, arrivals.onData);
    await sub.start("/20417");
    try {
      return await measure(async (seq) => {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify([{ channel: "/20417", data: { description: "Bench", c8y_Bench: { seq } } }]),
        });
        if (res.status !== 200) throw new Error(`faye publish: ${res.status}`);
        await res.arrayBuffer();
      }, arrivals);
    } finally {
      await sub.stop();
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.removeAllListeners("exit");
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}

export async function runRealtimeLatencyBench(): Promise<{ name: string; lines: string[] }> {
  const emulator = summarise(await emulatorLatency());
  const baseline = summarise(await fayeLatency());
  return {
    name: "realtime-latency",
    lines: [
      `Sequential: ${OPERATIONS} messages each (after ${WARMUP} warm-up), one long-polling subscriber, client in the bench`,
      "process, servers in their own processes on 127.0.0.1.",
      "",
      "| path | n | p50 | p99 |",
      "|---|---|---|---|",
      `| emulator: POST /devicecontrol/operations → agent's held connect on /notification/operations | ${emulator.n} | ${ms(emulator.p50)} | ${ms(emulator.p99)} |`,
      `| baseline: plain faye 1.4.3, HTTP publish → held connect | ${baseline.n} | ${ms(baseline.p50)} | ${ms(baseline.p99)} |`,
      "",
      `Ratio emulator/faye: p50 ×${(emulator.p50 / baseline.p50).toFixed(2)}, p99 ×${(emulator.p99 / baseline.p99).toFixed(2)}` +
        " (the emulator's figure includes authentication, the SQLite write and agent routing of the REST create).",
    ],
  };
}

export const realtimeLatencyBench: Bench = {
  name: "realtime-latency",
  title: "Emulator: operation delivery latency over Bayeux long-polling vs plain faye",
  run: runRealtimeLatencyBench,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runRealtimeLatencyBench();
  for (const line of result.lines) console.log(line);
}
