import "server-only";
import { randomBytes } from "node:crypto";
import {
  eventTopic,
  parseTopic,
  topicCovers,
  type LiveDataEvent,
  type LiveEvent,
  type LiveOperation,
  type LiveTopic,
  type OperationStatus,
  type UpstreamState,
} from "@/lib/schemas/events";
import type { UpstreamAuth } from "../session";
import { createPlatformClient, type PlatformClient } from "../upstream/client";
import { BayeuxClient, type BayeuxClientEvent, type BayeuxClientOptions } from "@/lib/bayeux/client";
import type { Clock, Timer } from "./clock";
import { isStale, readOperations, type OperationsScope } from "./reconcile";
import { RegistrationsPoller } from "./registrations-poller";
import { encodeComment, encodeEvent, encodeRetry, type LiveSink } from "./sse";
import { channelForTopic, translateDelivery } from "./translate";

/**
 * One operator credential's live feed in this server process: a Bayeux subscriber (started with the first
 * Bayeux topic), a registrations poller (while some tab wants registrations), reference counts of every topic
 * over all open streams, the numbered events with a bounded replay buffer, and the fan-out to the streams.
 */

export type BayeuxTuning = Pick<
  BayeuxClientOptions,
  "holdMs" | "keepAliveMs" | "graceMs" | "requestTimeoutMs" | "backoffMs" | "maxBackoffMs" | "deniedRetryMs"
>;

export interface HubSettings {
  clock: Clock;
  /** Replaces fetch for Bayeux and REST calls (tests point it at a loopback proxy). */
  fetch?: typeof fetch;
  bayeux: BayeuxTuning;
  /** Events kept for Last-Event-ID replay: at most this many, none older than maxAgeMs. */
  replayEvents: number;
  replayMaxAgeMs: number;
  heartbeatMs: number;
  /** EventSource reconnect delay announced with `retry:`. */
  retryMs: number;
  registrationsPollMs: number;
  /**
   * How long a topic no stream wants any more stays subscribed: a tab that reconnects (or swaps its stream)
   * within this time resumes with replay instead of a refetch.
   */
  lingerMs: number;
  log: (line: string) => void;
}

export interface HubOptions extends HubSettings {
  /** Short, non-secret id for logs and request ids. */
  label: string;
  auth: UpstreamAuth;
  /** The platform's base URL (the session's `platformUrl`). */
  platformUrl: string;
  /** The platform refused the credential: the registry forgets the hub and refuses it for a while. */
  onRefused: (hub: LiveHub) => void;
}

interface StoredEvent {
  seq: number;
  at: number;
  topic: LiveTopic;
  chunk: Uint8Array;
}

interface StreamState {
  sink: LiveSink;
  /** False while `attach` runs: the preamble and replay go out before any state event. */
  ready: boolean;
  /** Last state sent with `upstream.changed`. */
  state: UpstreamState | undefined;
  /** Topics whose data the client must refetch once they are live, and why. */
  resync: { reason: "initial" | "gap" | "restart" | "upstream"; topics: Set<LiveTopic> } | undefined;
}

/** How many operation statuses the hub remembers for ordering and reconciliation. */
const KNOWN_OPERATIONS = 10_000;

export class LiveHub {
  /** Identifies this hub instance in event ids: an id from another instance cannot be resumed. */
  readonly epoch = randomBytes(4).toString("hex");
  private seq = 0;
  private readonly buffer: StoredEvent[] = [];
  private readonly streams = new Map<LiveSink, StreamState>();
  /** Streams per topic; 0 while a topic lingers (see `lingerMs`). */
  private readonly topicRefs = new Map<LiveTopic, number>();
  private readonly lingering = new Map<LiveTopic, Timer>();
  /** Sequence number current when a topic first became live; events after it are complete for the topic. */
  private readonly liveSince = new Map<LiveTopic, number>();
  private bayeux: BayeuxClient | undefined;
  private poller: RegistrationsPoller | undefined;
  private pollerTrouble = false;
  private readonly operations = new Map<string, { status: OperationStatus; deviceId: string }>();
  private heartbeat: Timer | undefined;
  private stopped = false;
  private refusedFlag = false;
  private reconciling: Promise<void> = Promise.resolve();
  private requestCount = 0;
  private readonly abort = new AbortController();
  readonly counters = { published: 0, dropped: 0, reconciliations: 0 };

