import type { Scheduler } from "../../emulator/platform/scheduler.js";

/**
 * A clock and scheduler for the emulator that only move when the test says so: pass `now` and `scheduler` to
 * startTestPlatform, then `advance(ms)` runs every periodic task that falls due on the way, at its due time.
 */
export class ManualTime {
  private ms: number;
  private readonly tasks = new Set<{ period: number; due: number; run: () => void }>();

  constructor(start = Date.parse("2024-05-02T08:00:00.000Z")) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  readonly scheduler: Scheduler = {
    every: (period, run) => {
      const task = { period, due: this.ms + period, run };
      this.tasks.add(task);
      return () => void this.tasks.delete(task);
    },
  };

  advance(ms: number): void {
    const target = this.ms + ms;
    for (;;) {
      let next: { period: number; due: number; run: () => void } | undefined;
      for (const t of this.tasks) if (t.due <= target && (!next || t.due < next.due)) next = t;
      if (!next) break;
      this.ms = next.due;
      next.due += next.period;
      next.run();
    }
    this.ms = target;
  }
}
