// A small Bayeux long-polling client on fetch, enough for an agent (realtime.md §2, §4.4):
// handshake, subscribe, keep exactly one /meta/connect outstanding, re-handshake and resubscribe when the server
// forgets the session (402 with advice reconnect=handshake), back off on transport errors, disconnect on stop.
// Deliberately no CometD library: the device simulator should exercise the wire protocol itself.
import { setTimeout as delay } from "node:timers/promises";

export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  subscription?: string | string[];
  advice?: { reconnect?: "retry" | "handshake" | "none"; interval?: number; timeout?: number };
  data?: unknown;
  [key: string]: unknown;
}

export interface BayeuxClientOptions {
  /** Full endpoint URL, e.g. http://127.0.0.1:8111/notification/operations. */
  url: string;
  /** Extra headers on every POST (Authorization). */
  headers: () => Record<string, string>;
  /** Channels to (re)subscribe after every handshake. */
  subscriptions: string[];
  /** A data message on a subscribed channel. */
  onMessage: (message: BayeuxMessage) => void;
  /**
   * After the first successful connect of a session: subscriptions are in place, so a backlog query now cannot
   * miss anything. `reestablished` is true for every session after the first.
   */
  onConnected?: (reestablished: boolean) => void;
  log?: (line: string) => void;
  /** How long the server may hold a connect (advice.timeout we ask for), ms. */
  holdMs?: number;
  /** First and largest wait after a failure, ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export type BayeuxState = "idle" | "handshaking" | "connected" | "unconnected" | "stopped";

class ProtocolError extends Error {
  constructor(
    message: string,
    /** The session is unusable: handshake again before anything else. */
    readonly rehandshake: boolean,
  ) {
    super(message);
  }
}

