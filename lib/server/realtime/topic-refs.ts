import "server-only";
import type { LiveTopic } from "@/lib/schemas/events";
import type { Clock, Timer } from "./clock";

/**
 * Reference counts of the topics a hub's streams follow. The first stream wanting a topic starts its source
 * (`onFirst`); when the last one leaves, the topic lingers for `lingerMs` before its source is stopped
 * (`onDrop`), so a reload or a stream swap that comes back in time finds it still live and resumes with replay
 * instead of a refetch (docs/live-updates.md, "One subscriber per credential").
 */
export interface TopicRefsOptions {
  clock: Clock;
  lingerMs: number;
  onFirst: (topic: LiveTopic) => void;
  onDrop: (topic: LiveTopic) => void;
}

export class TopicRefs {
  /** Streams per topic; 0 while a topic lingers. */
  private readonly counts = new Map<LiveTopic, number>();
  private readonly lingering = new Map<LiveTopic, Timer>();
  private closed = false;

  constructor(private readonly options: TopicRefsOptions) {}

  /** Every topic whose source runs: wanted by a stream, or lingering. */
  get topics(): LiveTopic[] {
    return [...this.counts.keys()];
  }

  /** Streams following `topic` now (0 while it lingers or when it is not held). */
  count(topic: LiveTopic): number {
    return this.counts.get(topic) ?? 0;
  }

  add(topic: LiveTopic): void {
    if (this.closed) return;
    const held = this.counts.has(topic);
    this.counts.set(topic, this.count(topic) + 1);
    this.lingering.get(topic)?.cancel();
    this.lingering.delete(topic);
    if (!held) this.options.onFirst(topic);
  }

  remove(topic: LiveTopic): void {
    if (this.closed || !this.counts.has(topic)) return;
    const n = Math.max(0, this.count(topic) - 1);
    this.counts.set(topic, n);
    if (n > 0 || this.lingering.has(topic)) return;
    const timer = this.options.clock.setTimeout(() => {
      this.lingering.delete(topic);
      if (this.count(topic) > 0) return;
      this.counts.delete(topic);
      this.options.onDrop(topic);
    }, this.options.lingerMs);
    this.lingering.set(topic, timer);
  }

  /** Forgets everything without calling `onDrop` (the owner stops its sources itself). */
  close(): void {
    this.closed = true;
    for (const timer of this.lingering.values()) timer.cancel();
    this.lingering.clear();
    this.counts.clear();
  }
}
