import "server-only";
import { registrationStatusSchema, type RegistrationStatus } from "@/lib/schemas/registrations";
import type { RegistrationChange } from "@/lib/schemas/events";
import { UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import { sleep, type Clock } from "./clock";

/**
 * Device registration requests have no real-time channel on the platform, so one poller per credential reads
 * them and turns differences into `registration.changed` events for every tab of that operator (instead of every
 * tab polling on its own). The first read is the baseline and produces no event.
 */

/** The platform's largest page (docs/platform-api.md §2.5). */
const PAGE_SIZE = 2000;
/** 100,000 requests; a guard against an endless list. */
const MAX_PAGES = 50;
/** More changes than this in one poll are announced as "truncated" (the client refetches anyway). */
const MAX_CHANGES_PER_EVENT = 500;

/** A request as one poll saw it. */
interface Seen {
  status: RegistrationStatus;
  /**
   * Tells a request apart from an earlier one with the same id: removed (or its credentials collected) and
   * registered again between two polls, it may be back in the very same status, and is still a change.
   */
  creationTime: string | undefined;
}

export interface RegistrationsPollerOptions {
  platform: () => PlatformClient;
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
  private snapshot: Map<string, Seen> | undefined;
  private healthy = false;

  constructor(private readonly options: RegistrationsPollerOptions) {}

  /** Whether the last poll succeeded. */
  get ok(): boolean {
    return this.healthy;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  private setHealth(ok: boolean) {
    if (this.healthy === ok) return;
    this.healthy = ok;
    this.options.onHealth(ok);
  }

  private async run(): Promise<void> {
    let wait = 0;
    while (!this.stopper.signal.aborted) {
      try {
        const current = await this.read();
        if (this.stopper.signal.aborted) return;
        if (this.snapshot) this.announce(this.snapshot, current);
        this.snapshot = current;
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

  private async read(): Promise<Map<string, Seen>> {
    const platform = this.options.platform();
    const out = new Map<string, Seen>();
    for (let currentPage = 1; currentPage <= MAX_PAGES; currentPage++) {
      const page = body(
        await platform.GET("/devicecontrol/newDeviceRequests", {
          params: { query: { pageSize: PAGE_SIZE, currentPage } },
          signal: this.stopper.signal,
        }),
      );
      for (const r of page.newDeviceRequests) {
        const status = registrationStatusSchema.safeParse(r.status);
        if (status.success) out.set(r.id, { status: status.data, creationTime: r.creationTime });
      }
      // `next` is no end-of-data signal on this platform; a short page is (§2.5).
      if (page.newDeviceRequests.length < PAGE_SIZE) break;
    }
    return out;
  }

  private announce(before: Map<string, Seen>, after: Map<string, Seen>) {
    const changes: RegistrationChange[] = [];
    for (const [id, now] of after) {
      const was = before.get(id);
      if (was?.status !== now.status || was.creationTime !== now.creationTime)
        changes.push({ id, status: now.status });
    }
    for (const id of before.keys()) if (!after.has(id)) changes.push({ id, status: null });
    if (changes.length === 0) return;
    const truncated = changes.length > MAX_CHANGES_PER_EVENT;
    this.options.onChanges(truncated ? changes.slice(0, MAX_CHANGES_PER_EVENT) : changes, truncated);
  }
}
