import "server-only";
import {
  eventTopic,
  topicResource,
  type LiveDataEvent,
  type LiveTopic,
  type UpstreamState,
} from "@/lib/schemas/events";
import type { UpstreamAuth } from "../session";
import { createPlatformClient, type PlatformClient } from "../upstream/client";
import { BayeuxClient, type BayeuxClientEvent, type BayeuxClientOptions } from "@/lib/bayeux/client";
import type { Clock } from "./clock";
import { OperationsReconciler, type ReconcileLimits } from "./operations-reconciler";
import { registrationViews, type RegistrationViews } from "../registrations-view";
import { RegistrationsPoller } from "./registrations-poller";
import { ReplayLog } from "./replay-log";
import { encodeEvent, encodeRetry, type LiveSink } from "./sse";
import { StreamSet } from "./stream-set";
import { TopicRefs } from "./topic-refs";
import { channelForTopic, translateDelivery } from "./translate";

/**
 * One operator credential's live feed in this server process. The hub wires its parts: the sources (a Bayeux
 * subscriber from the first Bayeux topic on, a registrations poller while some stream wants registrations), the
 * topic reference counts (`TopicRefs`), the numbered events and their replay (`ReplayLog`), the operations
 * reconciler (`OperationsReconciler`) and the open streams (`StreamSet`). What it decides itself: when a topic is
 * live, what each stream is told about that, and that a refused credential ends everything.
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
  /** Where the registrations poller finds its credential's view; the process-wide views when absent. */
  registrationViews?: RegistrationViews;
  /**
   * How long a topic no stream wants any more stays subscribed: a tab that reconnects (or swaps its stream)
   * within this time resumes with replay instead of a refetch.
   */
  lingerMs: number;
  /** Limits of the operations reconciliation after a lost session (defaults in `DEFAULT_RECONCILE_LIMITS`). */
  reconcile?: Partial<ReconcileLimits>;
  log: (line: string) => void;
}

export interface HubOptions extends HubSettings {
  /** Short, non-secret id for logs and request ids. */
  label: string;
  auth: UpstreamAuth;
  /** The platform's base URL and the tenant (the session's): they key the credential's registrations view. */
  platformUrl: string;
  tenant: string;
  /** The platform refused the credential: the registry forgets the hub and refuses it for a while. */
  onRefused: (hub: LiveHub) => void;
}

/** The hub's Bayeux subscriber on the realtime endpoint, with the session's credential. */
function createBayeuxClient(options: HubOptions, onEvent: (e: BayeuxClientEvent) => void): BayeuxClient {
  const { auth } = options;
  const authorization = auth.scheme === "bearer" ? `Bearer ${auth.token}` : `Basic ${auth.credentials}`;
  // The handshake ext carries the same credential (docs/realtime.md §2.2): base64 Basic or the JWT itself.
  const token = auth.scheme === "bearer" ? auth.token : auth.credentials;
  return new BayeuxClient({
    ...options.bayeux,
    url: `${options.platformUrl}/notification/realtime`,
    headers: () => ({ authorization }),
    handshakeExt: () => ({ "com.cumulocity.authn": { token } }),
    clock: options.clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onEvent,
    log: (line) => options.log(`[live ${options.label}] ${line}`),
  });
}

export class LiveHub {
  private readonly events: ReplayLog;
  private readonly refs: TopicRefs;
  private readonly streams: StreamSet;
  private readonly operations: OperationsReconciler;
  private bayeux: BayeuxClient | undefined;
  private poller: RegistrationsPoller | undefined;
  private pollerTrouble = false;
  private stopped = false;
  private refused = false;
  private requestCount = 0;
  private published = 0;
  private readonly abort = new AbortController();

  constructor(private readonly options: HubOptions) {
    const { clock } = options;
    this.events = new ReplayLog({ clock, maxEvents: options.replayEvents, maxAgeMs: options.replayMaxAgeMs });
    this.refs = new TopicRefs({
      clock,
      lingerMs: options.lingerMs,
      onFirst: (topic) => this.startSource(topic),
      onDrop: (topic) => this.stopSource(topic),
    });
    this.streams = new StreamSet({
      clock,
      heartbeatMs: options.heartbeatMs,
      stateOf: (sink) => this.stateOf(sink),
      headId: () => this.events.headId,
      onGone: (sink) => this.release(sink),
    });
    this.operations = new OperationsReconciler({
      clock,
      platform: () => this.platform(),
      signal: this.abort.signal,
      ...(options.reconcile ? { limits: options.reconcile } : {}),
      publish: (event) => this.publish(event),
      onIncomplete: () => this.streams.requestResync("upstream", (t) => topicResource(t) === "operations"),
      onRefused: () => this.refuse(),
      log: (line) => this.say(line),
    });
  }

