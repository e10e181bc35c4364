import "server-only";
import { topicCovers, type LiveTopic, type ResyncReason, type UpstreamState } from "@/lib/schemas/events";
import type { Clock, Timer } from "./clock";
import { encodeComment, encodeEvent, type LiveSink } from "./sse";

/**
 * The open event streams of one hub: writing to them (a stream that cannot take a chunk, gone or too slow, leaves
 * the set), fan-out by topic, the comment heartbeat, and per stream the last upstream state it was told and the
 * resync it still owes. A resync goes out only once the stream's topics are live, so a refetch made on it cannot
 * miss anything (docs/live-updates.md, "Ids, replay and resync").
 */
export interface StreamSetOptions {
  clock: Clock;
  heartbeatMs: number;
  /** Whether the sources of a stream's topics deliver right now. */
  stateOf: (sink: LiveSink) => UpstreamState;
  /** The id a resync carries: the newest event's, where the client resumes from. */
  headId: () => string;
  /** A stream left the set on a failed write: the owner releases its topics. */
  onGone: (sink: LiveSink) => void;
}

interface StreamState {
  /** False until `open`: the preamble and replay go out before any state event. */
  ready: boolean;
  /** The state last sent with `upstream.changed`. */
  state: UpstreamState | undefined;
  resync: { reason: ResyncReason; topics: Set<LiveTopic> } | undefined;
}

export class StreamSet {
  private readonly streams = new Map<LiveSink, StreamState>();
  private heartbeat: Timer | undefined;
  /** Streams that were attached when a write to them failed (too slow, since a closed one leaves at once). */
  dropped = 0;

  constructor(private readonly options: StreamSetOptions) {}

  get size(): number {
    return this.streams.size;
  }

  /** Adds a stream that only `send` reaches until `open`. */
  add(sink: LiveSink): void {
    this.streams.set(sink, { ready: false, state: undefined, resync: undefined });
  }

  /** The stream is set up: it hears state changes from now on, and `resync` once its topics are live. */
  open(sink: LiveSink, resync: { reason: ResyncReason; topics: readonly LiveTopic[] } | undefined): void {
    const state = this.streams.get(sink);
    if (!state) return;
    state.ready = true;
    if (resync) state.resync = { reason: resync.reason, topics: new Set(resync.topics) };
    this.ensureHeartbeat();
    this.refresh(sink, state);
  }

  /** Takes a stream out (idempotent); false when it was not in the set. */
  remove(sink: LiveSink): boolean {
    if (!this.streams.delete(sink)) return false;
    if (this.streams.size === 0) this.stopHeartbeat();
    return true;
  }

  /** Writes one chunk; a stream that cannot take it leaves the set (and `onGone` is told). */
  send(sink: LiveSink, chunk: Uint8Array): boolean {
    const attached = this.streams.has(sink);
    if (sink.write(chunk)) return true;
    if (attached) this.dropped += 1;
    if (this.remove(sink)) this.options.onGone(sink);
    return false;
  }

  /** One event to every stream whose topics cover `topic`. */
  broadcast(topic: LiveTopic, chunk: Uint8Array): void {
    for (const sink of [...this.streams.keys()])
      if ([...sink.topics].some((t) => topicCovers(t, topic))) this.send(sink, chunk);
  }

  /** Streams with topics `pick` chooses owe a resync of them (added to one they owe already). */
  requestResync(reason: ResyncReason, pick: (topic: LiveTopic) => boolean): void {
    for (const [sink, state] of [...this.streams]) {
      const wanted = [...sink.topics].filter(pick);
      if (wanted.length === 0) continue;
      state.resync ??= { reason, topics: new Set() };
      for (const t of wanted) state.resync.topics.add(t);
      this.refresh(sink, state);
    }
  }

  /** Sends every stream its state where it changed, and the resyncs now due. */
  refreshAll(): void {
    for (const [sink, state] of [...this.streams]) this.refresh(sink, state);
  }

  /** Writes `last` (if any) to every stream and ends them all. */
  endAll(last?: Uint8Array): void {
    // Ending a stream lets its owner detach it as usual (topics released); then nothing is left.
    for (const sink of [...this.streams.keys()]) {
      if (last) sink.write(last);
      sink.end();
    }
    this.streams.clear();
    this.stopHeartbeat();
  }

  private refresh(sink: LiveSink, state: StreamState) {
    if (!state.ready || !this.streams.has(sink)) return;
    const next = this.options.stateOf(sink);
    if (next !== state.state) {
      state.state = next;
      if (!this.send(sink, encodeEvent({ type: "upstream.changed", data: { state: next } }))) return;
    }
    if (next !== "connected" || !state.resync) return;
    const { reason, topics } = state.resync;
    state.resync = undefined;
    const data = { reason, topics: [...topics].sort() };
    this.send(sink, encodeEvent({ id: this.options.headId(), type: "resync", data }));
  }

  private ensureHeartbeat() {
    if (this.heartbeat) return;
    this.heartbeat = this.options.clock.setTimeout(() => {
      this.heartbeat = undefined;
      if (this.streams.size === 0) return;
      const chunk = encodeComment("keep-alive");
      for (const sink of [...this.streams.keys()]) this.send(sink, chunk);
      if (this.streams.size > 0) this.ensureHeartbeat();
    }, this.options.heartbeatMs);
  }

  private stopHeartbeat() {
    this.heartbeat?.cancel();
    this.heartbeat = undefined;
  }
}
