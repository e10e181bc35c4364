import "server-only";
import { randomBytes } from "node:crypto";
import { topicCovers, type LiveTopic, type ResyncReason } from "@/lib/schemas/events";
import type { Clock } from "./clock";

/**
 * The numbered events of one hub and what a stream that comes back may be replayed (docs/live-updates.md, "Ids,
 * replay and resync"). Ids are `<epoch>.<sequence>`: the epoch names this log, so an id from an earlier hub
 * (server restart, hub stopped when idle) is recognised as such. The log keeps at most `maxEvents` events, none
 * older than `maxAgeMs`, and remembers from which event on each topic was complete (its source live), so a
 * stream is never told "nothing happened" about a time its topic was not followed.
 */
export interface ReplayLogOptions {
  clock: Clock;
  maxEvents: number;
  maxAgeMs: number;
}

interface StoredEvent {
  seq: number;
  at: number;
  topic: LiveTopic;
  chunk: Uint8Array;
}

export interface Resume {
  /** Encoded events after the resume point that the stream's topics cover, oldest first. */
  replay: Uint8Array[];
  /** Topics the stream must refetch (once they are live), and why; undefined when the replay is enough. */
  resync: { reason: ResyncReason; topics: LiveTopic[] } | undefined;
}

export class ReplayLog {
  readonly epoch = randomBytes(4).toString("hex");
  private seq = 0;
  private readonly buffer: StoredEvent[] = [];
  /** The sequence number current when a topic's source became live: later events are complete for it. */
  private readonly liveSince = new Map<LiveTopic, number>();

  constructor(private readonly options: ReplayLogOptions) {}

  /** Id of the newest event: where a client stands after a resync. */
  get headId(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /** Numbers the next event, keeps its encoding (made with its id) for replay and returns it. */
  append(topic: LiveTopic, encode: (id: string) => Uint8Array): Uint8Array {
    this.seq += 1;
    const chunk = encode(this.headId);
    const at = this.options.clock.now();
    this.buffer.push({ seq: this.seq, at, topic, chunk });
    this.prune(at);
    return chunk;
  }

  /** Whether `topic` has been complete since some event (its source went live and stayed followed). */
  isLive(topic: LiveTopic): boolean {
    return this.liveSince.has(topic);
  }

  /** The topic's source is live from now on. */
  markLive(topic: LiveTopic): void {
    if (!this.liveSince.has(topic)) this.liveSince.set(topic, this.seq);
  }

  /** The topic is no longer followed: events after this are not complete for it. */
  forget(topic: LiveTopic): void {
    this.liveSince.delete(topic);
  }

  /**
   * What a stream for `topics` that last saw `lastEventId` needs: the kept events after that id, and a resync
   * for topics that cannot be brought up to date that way. `initial` without an id (a page load) or for topics
   * not yet complete at that point; `restart` for an id of another log (or a malformed one); `gap` for an id older
   * than what is kept.
   */
  resume(lastEventId: string | undefined, topics: readonly LiveTopic[]): Resume {
    const none: Resume = { replay: [], resync: undefined };
    if (topics.length === 0) return none;
    const all = (reason: ResyncReason): Resume => ({ replay: [], resync: { reason, topics: [...topics] } });
    if (lastEventId === undefined) return all("initial");
    const dot = lastEventId.lastIndexOf(".");
    const seq = Number(lastEventId.slice(dot + 1));
    if (dot < 0 || lastEventId.slice(0, dot) !== this.epoch || !Number.isSafeInteger(seq))
      return all("restart");
    if (seq < 0 || seq > this.seq) return all("restart");
    this.prune(this.options.clock.now());
    const first = this.buffer[0]?.seq ?? this.seq + 1;
    if (seq < first - 1) return all("gap");
    const uncovered = topics.filter((t) => !this.completeSince(t, seq));
    return {
      replay: this.buffer
        .filter((e) => e.seq > seq && topics.some((t) => topicCovers(t, e.topic)))
        .map((e) => e.chunk),
      resync: uncovered.length > 0 ? { reason: "initial", topics: uncovered } : undefined,
    };
  }

  /** Whether every event for `topic` after `seq` went through the log (a covering topic was live by then). */
  private completeSince(topic: LiveTopic, seq: number): boolean {
    for (const [live, since] of this.liveSince) if (since <= seq && topicCovers(live, topic)) return true;
    return false;
  }

  private prune(now: number) {
    let drop = Math.max(0, this.buffer.length - this.options.maxEvents);
    while (drop < this.buffer.length && now - this.buffer[drop]!.at > this.options.maxAgeMs) drop += 1;
    if (drop > 0) this.buffer.splice(0, drop);
  }
}
