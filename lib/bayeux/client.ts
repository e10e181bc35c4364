import { Backoff } from "./backoff";
import { sleep, systemClock, type Clock, type Timer } from "./clock";

/**
 * A small Bayeux long-polling client on fetch (docs/realtime.md §2, §4, §6.3), shared by the console's
 * server-side subscriber (the live hub) and the simulated agents. It holds no secret: the credential comes in
 * through `headers` and `handshakeExt`. No CometD library: cometd-nodejs-client installs a global `window` and
 * patches `console`, which must not happen in the Next.js server process, and it lacks what a long-lived
 * subscriber needs anyway:
 *
 * - `Accept` on every POST (the platform answers an empty body without one) and the credential both as the
 *   `Authorization` header and in the handshake's `com.cumulocity.authn` ext;
 * - advice obeyed: `reconnect` (retry / handshake / none), `interval` before the next connect, `timeout` to size
 *   the watchdog; back-off with a cap on failures, but short jittered probes while the platform does not answer
 *   at all, and a new handshake at once when it answers again with `402` (see `RetryPlan`);
 * - a watchdog: a long-poll that neither answers nor sends a keep-alive byte within the advised hold (at most the
 *   platform's 10-minute keep-alive) plus a grace period is abandoned and the session started afresh, because
 *   deliveries written into a dead connection are lost;
 * - re-handshake on `402::Unknown client`, then every wanted channel subscribed again in one batch;
 * - a `session` event after the first good connect of every session, saying whether events may have been missed
 *   (a new session after a lost one, or a failed connect in between), so the owner can reconcile over REST;
 * - no loops on refused credentials: HTTP 401 ends the client for good (`refused`); a denied handshake stops it
 *   for `deniedRetryMs`.
 */

export interface BayeuxAdvice {
  reconnect?: "retry" | "handshake" | "none";
  interval?: number;
  timeout?: number;
}

export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  subscription?: string | string[];
  advice?: BayeuxAdvice;
  data?: unknown;
  [key: string]: unknown;
}

/**
 * - `idle`: not started; `handshaking`: first session being set up; `connected`: a session with its wanted
 *   channels; `reconnecting`: a session was lost or a request failed, recovering; `denied`: the platform refused
 *   the handshake, waiting long before trying again; `refused`: the credential was refused, stopped for good;
 *   `stopped`: stopped by its owner.
 */
export type BayeuxStatus =
  "idle" | "handshaking" | "connected" | "reconnecting" | "denied" | "refused" | "stopped";

export type BayeuxClientEvent =
  | { type: "status"; status: BayeuxStatus }
  | { type: "message"; channel: string; data: unknown }
  /**
   * The first successful connect of a session (or the first one after a failed connect). `gap`: events may have
   * been missed since `since` (platform time, ms, of the last good connect reply before the trouble).
   */
  | { type: "session"; gap: boolean; since: number | undefined }
  /** The channels subscribed in the current session changed. */
  | { type: "subscriptions"; active: ReadonlySet<string> }
  | { type: "subscribe-failed"; channel: string; error: string };

export interface BayeuxClientOptions {
  /** The endpoint, e.g. `https://tenant.example.com/notification/realtime`. */
  url: string;
  /** Headers for every POST (Authorization). */
  headers: () => Record<string, string>;
  /** `ext` of every handshake (the credential again, for servers that read it from there). */
  handshakeExt?: () => Record<string, unknown>;
  onEvent: (event: BayeuxClientEvent) => void;
  fetch?: typeof fetch;
  clock?: Clock;
  /** The hold asked for with every connect (`advice.timeout`), ms. Default 50 s, under common proxy limits. */
  holdMs?: number;
  /** The platform writes a space into a held long-poll this often, ms. Default 10 minutes. */
  keepAliveMs?: number;
  /** Added to the expected hold before the watchdog gives up on a long-poll, ms. Default 15 s. */
  graceMs?: number;
  /** Deadline of handshake, subscribe and disconnect requests, ms. Default 15 s. */
  requestTimeoutMs?: number;
  /**
   * First and largest wait after an exchange the platform answered badly (5xx, no or bad reply, no answer in
   * time) or a session lost again right after a new handshake, ms. Doubles in between. Defaults 1 s and 30 s.
   */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * First and largest wait while the platform does not answer at all (connection refused or reset), ms. Such a
   * probe costs one small request, so it stays short: the client is live again soon after the platform is back.
   * Doubles in between. Defaults 250 ms and 1 s.
   */
  probeMs?: number;
  maxProbeMs?: number;
  /** Source of the jitter on every back-off and probe wait (each is 50–100 % of its nominal value). */
  random?: () => number;
  /** Wait after a denied handshake before trying again, ms. Default 5 minutes. */
  deniedRetryMs?: number;
  log?: (line: string) => void;
}

