import type { Scheduler } from "../../emulator/platform/scheduler.js";

interface Task {
  /** Undefined for a one-shot task. */
  period: number | undefined;
  due: number;
  /** Tasks due at the same time run in the order they were scheduled. */
  seq: number;
  run: () => void;
}

/**
 * A clock and scheduler for the emulator that only move when the test says so: pass `now` and `scheduler` to
 * startTestPlatform, then `advance(ms)` runs every task that falls due on the way, at its due time (periodic ones
 * repeatedly, one-shot ones once). Tasks scheduled while advancing run too when they fall due before the target.
 */
export class ManualTime {
  private ms: number;
  private seq = 0;
  private readonly tasks = new Set<Task>();

  constructor(start = Date.parse("2024-05-02T08:00:00.000Z")) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  readonly scheduler: Scheduler = {
    every: (period, run) => this.add(period, period, run),
    after: (delay, run) => this.add(undefined, Math.max(0, delay), run),
  };

  private add(period: number | undefined, delay: number, run: () => void): () => void {
    const task: Task = { period, due: this.ms + delay, seq: this.seq++, run };
    this.tasks.add(task);
    return () => void this.tasks.delete(task);
  }

  advance(ms: number): void {
    const target = this.ms + ms;
    for (;;) {
      let next: Task | undefined;
      for (const t of this.tasks)
        if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq)))
          next = t;
      if (!next) break;
      this.ms = next.due;
      if (next.period === undefined) this.tasks.delete(next);
      else next.due += next.period;
      next.run();
    }
    this.ms = target;
  }
}
