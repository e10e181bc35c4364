import {
  LIVE_EVENT_TYPES,
  eventTopic,
  liveEventSchema,
  topicResource,
  type LiveEvent,
  type LiveTopic,
} from "@/lib/schemas/events";
import { liveStatus, type LiveState, type LiveStatusStore } from "./status";

/**
 * The tab's one event stream (`GET /api/events`): opens an EventSource for the topics the page needs, swaps it
 * when they change (resuming from the last event id, so nothing falls between the two), validates every event,
 * hands data events to `onEvent` once each, and keeps the tab's live status.
 *
 * EventSource reconnects by itself after a network error and sends Last-Event-ID; the server replays or says
 * `resync`. After an HTTP error (401, 403, 5xx) it gives up instead: then this class asks `onClosed` to check the
 * session and opens a new stream after a back-off.
 */

/** The part of EventSource this class uses (tests pass a stand-in). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

const CLOSED = 2;

export interface LiveConnectionOptions {
  onEvent: (event: LiveEvent) => void;
  /** The platform refused the operator's credential: the session is over. */
  onSessionEnded: () => void;
  /** The browser gave up on the stream after an HTTP error; a good moment to check the session. */
  onClosed?: () => void;
  createEventSource?: (url: string) => EventSourceLike;
  store?: LiveStatusStore;
  /** Not live for this long → `offline`. */
  offlineAfterMs?: number;
  /** Waits before reopening a stream the browser gave up on: first, and largest. */
  reopenMs?: number;
  maxReopenMs?: number;
  endpoint?: string;
  log?: (message: string) => void;
}

export class LiveConnection {
  private readonly store: LiveStatusStore;
  private readonly createEventSource: (url: string) => EventSourceLike;
  private topics: LiveTopic[] = [];
  private source: EventSourceLike | undefined;
  private lastEventId: string | undefined;
  private everLive = false;
  private reopenDelay = 0;
  private swapTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: LiveConnectionOptions) {
    this.store = options.store ?? liveStatus;
    this.createEventSource =
      options.createEventSource ?? ((url) => new EventSource(url, { withCredentials: true }));
  }

  /** The topics to follow; a change reopens the stream (batched with other changes in the same tick). */
  setTopics(topics: readonly LiveTopic[]): void {
    const next = [...new Set(topics)].sort();
    if (next.join(",") === this.topics.join(",") && (this.source || next.length === 0)) return;
    this.topics = next;
    if (this.swapTimer !== undefined) clearTimeout(this.swapTimer);
    this.swapTimer = setTimeout(() => {
      this.swapTimer = undefined;
      this.open();
    }, 0);
  }

  /** The browser went offline or online again. */
  setOnline(online: boolean): void {
    if (this.closed) return;
    if (!online) {
      this.setState("offline");
      return;
    }
    // Back online: do not wait for the back-off of a stream the browser had given up on. A stream that still
    // looks open may have died silently meanwhile, and nothing would tell this tab it is live again: it is swapped
    // for a fresh one resuming from the last event id (replay or resync), which reports the upstream state anew.
    this.open();
  }

  close(): void {
    this.closed = true;
    for (const t of [this.swapTimer, this.reopenTimer, this.offlineTimer])
      if (t !== undefined) clearTimeout(t);
    this.source?.close();
    this.source = undefined;
  }

  private open() {
    if (this.closed) return;
    if (this.reopenTimer !== undefined) clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    this.source?.close();
    this.source = undefined;
    this.store.update({ topics: this.topics });
    if (this.topics.length === 0) return;
    const params = new URLSearchParams({ topics: this.topics.join(",") });
    if (this.lastEventId) params.set("lastEventId", this.lastEventId);
    const source = this.createEventSource(`${this.options.endpoint ?? "/api/events"}?${params.toString()}`);
    // The state follows what the new stream reports: a swap between live topics stays live. Otherwise the
    // offline countdown starts now, in case the stream never gets going.
    this.source = source;
    const state = this.store.get().state;
    if (state !== "live" && state !== "offline") this.setState(this.everLive ? "reconnecting" : "connecting");
    for (const type of LIVE_EVENT_TYPES)
      source.addEventListener(type, (e) => this.onMessage(source, type, e as MessageEvent<string>));
    source.addEventListener("error", () => this.onError(source));
  }

  private setState(state: LiveState) {
    const previous = this.store.get().state;
    // What was shown was current until the moment the stream stopped being live.
    if (previous === "live" && state !== "live") this.store.confirm(this.topics.map(topicResource));
    if (previous !== state) this.store.update({ state });
    if (state === "live" || state === "offline") {
      if (this.offlineTimer !== undefined) clearTimeout(this.offlineTimer);
      this.offlineTimer = undefined;
    } else if (this.offlineTimer === undefined) {
      this.offlineTimer = setTimeout(() => {
        this.offlineTimer = undefined;
        if (this.store.get().state !== "live") this.setState("offline");
      }, this.options.offlineAfterMs ?? 15_000);
    }
  }

  private onMessage(source: EventSourceLike, type: string, message: MessageEvent<string>) {
    if (source !== this.source || this.closed) return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      data = undefined;
    }
    const parsed = liveEventSchema.safeParse({ type, data });
    if (!parsed.success) {
      this.options.log?.(`live: ignored a malformed ${type} event`);
      return;
    }
    const event = parsed.data;
    // Only data events and resync carry ids; an EventSource repeats the last id on the events after it.
    const numbered = event.type !== "upstream.changed" && event.type !== "session.ended";
    if (numbered && message.lastEventId && !this.isNew(message.lastEventId, event.type)) return;
    switch (event.type) {
      case "upstream.changed":
        if (event.data.state === "connected") {
          this.everLive = true;
          this.reopenDelay = 0;
          this.setState("live");
          this.store.confirm(this.topics.map(topicResource));
        } else if (this.store.get().state !== "offline")
          this.setState(this.everLive ? "reconnecting" : "connecting");
        return;
      case "session.ended":
        this.close();
        this.options.onSessionEnded();
        return;
      case "resync":
        this.store.confirm(event.data.topics.map(topicResource));
        this.options.onEvent(event);
        return;
      default:
        this.store.confirm([topicResource(eventTopic(event))]);
        this.options.onEvent(event);
    }
  }

  /**
   * Remembers the resume point; false for an event this tab already had (ids are `<epoch>.<sequence>` of the
   * server's subscriber; a stream swap may replay one the old stream also delivered).
   */
  private isNew(id: string, type: LiveEvent["type"]): boolean {
    const [epoch, seqText] = id.split(".");
    const seq = Number(seqText);
    const [lastEpoch, lastSeqText] = (this.lastEventId ?? "").split(".");
    const lastSeq = Number(lastSeqText);
    if (epoch === lastEpoch && seq <= lastSeq && type !== "resync") return false;
    this.lastEventId = id;
    return true;
  }

  private onError(source: EventSourceLike) {
    if (source !== this.source || this.closed) return;
    if (this.store.get().state !== "offline") this.setState(this.everLive ? "reconnecting" : "connecting");
    if (source.readyState !== CLOSED) return; // the browser is reconnecting on its own
    source.close();
    this.source = undefined;
    this.options.onClosed?.();
    const first = this.options.reopenMs ?? 2_000;
    this.reopenDelay =
      this.reopenDelay === 0 ? first : Math.min(this.options.maxReopenMs ?? 60_000, this.reopenDelay * 2);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.open();
    }, this.reopenDelay);
  }
}