/** The credential was refused (HTTP 401): retrying cannot help. */
class RefusedError extends Error {}
/** The platform denied the handshake itself. */
class DeniedError extends Error {}
/**
 * A failed exchange; `rehandshake`: the session is unusable; `unreachable`: the platform did not answer at all
 * (connection refused or reset), as opposed to answering badly.
 */
class ExchangeError extends Error {
  constructor(
    message: string,
    readonly rehandshake: boolean,
    readonly unreachable = false,
  ) {
    super(message);
  }
}
class WatchdogAbort extends Error {}
class SessionLost extends Error {}
class Stopped extends Error {}

const UNKNOWN_CLIENT = /^402:/;

/**
 * Why the last attempt failed: `unreachable`, the platform did not answer (connection refused or reset);
 * `failing`, it answered badly; `lost`, it no longer knows the session (402, or the watchdog gave up on it).
 */
type Trouble = "unreachable" | "failing" | "lost";

/**
 * How long to wait before the next attempt. Each kind of trouble has its own pace: probes while the platform is
 * unreachable stay short (a platform coming back is noticed within a probe interval), bad answers back off up
 * to half a minute, and a lost session is set up again at once unless the previous attempt lost one too (a 402
 * after network errors is the platform back after a restart: handshake now, not after another back-off).
 */
class RetryPlan {
  private readonly backoff: Backoff;
  private readonly probe: Backoff;
  private last: Trouble | undefined;

  constructor(o: {
    backoffMs: number;
    maxBackoffMs: number;
    probeMs: number;
    maxProbeMs: number;
    random: () => number;
  }) {
    this.backoff = new Backoff(o.backoffMs, o.maxBackoffMs, o.random);
    this.probe = new Backoff(o.probeMs, o.maxProbeMs, o.random);
  }

  recovered() {
    this.backoff.reset();
    this.probe.reset();
    this.last = undefined;
  }

  /** The wait before the next attempt; `quiet` when it is one more of a series already logged. */
  after(trouble: Trouble, why: string): { ms: number; why: string; quiet: boolean } {
    const previous = this.last;
    this.last = trouble;
    const quiet = trouble === "unreachable" && previous === "unreachable";
    if (trouble === "lost" && previous !== "lost") return { ms: 0, why, quiet };
    const ms = trouble === "unreachable" ? this.probe.next() : this.backoff.next();
    return { ms, why, quiet };
  }
}

export class BayeuxClient {
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private readonly holdMs: number;
  private readonly keepAliveMs: number;
  private readonly graceMs: number;
  private readonly requestTimeoutMs: number;
  private readonly deniedRetryMs: number;
  private readonly retry: RetryPlan;

  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private _status: BayeuxStatus = "idle";
  private clientId: string | undefined;
  private nextId = 1;
  private advice: BayeuxAdvice = {};
  private readonly wanted = new Set<string>();
  private readonly active = new Set<string>();
  /** A session existed before (the next one is a re-handshake). */
  private hadSession = false;
  /** Events may have been missed since the last good connect (set by any failure). */
  private suspect = false;
  /** Platform time (ms) of the last successful connect reply. */
  private lastGood: number | undefined;
  private currentConnect: AbortController | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private readonly counters = { handshakes: 0, connects: 0, deliveries: 0 };

  constructor(private readonly options: BayeuxClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.holdMs = options.holdMs ?? 50_000;
    this.keepAliveMs = options.keepAliveMs ?? 600_000;
    this.graceMs = options.graceMs ?? 15_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.deniedRetryMs = options.deniedRetryMs ?? 300_000;
    this.retry = new RetryPlan({
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      probeMs: options.probeMs ?? 250,
      maxProbeMs: options.maxProbeMs ?? 1_000,
      random: options.random ?? Math.random,
    });
  }

  get status(): BayeuxStatus {
    return this._status;
  }

  /** Handshakes, connects and subscriptions so far (for health checks and the benchmark). */
  get stats(): Readonly<{ handshakes: number; connects: number; deliveries: number }> {
    return { ...this.counters };
  }

  /** Channels subscribed in the current session. */
  get subscribed(): ReadonlySet<string> {
    return this.active;
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run().catch((err: unknown) => {
      this.log(`loop ended unexpectedly: ${describe(err)}`);
      this.setStatus("stopped");
    });
  }