  /** Identifies this hub instance in event ids: an id from another instance cannot be resumed. */
  get epoch(): string {
    return this.events.epoch;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Events published, streams dropped for not keeping up, reconciliations started. */
  get counters() {
    return {
      published: this.published,
      dropped: this.streams.dropped,
      reconciliations: this.operations.reconciliations,
    };
  }

  /** Upstream Bayeux figures, for the benchmark and health checks. */
  get bayeuxStats() {
    return this.bayeux ? { status: this.bayeux.status, ...this.bayeux.stats } : undefined;
  }

  /** Resolves when the REST work started so far (seeding, reconciliation) has finished. */
  settled(): Promise<void> {
    return this.operations.settled();
  }

  /**
   * Adds a stream: counts its topics, replays what it missed since `lastEventId` (or owes it a `resync`), and
   * tells it the upstream state.
   */
  attach(sink: LiveSink, lastEventId: string | undefined): void {
    if (this.stopped) {
      sink.end();
      return;
    }
    this.streams.add(sink);
    for (const topic of sink.topics) this.refs.add(topic);
    if (!this.streams.send(sink, encodeRetry(this.options.retryMs))) return;
    const { replay, resync } = this.events.resume(lastEventId, [...sink.topics]);
    for (const chunk of replay) if (!this.streams.send(sink, chunk)) return;
    this.streams.open(sink, resync);
  }

  /** Removes a stream (idempotent); its topics' counts drop, unused channels are unsubscribed after lingering. */
  detach(sink: LiveSink): void {
    if (this.streams.remove(sink)) this.release(sink);
  }

  /** Stops the upstream subscriber and poller; open streams are ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    // A refused credential would only earn the goodbye a 401.
    const goodbye = !this.refused;
    this.stopped = true;
    this.abort.abort();
    this.refs.close();
    this.streams.endAll();
    await Promise.all([this.bayeux?.stop({ goodbye }), this.poller?.stop(), this.operations.settled()]);
  }

  /** Numbers an event, keeps it for replay, and writes it to every stream whose topics cover it. */
  private publish(event: LiveDataEvent): void {
    if (this.stopped) return;
    this.published += 1;
    const topic = eventTopic(event);
    const chunk = this.events.append(topic, (id) => encodeEvent({ id, ...event }));
    this.streams.broadcast(topic, chunk);
  }

  private release(sink: LiveSink) {
    for (const topic of sink.topics) this.refs.remove(topic);
  }

  // ----- sources -------------------------------------------------------------------------------------------------

  private startSource(topic: LiveTopic) {
    if (topic === "registrations") return this.startPoller();
    if (!this.bayeux) {
      this.bayeux = createBayeuxClient(this.options, (e) => this.onBayeux(e));
      this.bayeux.start();
    }
    this.bayeux.subscribe(channelForTopic(topic)!);
  }

  private stopSource(topic: LiveTopic) {
    this.events.forget(topic);
    if (topic !== "registrations") {
      this.bayeux?.unsubscribe(channelForTopic(topic)!);
      return;
    }
    const poller = this.poller;
    this.poller = undefined;
    this.pollerTrouble = false;
    void poller?.stop();
  }

  private startPoller() {
    const { platformUrl, tenant, auth } = this.options;
    this.poller = new RegistrationsPoller({
      // The same view the list calls of this credential read: one upstream read for both (registrations-view.ts).
      view: (this.options.registrationViews ?? registrationViews()).forCredential({
        platformUrl,
        tenant,
        auth,
      }),
      clock: this.options.clock,
      intervalMs: this.options.registrationsPollMs,
      onChanges: (changes, truncated) =>
        this.publish({ type: "registration.changed", data: { changes, truncated } }),
      onHealth: (ok) => {
        this.pollerTrouble = !ok;
        this.updateLiveness();
      },
      onRefused: () => this.refuse(),
      log: (line) => this.say(line),
    });
    this.poller.start();
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

  private onBayeux(e: BayeuxClientEvent) {
    switch (e.type) {
      case "message":
        for (const d of translateDelivery(e.channel, e.data)) {
          if (d.kind === "operation") this.operations.pushed(d.operation, d.created);
          else if (d.kind === "operation-deleted") this.operations.deleted(d.id, d.deviceId);
          else this.publish(d.event);
        }
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
        this.say(`subscription ${e.channel} refused: ${e.error}`);
        return;
    }
  }

  // ----- liveness ------------------------------------------------------------------------------------------------

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

  private stateOf(sink: LiveSink): UpstreamState {
    const waiting = [...sink.topics].filter((t) => !this.isLive(t));
    if (waiting.length === 0) return "connected";
    return waiting.some((t) => this.isTroubled(t)) ? "reconnecting" : "connecting";
  }

  /** Marks topics that just became live (operations ones are seeded) and re-evaluates every stream. */
  private updateLiveness() {
    if (this.stopped) return;
    for (const topic of this.refs.topics) {
      if (this.events.isLive(topic) || !this.isLive(topic)) continue;
      this.events.markLive(topic);
      if (topicResource(topic) === "operations") this.operations.seed(topic);
    }
    this.streams.refreshAll();
  }

  /**
   * The Bayeux session was re-established after a loss (or a failed long-poll): device topics get a resync,
   * because deletions that happened meanwhile cannot be found by any query; operations are reconciled.
   */
  private afterGap(since: number | undefined) {
    // Bulk operations too: their pushed representation is the whole state, so a refetch is the reconciliation.
    this.streams.requestResync(
      "upstream",
      (t) => topicResource(t) === "devices" || topicResource(t) === "bulkOperations",
    );
    this.operations.afterGap(this.refs.topics, since);
  }

  /** The credential was refused: every stream hears `session.ended` and is closed; no retry loops. */
  private refuse() {
    if (this.refused || this.stopped) return;
    this.refused = true;
    this.streams.endAll(encodeEvent({ type: "session.ended", data: { reason: "credentials_refused" } }));
    this.options.onRefused(this);
  }

  private say(line: string) {
    this.options.log(`[live ${this.options.label}] ${line}`);
  }
}
