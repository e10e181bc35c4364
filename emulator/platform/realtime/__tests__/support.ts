// Shared by the realtime tests: a raw Bayeux-over-HTTP client (JSON arrays as the seed writes them), event waits
// and a few inventory rows written straight into the platform's database.
/* eslint-disable @typescript-eslint/no-explicit-any -- Bayeux messages are free-form JSON; the tests read them freely. */
import type { TestPlatform } from "../../../../tests/support/platform.js";
import type { RealtimeEvents } from "../index.js";

export type Message = { channel: string; [field: string]: any };

export interface PostResult {
  status: number;
  contentType: string | null;
  body: any;
}

/** POSTs one Bayeux batch; `auth` null sends no Authorization header. */
export async function post(
  p: TestPlatform,
  path: string,
  messages: unknown,
  init: { auth?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<PostResult> {
  const res = await p.request(path, {
    method: "POST",
    auth: init.auth === undefined ? p.admin : init.auth,
    headers: { "content-type": "application/json", accept: "application/json", ...init.headers },
    body: typeof messages === "string" ? messages : JSON.stringify(messages),
    signal: init.signal,
  });
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  return { status: res.status, contentType: res.headers.get("content-type"), body };
}

/** A long-polling session driven by hand, one request per call, ids "1", "2", … */
export class RawClient {
  clientId = "";
  private id = 0;

  constructor(
    readonly p: TestPlatform,
    readonly endpoint = "/notification/realtime",
    readonly auth: string | null = p.admin,
  ) {}

  nextId(): string {
    return String(++this.id);
  }

  async send(messages: Message[], suffix = "/"): Promise<Message[]> {
    const r = await post(this.p, `${this.endpoint}${suffix}`, messages, { auth: this.auth });
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as Message[];
  }

  async handshake(extra: Record<string, unknown> = {}): Promise<Message> {
    const [reply] = await this.send(
      [
        {
          id: this.nextId(),
          channel: "/meta/handshake",
          version: "1.0",
          supportedConnectionTypes: ["long-polling"],
          ...extra,
        },
      ],
      "/handshake",
    );
    if (reply?.successful) this.clientId = String(reply.clientId);
    return reply!;
  }

  async subscribe(subscription: string | string[]): Promise<Message> {
    const [reply] = await this.send([
      { id: this.nextId(), channel: "/meta/subscribe", clientId: this.clientId, subscription },
    ]);
    return reply!;
  }

  /** Starts a connect; resolves with the whole reply array. */
  connect(advice?: Record<string, unknown>): Promise<Message[]> {
    const m: Message = {
      id: this.nextId(),
      channel: "/meta/connect",
      clientId: this.clientId,
      connectionType: "long-polling",
    };
    if (advice) m.advice = advice;
    return this.send([m], "/connect");
  }

  /** Handshake, subscribe and the first (immediate) connect, as every client starts. */
  async open(subscriptions: string[] = []): Promise<this> {
    const hs = await this.handshake();
    if (!hs.successful) throw new Error(`handshake failed: ${JSON.stringify(hs)}`);
    for (const s of subscriptions) {
      const r = await this.subscribe(s);
      if (!r.successful) throw new Error(`subscribe ${s} failed: ${JSON.stringify(r)}`);
    }
    await this.connect({ timeout: 0 });
    return this;
  }

  /** Sends a connect and resolves once the server has registered it (so a publish now wakes it). */
  async held(): Promise<{ reply: Promise<Message[]> }> {
    const registered = waitFor(this.p, "connect", (e) => e.clientId === this.clientId);
    const reply = this.connect();
    await registered;
    // Wrapped: an async function would otherwise wait for the reply itself.
    return { reply };
  }
}

/** Resolves with the first event of `name` that passes `filter`. Register before causing the event. */
export function waitFor<K extends keyof RealtimeEvents>(
  p: TestPlatform,
  name: K,
  filter: (e: RealtimeEvents[K][0]) => boolean = () => true,
): Promise<RealtimeEvents[K][0]> {
  const events = p.realtime.events;
  return new Promise((resolve) => {
    const listener = (...args: RealtimeEvents[K]) => {
      if (!filter(args[0])) return;
      events.off(name, listener as never);
      resolve(args[0]);
    };
    events.on(name, listener as never);
  });
}

export const dataOf = (replies: Message[]) => replies.filter((m) => !m.channel.startsWith("/meta/"));
export const connectReplyOf = (replies: Message[]) => replies.find((m) => m.channel === "/meta/connect");

/** Managed objects inserted directly: an owner, an optional agent fragment and an optional parent. */
export function insertObject(
  p: TestPlatform,
  o: { owner?: string; agent?: boolean; parent?: string; name?: string } = {},
): string {
  const { db, nextId } = p.platform.ctx;
  const now = new Date().toISOString();
  return db.transaction(() => {
    const id = nextId();
    const fragments: Record<string, unknown> = { c8y_IsDevice: {} };
    if (o.agent) fragments.com_cumulocity_model_Agent = {};
    db.prepare(
      "INSERT INTO managed_objects (id, type, name, owner, creation_time, last_updated, fragments) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      Number(id),
      "c8y_Test",
      o.name ?? `Device ${id}`,
      o.owner ?? "admin",
      now,
      now,
      JSON.stringify(fragments),
    );
    for (const f of Object.keys(fragments))
      db.prepare("INSERT INTO mo_fragments (fragment, mo_id) VALUES (?, ?)").run(f, Number(id));
    if (o.parent) {
      db.prepare("INSERT INTO mo_refs (parent_id, kind, child_id, seq) VALUES (?, 'childDevices', ?, ?)").run(
        Number(o.parent),
        Number(id),
        Number(id),
      );
    }
    return id;
  })();
}

/** An operation-created change event as the device-control API publishes it. */
export function operationEvent(
  id: string,
  deviceId: string,
  agentId: string | undefined,
  action: "CREATE" | "UPDATE" = "CREATE",
  status = "PENDING",
) {
  return {
    api: "operations" as const,
    action,
    id,
    deviceId,
    agentId,
    data: {
      id,
      deviceId,
      status,
      creationTime: "2024-05-02T08:00:01.000Z",
      description: "Restart",
      c8y_Restart: {},
    },
  };
}
