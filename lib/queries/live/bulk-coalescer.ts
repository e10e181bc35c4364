import type { BulkChildDto, BulkOperationDto } from "@/lib/schemas/bulk-operations";

/**
 * Live events of a bulk operation rollout arrive in bursts: a bulk restart of 1,000 devices is thousands of
 * `bulkOperation.updated` and `operation.updated` events within seconds. Writing each into the React Query cache
 * would re-render the page thousands of times. The coalescer keeps only the newest of each (per bulk operation,
 * per single operation) and hands them to the cache at most once per `windowMs`; once events have stopped for
 * `settleMs`, it asks for a refetch of every bulk operation it touched, so the final state on screen is the
 * platform's (docs/bulk-operations-ui.md, "Live").
 *
 * Timing only: what a write does to the cache is the sink's business (lib/queries/bulk-operations.ts).
 */

export interface CoalescedBatch {
  /** The newest representation of each bulk operation that changed. */
  bulks: Map<string, BulkOperationDto>;
  /** Per bulk operation, the newest state of each single operation that changed. */
  children: Map<string, Map<string, BulkChildDto>>;
  /** Bulk operations the platform cancelled (DELETE). */
  cancelled: Set<string>;
  /** Bulk operations created. */
  created: Set<string>;
}

export interface CoalescerSink {
  write(batch: CoalescedBatch, now: number): void;
  /** Events stopped: refetch these bulk operations (detail, children, failure groups, retries). */
  settle(ids: ReadonlySet<string>): void;
}

export interface CoalescerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const emptyBatch = (): CoalescedBatch => ({
  bulks: new Map(),
  children: new Map(),
  cancelled: new Set(),
  created: new Set(),
});

export class BulkCoalescer {
  private batch = emptyBatch();
  private touched = new Set<string>();
  private flushTimer: unknown;
  private settleTimer: unknown;
  private readonly windowMs: number;
  private readonly settleMs: number;
  private readonly clock: CoalescerClock;

  constructor(
    private readonly sink: CoalescerSink,
    options: { windowMs?: number; settleMs?: number; clock?: CoalescerClock } = {},
  ) {
    this.windowMs = options.windowMs ?? 300;
    this.settleMs = options.settleMs ?? 1000;
    this.clock = options.clock ?? browserClock;
  }

  bulk(dto: BulkOperationDto, created = false): void {
    this.batch.bulks.set(dto.id, dto);
    if (created) this.batch.created.add(dto.id);
    this.noted(dto.id);
  }

  cancelled(id: string): void {
    this.batch.cancelled.add(id);
    this.noted(id);
  }

  child(bulkId: string, child: BulkChildDto): void {
    let children = this.batch.children.get(bulkId);
    if (!children) this.batch.children.set(bulkId, (children = new Map<string, BulkChildDto>()));
    children.set(child.id, child);
    this.noted(bulkId);
  }

  /** Writes what is pending now (a resync does this before refetching). */
  flush(): void {
    if (this.flushTimer !== undefined) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.batch;
    this.batch = emptyBatch();
    if (batch.bulks.size || batch.children.size || batch.cancelled.size)
      this.sink.write(batch, this.clock.now());
  }

  /** Stops both timers and drops what is pending (the connection closed). */
  cancel(): void {
    if (this.flushTimer !== undefined) this.clock.clearTimeout(this.flushTimer);
    if (this.settleTimer !== undefined) this.clock.clearTimeout(this.settleTimer);
    this.flushTimer = this.settleTimer = undefined;
    this.batch = emptyBatch();
    this.touched.clear();
  }

  private noted(id: string) {
    this.touched.add(id);
    this.flushTimer ??= this.clock.setTimeout(() => this.flush(), this.windowMs);
    // The settle refetch waits for quiet: every event moves it back.
    if (this.settleTimer !== undefined) this.clock.clearTimeout(this.settleTimer);
    this.settleTimer = this.clock.setTimeout(() => this.settle(), this.settleMs);
  }

  private settle() {
    this.settleTimer = undefined;
    this.flush();
    const ids = this.touched;
    this.touched = new Set();
    if (ids.size) this.sink.settle(ids);
  }
}