export class BayeuxClient {
  private clientId: string | undefined;
  private nextId = 1;
  private sessions = 0;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private _state: BayeuxState = "idle";
  private readonly holdMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: BayeuxClientOptions) {
    this.holdMs = options.holdMs ?? 55_000;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
  }

  get state(): BayeuxState {
    return this._state;
  }

  /** Starts the handshake → subscribe → connect loop in the background. */
  start(): void {
    this.loop ??= this.run().catch((err: unknown) => this.log(`bayeux loop ended: ${String(err)}`));
  }

  /** Drops the outstanding connect and tells the server goodbye (best effort). */
  async stop(): Promise<void> {
    if (this._state === "stopped") return;
    this._state = "stopped";
    this.stopper.abort();
    await this.loop;
    const clientId = this.clientId;
    this.clientId = undefined;
    if (clientId) {
      try {
        await this.send(
          [{ channel: "/meta/disconnect", clientId, id: this.id() }],
          AbortSignal.timeout(2_000),
        );
      } catch {
        // The server forgets the session on its own when no connect follows.
      }
    }
  }

  private log(line: string) {
    this.options.log?.(line);
  }

  private id(): string {
    return String(this.nextId++);
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    let firstConnect = true;
    while (!this.stopped) {
      try {
        if (!this.clientId) {
          this._state = "handshaking";
          await this.handshake();
          await this.subscribe();
          firstConnect = true;
        }
        const reply = await this.connect(firstConnect);
        if (this.stopped) break;
        if (reply.successful) {
          backoff = 0;
          this._state = "connected";
          if (firstConnect) {
            firstConnect = false;
            this.sessions += 1;
            this.options.onConnected?.(this.sessions > 1);
          }
          const interval = reply.advice?.interval ?? 0;
          if (interval > 0) await delay(interval, undefined, { signal: this.stopper.signal });
          continue;
        }
        // An unsuccessful connect: obey the advice; a forgotten session (402) says "handshake".
        this._state = "unconnected";
        const action = reply.advice?.reconnect ?? "retry";
        this.log(`connect refused (${reply.error ?? "no reason"}), advice ${action}`);
        if (action === "handshake" || action === "none") this.clientId = undefined;
        if (action === "handshake") continue;
        throw new ProtocolError(`connect failed: ${reply.error ?? "unknown"}`, action === "none");
      } catch (err) {
        if (this.stopped) break;
        this._state = "unconnected";
        if (err instanceof ProtocolError && err.rehandshake) this.clientId = undefined;
        backoff = Math.min(this.maxBackoffMs, backoff === 0 ? this.backoffMs : backoff * 2);
        this.log(`bayeux: ${err instanceof Error ? err.message : String(err)}; retrying in ${backoff} ms`);
        try {
          await delay(backoff, undefined, { signal: this.stopper.signal });
        } catch {
          break;
        }
      }
    }
  }

  private async handshake(): Promise<void> {
    const id = this.id();
    const replies = await this.send(
      [
        {
          channel: "/meta/handshake",
          version: "1.0",
          minimumVersion: "1.0",
          supportedConnectionTypes: ["long-polling"],
          advice: { timeout: this.holdMs, interval: 0 },
          id,
        },
      ],
      this.requestSignal(15_000),
    );
    const reply = replies.find((m) => m.channel === "/meta/handshake");
    if (!reply?.successful || typeof reply.clientId !== "string") {
      throw new ProtocolError(`handshake failed: ${reply?.error ?? "no handshake reply"}`, true);
    }
    this.clientId = reply.clientId;
  }

  private async subscribe(): Promise<void> {
    const clientId = this.clientId!;
    const messages = this.options.subscriptions.map((subscription) => ({
      channel: "/meta/subscribe",
      clientId,
      subscription,
      id: this.id(),
    }));
    if (messages.length === 0) return;
    const replies = await this.send(messages, this.requestSignal(15_000));
    for (const m of messages) {
      const reply = replies.find((r) => r.channel === "/meta/subscribe" && r.id === m.id);
      if (!reply?.successful) {
        throw new ProtocolError(`subscribe ${m.subscription} failed: ${reply?.error ?? "no reply"}`, true);
      }
    }
  }

  /** One long poll. Data messages that ride on the reply are handed out before the connect reply is looked at. */
  private async connect(first: boolean): Promise<BayeuxMessage> {
    const id = this.id();
    // The first connect of a session asks for an immediate answer, so "connected" is known at once.
    const hold = first ? 0 : this.holdMs;
    const replies = await this.send(
      [
        {
          channel: "/meta/connect",
          clientId: this.clientId!,
          connectionType: "long-polling",
          advice: { timeout: hold, interval: 0 },
          id,
        },
      ],
      this.requestSignal(hold + 30_000),
    );
    let reply: BayeuxMessage | undefined;
    for (const m of replies) {
      if (m.channel === "/meta/connect") {
        if (m.id === undefined || m.id === id) reply = m;
      } else if (!m.channel.startsWith("/meta/") && m.data !== undefined) {
        try {
          this.options.onMessage(m);
        } catch (err) {
          this.log(`message handler failed: ${String(err)}`);
        }
      }
    }
    if (!reply) throw new ProtocolError("no /meta/connect reply", false);
    return reply;
  }

  private requestSignal(timeoutMs: number): AbortSignal {
    return AbortSignal.any([this.stopper.signal, AbortSignal.timeout(timeoutMs)]);
  }

  private async send(messages: BayeuxMessage[], signal: AbortSignal): Promise<BayeuxMessage[]> {
    const res = await fetch(this.options.url, {
      method: "POST",
      headers: {
        ...this.options.headers(),
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(messages),
      signal,
    });
    const text = await res.text();
    if (!res.ok) throw new ProtocolError(`HTTP ${res.status} from ${this.options.url}`, res.status === 401);
    // Long-held replies may start with keep-alive spaces; an empty body means no messages.
    const trimmed = text.trim();
    if (trimmed === "") return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new ProtocolError("reply is not JSON", false);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter(
      (m): m is BayeuxMessage =>
        typeof m === "object" && m !== null && typeof (m as { channel?: unknown }).channel === "string",
    );
  }
}