  /** Adds a channel; it is subscribed now when a session is up, else with the next handshake. */
  subscribe(channel: string): void {
    if (this.wanted.has(channel)) return;
    this.wanted.add(channel);
    this.kickSync();
  }

  unsubscribe(channel: string): void {
    if (!this.wanted.delete(channel)) return;
    this.kickSync();
  }

  /**
   * Ends the outstanding connect, says goodbye to the server (best effort, unless `goodbye` is false, e.g. when
   * the credential was just refused) and stops for good.
   */
  async stop(options: { goodbye?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopper.abort(new Stopped("stopped"));
    this.setStatus("stopped");
    await this.loop;
    await this.syncing;
    const clientId = this.clientId;
    this.clientId = undefined;
    if (!clientId || options.goodbye === false) return;
    try {
      await this.exchange([{ channel: "/meta/disconnect", clientId, id: this.id() }], {
        timeoutMs: Math.min(this.requestTimeoutMs, 2_000),
        ignoreStop: true,
      });
    } catch {
      // The server forgets the session on its own when no connect follows.
    }
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private log(line: string) {
    this.options.log?.(`bayeux: ${line}`);
  }

  private id(): string {
    return String(this.nextId++);
  }

  private emit(event: BayeuxClientEvent) {
    try {
      this.options.onEvent(event);
    } catch (err) {
      this.log(`event handler failed: ${describe(err)}`);
    }
  }

  private setStatus(status: BayeuxStatus) {
    if (this._status === status || (this._status === "stopped" && status !== "stopped")) return;
    this._status = status;
    this.emit({ type: "status", status });
  }

  private dropSession() {
    if (this.clientId) this.hadSession = true;
    this.clientId = undefined;
    if (this.active.size > 0) {
      this.active.clear();
      this.emit({ type: "subscriptions", active: this.active });
    }
  }

  private async run(): Promise<void> {
    let first = true;
    while (!this.stopped) {
      let next: { ms: number; why: string; quiet?: boolean };
      try {
        if (!this.clientId) {
          this.setStatus(this.hadSession || this.suspect ? "reconnecting" : "handshaking");
          await this.handshake();
          await this.syncSubscriptions();
          first = true;
        }
        const { reply, serverTime } = await this.connect();
        if (this.stopped) break;
        if (reply.successful) {
          this.retry.recovered();
          if (first || this.suspect) {
            const gap = this.hadSession || this.suspect;
            const since = this.lastGood;
            first = false;
            this.suspect = false;
            this.lastGood = serverTime;
            this.setStatus("connected");
            this.emit({ type: "session", gap, since });
            // Channels wanted while the session was being set up.
            this.kickSync();
          } else this.lastGood = serverTime;
          const interval = this.advice.interval ?? 0;
          if (interval > 0 && !(await this.pause(interval))) break;
          continue;
        }
        const action = reply.advice?.reconnect ?? "retry";
        this.log(`connect unsuccessful (${reply.error ?? "no error"}), advice ${action}`);
        if (action === "none") throw new DeniedError(`connect refused: ${reply.error ?? "advice none"}`);
        this.suspect = true;
        this.setStatus("reconnecting");
        if (action === "handshake" || UNKNOWN_CLIENT.test(reply.error ?? "")) {
          this.dropSession();
          next = this.retry.after("lost", "session unknown to the platform");
        } else next = this.retry.after("failing", "connect unsuccessful");
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof RefusedError) {
          this.log(`credentials refused (${err.message}); stopping`);
          this.dropSession();
          this.setStatus("refused");
          return;
        }
        this.suspect = true;
        if (err instanceof DeniedError) {
          this.log(`${err.message}; next attempt in ${this.deniedRetryMs} ms`);
          this.dropSession();
          this.setStatus("denied");
          this.retry.recovered();
          if (!(await this.pause(this.deniedRetryMs))) break;
          continue;
        }
        this.setStatus("reconnecting");
        if (err instanceof WatchdogAbort || err instanceof SessionLost) {
          this.dropSession();
          next = this.retry.after("lost", describe(err));
        } else {
          if (err instanceof ExchangeError && err.rehandshake) this.dropSession();
          const unreachable = err instanceof ExchangeError && err.unreachable;
          next = this.retry.after(unreachable ? "unreachable" : "failing", describe(err));
        }
      }
      if (next.ms === 0) continue;
      if (!next.quiet) this.log(`${next.why}; next attempt in ${next.ms} ms`);
      if (!(await this.pause(next.ms))) break;
    }
  }

  /** Waits on the clock; false when stopped meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(this.clock, ms, this.stopper.signal);
      return true;
    } catch {
      return false;
    }
  }

  private async handshake(): Promise<void> {
    this.counters.handshakes += 1;
    const message: BayeuxMessage = {
      channel: "/meta/handshake",
      version: "1.0",
      minimumVersion: "1.0",
      supportedConnectionTypes: ["long-polling"],
      advice: { timeout: this.holdMs, interval: 0 },
      id: this.id(),
    };
    const ext = this.options.handshakeExt?.();
    if (ext) message.ext = ext;
    const { messages } = await this.exchange([message], { timeoutMs: this.requestTimeoutMs });
    const reply = messages.find((m) => m.channel === "/meta/handshake");
    if (!reply) throw new ExchangeError("no handshake reply", true);
    if (!reply.successful || typeof reply.clientId !== "string") {
      const error = reply.error ?? "handshake unsuccessful";
      if (error.startsWith("403") || reply.advice?.reconnect === "none")
        throw new DeniedError(`handshake denied: ${error}`);
      throw new ExchangeError(`handshake failed: ${error}`, true);
    }
    this.clientId = reply.clientId;
    this.advice = { ...reply.advice };
  }

  /**
   * Brings the server's subscriptions in line with the wanted channels. After a handshake it runs inside the
   * main loop (one batch for everything); later changes run beside the held connect, one request at a time.
   */
  private async syncSubscriptions(): Promise<void> {
    for (;;) {
      const clientId = this.clientId;
      if (!clientId || this.stopped) return;
      const add = [...this.wanted].filter((c) => !this.active.has(c));
      const remove = [...this.active].filter((c) => !this.wanted.has(c));
      if (add.length === 0 && remove.length === 0) return;
      const sent: { message: BayeuxMessage; channel: string; subscribe: boolean }[] = [
        ...add.map((channel) => ({ channel, subscribe: true })),
        ...remove.map((channel) => ({ channel, subscribe: false })),
      ].map(({ channel, subscribe }) => ({
        channel,
        subscribe,
        message: {
          channel: subscribe ? "/meta/subscribe" : "/meta/unsubscribe",
          clientId,
          subscription: channel,
          id: this.id(),
        },
      }));
      const { messages } = await this.exchange(
        sent.map((s) => s.message),
        { timeoutMs: this.requestTimeoutMs },
      );
      this.deliver(messages);
      if (this.clientId !== clientId) return;
      let changed = false;
      for (const s of sent) {
        const reply = messages.find((m) => m.id === s.message.id && m.channel === s.message.channel);
        if (reply?.successful) {
          if (s.subscribe && this.wanted.has(s.channel)) this.active.add(s.channel);
          if (!s.subscribe) this.active.delete(s.channel);
          changed = true;
          continue;
        }
        const error = reply?.error ?? "no reply";
        if (UNKNOWN_CLIENT.test(error)) throw new SessionLost(`${s.message.channel} ${s.channel}: ${error}`);
        if (s.subscribe) {
          // A refusal is final for this channel (retrying would loop); the owner hears about it.
          this.wanted.delete(s.channel);
          this.emit({ type: "subscribe-failed", channel: s.channel, error });
        } else {
          this.active.delete(s.channel);
          changed = true;
        }
      }
      if (changed) this.emit({ type: "subscriptions", active: this.active });
    }
  }

  /** Runs `syncSubscriptions` beside the held connect when a session is up; coalesces bursts of changes. */
  private kickSync() {
    if (!this.clientId || this._status !== "connected" || this.stopped) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncSubscriptions();
        } while (this.syncAgain);
      } catch (err) {
        if (this.stopped) return;
        this.log(`subscription change failed: ${describe(err)}`);
        // The session is in doubt: abandon the held connect so the main loop starts over.
        if (err instanceof SessionLost || (err instanceof ExchangeError && err.rehandshake))
          this.currentConnect?.abort(new SessionLost("subscription found the session gone"));
        else this.currentConnect?.abort(new ExchangeError(describe(err), false));
      } finally {
        this.syncing = undefined;
      }
    })();
  }

  /** One long-poll; deliveries riding on the reply are handed out before the connect reply is looked at. */
  private async connect(): Promise<{ reply: BayeuxMessage; serverTime: number }> {
    const clientId = this.clientId!;
    const id = this.id();
    this.counters.connects += 1;
    // The first connect of a session asks for an immediate answer, so "connected" is known at once.
    const hold = this._status === "connected" && !this.suspect ? this.holdMs : 0;
    const expectedHold = Math.min(this.advice.timeout ?? this.holdMs, this.keepAliveMs);
    const controller = new AbortController();
    this.currentConnect = controller;
    try {
      const { messages, serverTime } = await this.exchange(
        [
          {
            channel: "/meta/connect",
            clientId,
            connectionType: "long-polling",
            advice: { timeout: hold, interval: 0 },
            id,
          },
        ],
        { timeoutMs: expectedHold + this.graceMs, extraSignal: controller.signal, watchdog: true },
      );
      this.deliver(messages);
      const reply = messages.find(
        (m) => m.channel === "/meta/connect" && (m.id === undefined || m.id === id),
      );
      if (!reply) throw new ExchangeError("no /meta/connect reply", false);
      if (reply.advice) this.advice = { ...this.advice, ...reply.advice };
      return { reply, serverTime };
    } finally {
      if (this.currentConnect === controller) this.currentConnect = undefined;
    }
  }

  /** Data messages may ride on any reply but the handshake's (Bayeux §3 rule 8). */
  private deliver(messages: BayeuxMessage[]) {
    for (const m of messages) {
      if (m.channel.startsWith("/meta/") || m.data === undefined) continue;
      this.counters.deliveries += 1;
      this.emit({ type: "message", channel: m.channel, data: m.data });
    }
  }

  /**
   * One POST. The deadline restarts with every chunk of the body, so a long-poll kept alive by the platform's
   * whitespace heartbeat is not mistaken for a dead one.
   */
  private async exchange(
    messages: BayeuxMessage[],
    options: { timeoutMs: number; extraSignal?: AbortSignal; watchdog?: boolean; ignoreStop?: boolean },
  ): Promise<{ messages: BayeuxMessage[]; serverTime: number }> {
    const controller = new AbortController();
    const abort = (reason: Error) => {
      if (!controller.signal.aborted) controller.abort(reason);
    };
    const onStop = () => abort(new Stopped("stopped"));
    const onExtra = () => abort(options.extraSignal!.reason as Error);
    if (!options.ignoreStop) {
      if (this.stopped) throw new Stopped("stopped");
      this.stopper.signal.addEventListener("abort", onStop, { once: true });
    }
    options.extraSignal?.addEventListener("abort", onExtra, { once: true });
    const expire = () =>
      abort(
        options.watchdog
          ? new WatchdogAbort(`no answer or keep-alive on a long-poll for ${options.timeoutMs} ms`)
          : new ExchangeError(`no answer within ${options.timeoutMs} ms`, false),
      );
    let deadline: Timer = this.clock.setTimeout(expire, options.timeoutMs);
    try {
      const res = await this.fetchImpl(this.options.url, {
        method: "POST",
        headers: {
          ...this.options.headers(),
          "content-type": "application/json;charset=UTF-8",
          accept: "application/json",
        },
        body: JSON.stringify(messages),
        signal: controller.signal,
        redirect: "error",
      });
      if (res.status === 401) {
        await res.body?.cancel().catch(() => undefined);
        throw new RefusedError("HTTP 401");
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new ExchangeError(`HTTP ${res.status}`, false);
      }
      const text = await readText(res, () => {
        deadline.cancel();
        deadline = this.clock.setTimeout(expire, options.timeoutMs);
      });
      const date = Date.parse(res.headers.get("date") ?? "");
      return { messages: parseMessages(text), serverTime: Number.isNaN(date) ? this.clock.now() : date };
    } catch (err) {
      // An abort carries its own reason (watchdog, stop, session lost); anything else is the network's.
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      if (err instanceof RefusedError || err instanceof ExchangeError) throw err;
      throw new ExchangeError(`platform unreachable: ${describe(err)}`, false, true);
    } finally {
      deadline.cancel();
      this.stopper.signal.removeEventListener("abort", onStop);
      options.extraSignal?.removeEventListener("abort", onExtra);
    }
  }
}

/** Largest reply read: a platform delivering more than this in one long-poll is not one we can keep up with. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

async function readText(res: Response, onChunk: () => void): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new ExchangeError("reply too large", true);
    }
    onChunk();
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** A reply body: a JSON array of messages (a single object is tolerated); leading keep-alive spaces are fine. */
function parseMessages(text: string): BayeuxMessage[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new ExchangeError("reply is not JSON", false);
  }
  const list: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter(
    (m): m is BayeuxMessage =>
      typeof m === "object" && m !== null && typeof (m as { channel?: unknown }).channel === "string",
  );
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset) is its cause.
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
