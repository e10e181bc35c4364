import "server-only";
import type { RegistrationChange } from "@/lib/schemas/events";
import { UpstreamError } from "../errors";
import type { RegistrationsView } from "../registrations-view";
import { sleep, type Clock } from "./clock";

/**
 * Device registration requests have no real-time channel on the platform. This poller follows the credential's
 * shared view of them (lib/server/registrations-view.ts): every `intervalMs` it asks the view to be fresh, which
 * costs the platform a small change check most of the time and a whole read only now and then, and turns the
 * view's differences (whoever caused the read: this poller, a list call, a write through the BFF) into
 * `registration.changed` events for every tab of that operator. The view's first state is the baseline and
 * produces no event; a request registered again in the same status is a change too (compared with its
 * creationTime, in the view).
 */

/** More changes than this in one event are announced as "truncated" (the client refetches anyway). */
const MAX_CHANGES_PER_EVENT = 500;

export interface RegistrationsPollerOptions {
  view: RegistrationsView;
  clock: Clock;
  intervalMs: number;
  /** Longest wait between attempts while the platform fails. */
  maxBackoffMs?: number;
  onChanges: (changes: RegistrationChange[], truncated: boolean) => void;
  /** `ok`: the last read succeeded (a baseline exists); false while reads fail. */
  onHealth: (ok: boolean) => void;
  /** The platform refused the credential (401): the poller has stopped. */
  onRefused: () => void;
  log?: (line: string) => void;
}

export class RegistrationsPoller {
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private healthy = false;

  constructor(private readonly options: RegistrationsPollerOptions) {}

  /** Whether the last poll succeeded. */
  get ok(): boolean {
    return this.healthy;
  }

  start(): void {
    if (this.loop) return;
    this.unsubscribe = this.options.view.subscribe((changes) => this.announce(changes));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.unsubscribe?.();
    await this.loop;
  }

  private setHealth(ok: boolean) {
    if (this.healthy === ok) return;
    this.healthy = ok;
    this.options.onHealth(ok);
  }

  /** The view's answer, or the stop: a read shared with list calls is not aborted for this poller's sake. */
  private async fresh(): Promise<void> {
    const signal = this.stopper.signal;
    let onAbort = () => undefined as void;
    const stopped = new Promise<void>((resolve) => (onAbort = resolve));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([this.options.view.entries(), stopped]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private async run(): Promise<void> {
    let wait = 0;
    while (!this.stopper.signal.aborted) {
      try {
        await this.fresh();
        if (this.stopper.signal.aborted) return;
        this.setHealth(true);
        wait = this.options.intervalMs;
      } catch (err) {
        if (this.stopper.signal.aborted) return;
        if (err instanceof UpstreamError && err.status === 401) {
          this.setHealth(false);
          this.options.onRefused();
          return;
        }
        this.options.log?.(`registrations poll failed: ${err instanceof Error ? err.message : String(err)}`);
        this.setHealth(false);
        wait = Math.min(this.options.maxBackoffMs ?? 30_000, Math.max(this.options.intervalMs, wait * 2));
      }
      try {
        await sleep(this.options.clock, wait, this.stopper.signal);
      } catch {
        return;
      }
    }
  }

  private announce(changes: RegistrationChange[]) {
    if (this.stopper.signal.aborted || changes.length === 0) return;
    const truncated = changes.length > MAX_CHANGES_PER_EVENT;
    this.options.onChanges(truncated ? changes.slice(0, MAX_CHANGES_PER_EVENT) : changes, truncated);
  }
}
