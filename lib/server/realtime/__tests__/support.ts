// Test helpers for the live plumbing: a hand-driven clock, an SSE reader, a loopback proxy in front of the
// emulator that can record, hold, black-hole or fail requests, and small waiting utilities. No sleeps anywhere:
// time only moves when a test advances the clock, and every wait is on something observable.
/* eslint-disable @typescript-eslint/no-explicit-any -- Bayeux messages and SSE payloads are free-form JSON. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock, Timer } from "../clock";

// ---------------------------------------------------------------------------------------------------------------
// ManualClock
// ---------------------------------------------------------------------------------------------------------------

interface Scheduled {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that only moves on `advance`; timers fire in order, each at its own time. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Scheduled[] = [];
  private waiters: { match: (delay: number) => boolean; resolve: () => void }[] = [];

  constructor(start = Date.parse("2030-01-01T00:00:00.000Z")) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer: Scheduled = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    const delay = timer.at - this.t;
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(delay)) return true;
      w.resolve();
      return false;
    });
    return { cancel: () => void (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  /** Moves time forward, firing every timer that falls due (in time order) on the way. */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = target;
  }

  /** Delays (from now) of the timers waiting. */
  pending(): number[] {
    return this.timers.map((x) => x.at - this.t).sort((a, b) => a - b);
  }

  /** Resolves once a timer with a matching delay is scheduled (or already is). */
  waitForTimer(match: (delay: number) => boolean = () => true): Promise<void> {
    if (this.pending().some(match)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Waiting for things
// ---------------------------------------------------------------------------------------------------------------

/** Collects items; `next(match)` resolves with the first not-yet-taken item that matches, now or later. */
export class Inbox<T> {
  readonly all: T[] = [];
  private taken = new Set<number>();
  private waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    const index = this.all.push(item) - 1;
    for (const w of this.waiters) {
      if (!w.match(item)) continue;
      this.taken.add(index);
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(item);
      return;
    }
  }

  next(match: (item: T) => boolean = () => true): Promise<T> {
    const index = this.all.findIndex((item, i) => !this.taken.has(i) && match(item));
    if (index >= 0) {
      this.taken.add(index);
      return Promise.resolve(this.all[index]!);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Items not taken by `next` yet. */
  untaken(): T[] {
    return this.all.filter((_, i) => !this.taken.has(i));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Server-sent events, read the way an EventSource reads them
// ---------------------------------------------------------------------------------------------------------------

export interface SseFrame {
  id?: string;
  event?: string;
  data?: any;
  comment?: string;
  retry?: number;
}

/** Reads an event stream body frame by frame; `end` settles when the stream closes or errors. */
export class SseReader {
  readonly frames = new Inbox<SseFrame>();
  readonly end: Promise<"closed" | "errored">;

  constructor(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    this.end = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return "closed";
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            this.frames.push(parseFrame(block));
          }
        }
      } catch {
        return "errored";
      }
    })();
  }

  /** The next frame that is an event (of `type`, when given) and passes `match`. */
  event(type?: string, match: (frame: SseFrame) => boolean = () => true): Promise<SseFrame> {
    return this.frames.next(
      (f) => f.event !== undefined && (type === undefined || f.event === type) && match(f),
    );
  }

  /** Events (not comments or retry lines) received so far and not taken. */
  pendingEvents(): SseFrame[] {
    return this.frames.untaken().filter((f) => f.event !== undefined);
  }
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) frame.id = line.slice(4);
    else if (line.startsWith("event: ")) frame.event = line.slice(7);
    else if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6)) as unknown;
    else if (line.startsWith("retry: ")) frame.retry = Number(line.slice(7));
  }
  return frame;
}

// ---------------------------------------------------------------------------------------------------------------
// A loopback proxy in front of the emulator
// ---------------------------------------------------------------------------------------------------------------

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Bayeux messages when the body is a JSON array. */
  messages: any[];
  /** The meta channels in the batch, e.g. ["/meta/connect"]. */
  channels: string[];
}

/**
 * What to do with a request: forward it, hold it until `release()`, swallow it for good, reset the connection
 * (what a client sees of a platform that just died), or answer it.
 */
export type ProxyDecision = "forward" | "hold" | "blackhole" | "reset" | { status: number; body?: string };

export interface TestProxy {
  url: string;
  requests: Inbox<ProxiedRequest>;
  decide: (req: ProxiedRequest) => ProxyDecision;
  /** Forwards every held request now. */
  release(): void;
  close(): Promise<void>;
}

export async function startTestProxy(target: string): Promise<TestProxy> {
  const held: (() => void)[] = [];
  const proxy: TestProxy = {
    url: "",
    requests: new Inbox(),
    decide: () => "forward",
    release: () => held.splice(0).forEach((forward) => forward()),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let messages: any[] = [];
      try {
        const parsed = JSON.parse(body) as unknown;
        messages = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        messages = [];
      }
      const recorded: ProxiedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        messages,
        channels: messages
          .map((m: { channel?: unknown } | null) => m?.channel)
          .filter((c): c is string => typeof c === "string"),
      };
      const decision = proxy.decide(recorded);
      proxy.requests.push(recorded);
      if (decision === "blackhole") return;
      if (decision === "reset") return void req.socket.resetAndDestroy();
      if (typeof decision === "object") {
        res.writeHead(decision.status, { "content-type": "application/json" }).end(decision.body ?? "{}");
        return;
      }
      const forward = () => void forwardTo(target, req, res, body);
      if (decision === "hold") held.push(forward);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      held.length = 0;
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}

async function forwardTo(target: string, req: IncomingMessage, res: ServerResponse, body: string) {
  const controller = new AbortController();
  // A client that gives up (watchdog) closes its side; the emulator then completes its held connect.
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) headers.set(k, v);
  try {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const up = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? body : undefined,
      signal: controller.signal,
    });
    const text = Buffer.from(await up.arrayBuffer());
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!["content-length", "transfer-encoding", "connection"].includes(k)) out[k] = v;
    });
    if (!res.destroyed) res.writeHead(up.status, out).end(text);
  } catch {
    if (!res.destroyed && !res.headersSent) res.writeHead(502).end();
  }
}

/** Whether a recorded request carries a Bayeux message on `channel`. */
export const carries = (channel: string) => (r: ProxiedRequest) => r.channels.includes(channel);

// ---------------------------------------------------------------------------------------------------------------
// REST calls against the test platform
// ---------------------------------------------------------------------------------------------------------------

/** One REST call as the admin (or `auth`); throws on a non-2xx answer; returns the JSON body ({} when empty). */
export async function rest(
  p: { request(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response> },
  method: string,
  path: string,
  body?: unknown,
  auth?: string,
): Promise<Record<string, any>> {
  const res = await p.request(path, {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...(auth ? { auth } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, any>;
}
