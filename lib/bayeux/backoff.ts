/**
 * Doubling waits from `baseMs` up to `maxMs`, each jittered to 50–100 % of its value, so that many clients of
 * one platform (a console's subscribers, a fleet of agents) do not all come back in the same instant.
 */
export class Backoff {
  private current = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next wait, ms. */
  next(): number {
    this.current = Math.min(this.maxMs, this.current === 0 ? this.baseMs : this.current * 2);
    return Math.max(1, Math.round(this.current * (0.5 + 0.5 * this.random())));
  }

  reset(): void {
    this.current = 0;
  }
}