  constructor(private readonly options: HubOptions) {}

  get streamCount(): number {
    return this.streams.size;
  }

  get refused(): boolean {
    return this.refusedFlag;
  }

  /** Upstream Bayeux figures, for the benchmark and health checks. */
  get bayeuxStats() {
    return this.bayeux ? { status: this.bayeux.status, ...this.bayeux.stats } : undefined;
  }

  /** Resolves when the REST work started so far (seeding, reconciliation) has finished. */
  settled(): Promise<void> {
    return this.reconciling;
  }

  /** Id of the newest event: where a client stands after a resync. */
  get headId(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /**
   * Adds a stream: counts its topics, replays what it missed since `lastEventId` (or schedules a `resync`), and
   * tells it the upstream state.
   */
  attach(sink: LiveSink, lastEventId: string | undefined): void {
    if (this.stopped) {
      sink.end();
      return;
    }
    const state: StreamState = { sink, ready: false, state: undefined, resync: undefined };
    this.streams.set(sink, state);
    for (const topic of sink.topics) this.addTopic(topic);
    if (!this.send(sink, encodeRetry(this.options.retryMs))) return;
    this.replay(state, lastEventId);
    if (!this.streams.has(sink)) return;
    state.ready = true;
    this.ensureHeartbeat();
    this.refresh(state);
  }

  /** Removes a stream (idempotent); its topics' counts drop, unused channels are unsubscribed. */
  detach(sink: LiveSink): void {
    if (!this.streams.delete(sink)) return;
    for (const topic of sink.topics) this.removeTopic(topic);
    if (this.streams.size === 0) {
      this.heartbeat?.cancel();
      this.heartbeat = undefined;
    }
  }

  /** Stops the upstream subscriber and poller; open streams are ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const goodbye = !this.refusedFlag;
    this.stopped = true;
    this.abort.abort();
    this.heartbeat?.cancel();
    for (const timer of this.lingering.values()) timer.cancel();
    this.lingering.clear();
    for (const s of [...this.streams.keys()]) s.end();
    this.streams.clear();
    // A refused credential would only earn the goodbye a 401.
    await Promise.all([this.bayeux?.stop({ goodbye }), this.poller?.stop(), this.reconciling]);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Topics and upstream sources
  // -------------------------------------------------------------------------------------------------------------

  private addTopic(topic: LiveTopic) {
    const known = this.topicRefs.has(topic);
    this.topicRefs.set(topic, (this.topicRefs.get(topic) ?? 0) + 1);
    this.lingering.get(topic)?.cancel();
    this.lingering.delete(topic);
    if (known) return;
    if (topic === "registrations") {
      this.startPoller();
      return;
    }
    const channel = channelForTopic(topic)!;
    this.startBayeux().subscribe(channel);
  }

  private removeTopic(topic: LiveTopic) {
    const n = Math.max(0, (this.topicRefs.get(topic) ?? 0) - 1);
    this.topicRefs.set(topic, n);
    if (n > 0 || this.lingering.has(topic) || this.stopped) return;
    this.lingering.set(
      topic,
      this.options.clock.setTimeout(() => {
        this.lingering.delete(topic);
        if (this.topicRefs.get(topic) === 0) this.dropTopic(topic);
      }, this.options.lingerMs),
    );
  }

  private dropTopic(topic: LiveTopic) {
    this.topicRefs.delete(topic);
    this.liveSince.delete(topic);
    if (topic === "registrations") {
      const poller = this.poller;
      this.poller = undefined;
      this.pollerTrouble = false;
      void poller?.stop();
      return;
    }
    this.bayeux?.unsubscribe(channelForTopic(topic)!);
  }

  private platform(): PlatformClient {
    this.requestCount += 1;
    return createPlatformClient({
      auth: this.options.auth,
      requestId: `live-${this.options.label}-${this.requestCount}`,
      signal: this.abort.signal,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }

  private startBayeux(): BayeuxClient {
    if (this.bayeux) return this.bayeux;
    const { auth } = this.options;
    const authorization = auth.scheme === "bearer" ? `Bearer ${auth.token}` : `Basic ${auth.credentials}`;
    // The handshake ext carries the same credential (realtime.md §2.2): base64 Basic or the JWT itself.
    const token = auth.scheme === "bearer" ? auth.token : auth.credentials;
    this.bayeux = new BayeuxClient({
      ...this.options.bayeux,
      url: `${this.options.platformUrl}/notification/realtime`,
      headers: () => ({ authorization }),
      handshakeExt: () => ({ "com.cumulocity.authn": { token } }),
      clock: this.options.clock,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      onEvent: (e) => this.onBayeux(e),
      log: (line) => this.options.log(`[live ${this.options.label}] ${line}`),
    });
    this.bayeux.start();
    return this.bayeux;
  }

  private startPoller() {
    this.poller = new RegistrationsPoller({
      platform: () => this.platform(),
      clock: this.options.clock,
      intervalMs: this.options.registrationsPollMs,
      onChanges: (changes, truncated) =>
        this.publish({ type: "registration.changed", data: { changes, truncated } }),
      onHealth: (ok) => {
        this.pollerTrouble = !ok;
        this.updateLiveness();
      },
      onRefused: () => this.refuse(),
      log: (line) => this.options.log(`[live ${this.options.label}] ${line}`),
    });
    this.poller.start();
  }

  private onBayeux(e: BayeuxClientEvent) {
    switch (e.type) {
      case "message":
        for (const event of translateDelivery(e.channel, e.data)) this.onUpstreamEvent(event);
        return;
      case "status":
        if (e.status === "refused") this.refuse();
        else this.updateLiveness();
        return;
      case "subscriptions":
        this.updateLiveness();
        return;
      case "session":
        this.updateLiveness();
        if (e.gap) this.afterGap(e.since);
        return;
      case "subscribe-failed":
        this.options.log(`[live ${this.options.label}] subscription ${e.channel} refused: ${e.error}`);
        return;
    }
  }

  /** Whether a topic's source is delivering right now. */
  private isLive(topic: LiveTopic): boolean {
    if (topic === "registrations") return this.poller?.ok === true;
    const b = this.bayeux;
    return b?.status === "connected" && b.subscribed.has(channelForTopic(topic)!);
  }

  private isTroubled(topic: LiveTopic): boolean {
    if (topic === "registrations") return this.pollerTrouble;
    const status = this.bayeux?.status;
    return status === "reconnecting" || status === "denied";
  }

  /** Records topics that just became live and re-evaluates every stream. */
  private updateLiveness() {
    if (this.stopped) return;
    for (const topic of this.topicRefs.keys()) {
      if (this.liveSince.has(topic) || !this.isLive(topic)) continue;
      this.liveSince.set(topic, this.seq);
      if (topic !== "registrations" && parseTopic(topic)?.resource === "operations") this.seed(topic);
    }
    for (const state of this.streams.values()) this.refresh(state);
  }

  private streamState(sink: LiveSink): UpstreamState {
    let troubled = false;
    let waiting = false;
    for (const topic of sink.topics) {
      if (this.isLive(topic)) continue;
      waiting = true;
      if (this.isTroubled(topic)) troubled = true;
    }
    return !waiting ? "connected" : troubled ? "reconnecting" : "connecting";
  }

  /** Sends a stream its state when it changed, and its pending resync once its topics are live. */
  private refresh(state: StreamState) {
    if (!state.ready) return;
    const next = this.streamState(state.sink);
    if (next !== state.state) {
      state.state = next;
      if (!this.send(state.sink, encodeEvent({ type: "upstream.changed", data: { state: next } }))) return;
    }
    if (next === "connected" && state.resync) {
      const { reason, topics } = state.resync;
      state.resync = undefined;
      const event: LiveEvent = { type: "resync", data: { reason, topics: [...topics].sort() } };
      this.send(state.sink, encodeEvent({ id: this.headId, ...event }));
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------------------------

  /** A change from the platform: operations are ordered by status (a late, older status is dropped). */
  private onUpstreamEvent(event: LiveDataEvent) {
    if (event.type === "operation.created" || event.type === "operation.updated") {
      const op = event.data.operation;
      if (isStale(this.operations.get(op.id)?.status, op.status)) return;
      this.remember(op);
    } else if (event.type === "operation.deleted") this.operations.delete(event.data.id);
    this.publish(event);
  }

  private remember(op: LiveOperation) {
    this.operations.delete(op.id);
    this.operations.set(op.id, { status: op.status, deviceId: op.deviceId });
    if (this.operations.size > KNOWN_OPERATIONS) {
      const oldest = this.operations.keys().next().value;
      if (oldest !== undefined) this.operations.delete(oldest);
    }
  }

  /** Numbers an event, keeps it for replay, and writes it to every stream whose topics cover it. */
  publish(event: LiveDataEvent): void {
    if (this.stopped) return;
    this.seq += 1;
    this.counters.published += 1;
    const topic = eventTopic(event);
    const chunk = encodeEvent({ id: this.headId, ...event });
    const now = this.options.clock.now();
    this.buffer.push({ seq: this.seq, at: now, topic, chunk });
    this.prune(now);
    for (const sink of [...this.streams.keys()]) {
      if ([...sink.topics].some((t) => topicCovers(t, topic))) this.send(sink, chunk);
    }
  }

  private prune(now: number) {
    const { replayEvents, replayMaxAgeMs } = this.options;
    let drop = Math.max(0, this.buffer.length - replayEvents);
    while (drop < this.buffer.length && now - this.buffer[drop]!.at > replayMaxAgeMs) drop += 1;
    if (drop > 0) this.buffer.splice(0, drop);
  }

  /** Writes to a stream; a stream that cannot take it (gone, or too slow) is detached. */
  private send(sink: LiveSink, chunk: Uint8Array): boolean {
    const attached = this.streams.has(sink);
    if (sink.write(chunk)) return true;
    // The sink closed itself (and its owner detaches it); counted when that happened on this write.
    if (attached && !this.streams.has(sink)) this.counters.dropped += 1;
    this.detach(sink);
    return false;
  }

  /**
   * Replays events after `lastEventId` that the stream's topics cover. Topics that were not yet live at that
   * point (or an id this hub cannot resume from) get a resync instead, sent once they are live.
   */
  private replay(state: StreamState, lastEventId: string | undefined) {
    const topics = [...state.sink.topics];
    if (topics.length === 0) return;
    if (lastEventId === undefined) {
      state.resync = { reason: "initial", topics: new Set(topics) };
      return;
    }
    const dot = lastEventId.lastIndexOf(".");
    const epoch = lastEventId.slice(0, dot);
    const seq = Number(lastEventId.slice(dot + 1));
    if (dot < 0 || epoch !== this.epoch || !Number.isSafeInteger(seq) || seq < 0 || seq > this.seq) {
      state.resync = { reason: "restart", topics: new Set(topics) };
      return;
    }
    this.prune(this.options.clock.now());
    const first = this.buffer[0]?.seq ?? this.seq + 1;
    if (seq < first - 1) {
      state.resync = { reason: "gap", topics: new Set(topics) };
      return;
    }
    const uncovered = topics.filter((t) => !this.coveredSince(t, seq));
    if (uncovered.length > 0) state.resync = { reason: "initial", topics: new Set(uncovered) };
    for (const e of this.buffer) {
      if (e.seq <= seq || !topics.some((t) => topicCovers(t, e.topic))) continue;
      if (!this.send(state.sink, e.chunk)) return;
    }
  }

  /** Whether every event for `topic` after `seq` went through this hub (some subscription covering it was live). */
  private coveredSince(topic: LiveTopic, seq: number): boolean {
    for (const [live, since] of this.liveSince) {
      if (since <= seq && topicCovers(live, topic)) return true;
    }
    return false;
  }

  private ensureHeartbeat() {
    if (this.heartbeat || this.stopped) return;
    const beat = () => {
      this.heartbeat = undefined;
      if (this.streams.size === 0 || this.stopped) return;
      const chunk = encodeComment("keep-alive");
      for (const sink of [...this.streams.keys()]) this.send(sink, chunk);
      this.ensureHeartbeat();
    };
    this.heartbeat = this.options.clock.setTimeout(beat, this.options.heartbeatMs);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reconciliation
  // -------------------------------------------------------------------------------------------------------------

  private operationScopes(topics: Iterable<LiveTopic>): OperationsScope[] {
    const scopes: OperationsScope[] = [];
    for (const topic of topics) {
      const parsed = parseTopic(topic);
      if (parsed?.resource !== "operations") continue;
      if (parsed.id === "*") return [{ deviceId: undefined }];
      scopes.push({ deviceId: parsed.id });
    }
    return scopes;
  }

  /** Learns the in-flight operations of a newly live scope, without events, so a later gap can be reconciled. */
  private seed(topic: LiveTopic) {
    const scopes = this.operationScopes([topic]);
    this.reconciling = this.reconciling
      .then(async () => {
        const result = await readOperations(this.platform(), scopes, {
          since: undefined,
          inFlight: new Map(),
          signal: this.abort.signal,
        });
        for (const op of result.operations) {
          if (!isStale(this.operations.get(op.id)?.status, op.status)) this.remember(op);
        }
      })
      .catch((err: unknown) => this.reconcileFailed("seeding", err));
  }

  /**
   * The Bayeux session was re-established after a loss (or a failed long-poll): operations are reconciled over
   * REST and the differences published as events; device topics get a resync, because deletions that happened
   * meanwhile cannot be found by any query.
   */
  private afterGap(since: number | undefined) {
    const topics = [...this.topicRefs.keys()];
    const deviceTopics = topics.filter((t) => parseTopic(t)?.resource === "devices");
    if (deviceTopics.length > 0) {
      for (const state of this.streams.values()) {
        const wanted = [...state.sink.topics].filter((t) => parseTopic(t)?.resource === "devices");
        if (wanted.length === 0) continue;
        const resync = state.resync ?? { reason: "upstream" as const, topics: new Set<LiveTopic>() };
        for (const t of wanted) resync.topics.add(t);
        state.resync = resync;
        this.refresh(state);
      }
    }
    const scopes = this.operationScopes(topics);
    if (scopes.length === 0) return;
    this.counters.reconciliations += 1;
    this.reconciling = this.reconciling
      .then(async () => {
        const inFlight = new Map<string, string>();
        for (const [id, known] of this.operations)
          if (known.status === "PENDING" || known.status === "EXECUTING") inFlight.set(id, known.deviceId);
        const result = await readOperations(this.platform(), scopes, {
          since,
          inFlight,
          signal: this.abort.signal,
        });
        if (this.stopped) return;
        for (const op of result.operations) {
          const known = this.operations.get(op.id);
          if (known?.status === op.status || isStale(known?.status, op.status)) continue;
          const created =
            known === undefined &&
            since !== undefined &&
            op.creationTime !== null &&
            Date.parse(op.creationTime) >= since;
          this.onUpstreamEvent({
            type: created ? "operation.created" : "operation.updated",
            data: { operation: op },
          });
        }
        for (const d of result.deleted) this.onUpstreamEvent({ type: "operation.deleted", data: d });
        if (result.incomplete) this.resyncOperations();
      })
      .catch((err: unknown) => {
        this.reconcileFailed("reconciliation", err);
        this.resyncOperations();
      });
  }

  /** When reconciliation could not be complete, streams with operation topics refetch instead. */
  private resyncOperations() {
    for (const state of this.streams.values()) {
      const wanted = [...state.sink.topics].filter((t) => parseTopic(t)?.resource === "operations");
      if (wanted.length === 0) continue;
      const resync = state.resync ?? { reason: "upstream" as const, topics: new Set<LiveTopic>() };
      for (const t of wanted) resync.topics.add(t);
      state.resync = resync;
      this.refresh(state);
    }
  }

  private reconcileFailed(what: string, err: unknown) {
    if (this.stopped) return;
    const status = (err as { status?: unknown }).status;
    if (status === 401) {
      this.refuse();
      return;
    }
    this.options.log(
      `[live ${this.options.label}] ${what} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  /** The credential was refused: every stream hears `session.ended` and is closed; no retry loops. */
  private refuse() {
    if (this.refusedFlag || this.stopped) return;
    this.refusedFlag = true;
    const chunk = encodeEvent({ type: "session.ended", data: { reason: "credentials_refused" } });
    for (const sink of [...this.streams.keys()]) {
      sink.write(chunk);
      sink.end();
    }
    this.options.onRefused(this);
  }
}
