import { QueryClient, type InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { BulkChildrenDto, BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { bulkCacheSink, bulkKeys } from "../../bulk-operations";
import { InvalidationBatch, applyLiveEvent } from "../apply-event";
import { BulkCoalescer, type CoalescerClock } from "../bulk-coalescer";

/** A clock that moves only when the test says so. */
class ManualClock implements CoalescerClock {
  ms = 0;
  private seq = 0;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  now = () => this.ms;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { due: this.ms + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  advance(ms: number) {
    const target = this.ms + ms;
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, t]) => t.due <= target)
        .sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.ms = next[1].due;
      next[1].fn();
    }
    this.ms = target;
  }
  get pending() {
    return this.timers.size;
  }
}

const ALL = 1000;

function bulk(progress: Partial<BulkOperationDto["progress"]>): BulkOperationDto {
  return {
    id: "7",
    groupId: "1",
    failedParentId: null,
    retryOf: null,
    description: "Restart device",
    type: "c8y_Restart",
    prototype: { c8y_Restart: {} },
    note: null,
    startDate: "2026-01-01T00:00:00.000Z",
    creationRamp: 0,
    estimatedEnd: "2026-01-01T00:00:00.000Z",
    status: "COMPLETED",
    generalStatus: "EXECUTING",
    progress: { pending: 0, executing: 0, successful: 0, failed: 0, all: ALL, ...progress },
    can: { cancel: false, editSchedule: false, markSuccessful: false },
  };
}

const child = (i: number, status: "PENDING" | "EXECUTING" | "SUCCESSFUL" | "FAILED") => ({
  id: String(1000 + i),
  deviceId: String(i),
  deviceName: null,
  status,
  failureReason: status === "FAILED" ? "Timeout" : null,
  creationTime: "2026-01-01T00:00:00.000Z",
});

function setup() {
  const clock = new ManualClock();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sink = bulkCacheSink(queryClient);
  const settled: string[][] = [];
  const coalescer = new BulkCoalescer(
    { write: (batch, now) => sink.write(batch, now), settle: (ids) => void settled.push([...ids]) },
    { windowMs: 300, settleMs: 1000, clock },
  );
  queryClient.setQueryData(bulkKeys.detail("7"), bulk({ pending: ALL }));
  const rows = Array.from({ length: ALL }, (_, i) => ({ ...child(i, "PENDING"), deviceName: `Sim ${i}` }));
  queryClient.setQueryData<InfiniteData<BulkChildrenDto>>(bulkKeys.children("7", undefined), {
    pages: [{ items: rows, page: 1, pageSize: ALL, total: ALL }],
    pageParams: [1],
  });
  let detailWrites = 0;
  queryClient.getQueryCache().subscribe((e) => {
    if (e.type === "updated" && e.query.queryHash === JSON.stringify(bulkKeys.detail("7"))) detailWrites += 1;
  });
  return { clock, queryClient, coalescer, settled, writes: () => detailWrites };
}

describe("BulkCoalescer", () => {
  it("turns 1,000 children changing at once into a few cache writes, the last one final", () => {
    const { clock, queryClient, coalescer, settled, writes } = setup();
    // 1,000 devices go EXECUTING then SUCCESSFUL (every tenth FAILED), spread over 2 s of events, each child
    // change followed by the bulk operation's own UPDATE, as the platform sends them.
    let successful = 0;
    let failed = 0;
    for (let step = 0; step < 2 * ALL; step++) {
      const i = step % ALL;
      const finishing = step >= ALL;
      const status = !finishing ? "EXECUTING" : i % 10 === 0 ? "FAILED" : "SUCCESSFUL";
      if (status === "SUCCESSFUL") successful += 1;
      if (status === "FAILED") failed += 1;
      coalescer.child("7", child(i, status));
      coalescer.bulk(
        bulk({
          pending: finishing ? 0 : ALL - i - 1,
          executing: finishing ? ALL - i - 1 : i + 1,
          successful,
          failed,
        }),
      );
      clock.advance(1); // 2,000 ms in all
    }
    // At most one write per 300 ms window: 2 s of events → 7 writes, not 4,000.
    expect(writes()).toBeLessThanOrEqual(Math.ceil(2000 / 300) + 1);
    expect(settled).toEqual([]);
    clock.advance(1000);
    // Quiet for a second: the last state is in the cache, and a refetch was asked for.
    expect(queryClient.getQueryData<BulkOperationDto>(bulkKeys.detail("7"))!.progress).toEqual({
      pending: 0,
      executing: 0,
      successful: 900,
      failed: 100,
      all: ALL,
    });
    const rows = queryClient.getQueryData<InfiniteData<BulkChildrenDto>>(bulkKeys.children("7", undefined))!
      .pages[0]!.items;
    expect(rows.filter((r) => r.status === "FAILED")).toHaveLength(100);
    expect(rows[0]).toMatchObject({ status: "FAILED", deviceName: "Sim 0" });
    expect(settled).toEqual([["7"]]);
    expect(clock.pending).toBe(0);
  });

  it("writes a lone event within one window and settles after quiet", () => {
    const { clock, queryClient, coalescer, settled, writes } = setup();
    coalescer.bulk(bulk({ pending: 999, executing: 1 }));
    clock.advance(299);
    expect(writes()).toBe(0);
    clock.advance(1);
    expect(writes()).toBe(1);
    expect(queryClient.getQueryData<BulkOperationDto>(bulkKeys.detail("7"))!.progress.executing).toBe(1);
    clock.advance(699);
    expect(settled).toEqual([]);
    clock.advance(1);
    expect(settled).toEqual([["7"]]);
  });

  it("drops rows leaving a status filter, and cancel() leaves no timer", () => {
    const { clock, queryClient, coalescer } = setup();
    queryClient.setQueryData<InfiniteData<BulkChildrenDto>>(bulkKeys.children("7", "PENDING"), {
      pages: [{ items: [child(1, "PENDING"), child(2, "PENDING")], page: 1, pageSize: 200, total: 2 }],
      pageParams: [1],
    });
    coalescer.child("7", child(1, "EXECUTING"));
    clock.advance(300);
    const page = queryClient.getQueryData<InfiniteData<BulkChildrenDto>>(bulkKeys.children("7", "PENDING"))!
      .pages[0]!;
    expect(page.items.map((r) => r.id)).toEqual(["1002"]);
    expect(page.total).toBe(1);
    coalescer.child("7", child(2, "EXECUTING"));
    coalescer.cancel();
    expect(clock.pending).toBe(0);
  });
});

describe("resync of bulk operation topics", () => {
  it("writes what is pending, then refetches everything about bulk operations", () => {
    const { clock, queryClient, coalescer } = setup();
    coalescer.bulk(bulk({ pending: 500, executing: 500 }));
    const batch = new InvalidationBatch(queryClient);
    applyLiveEvent(
      queryClient,
      { type: "resync", data: { reason: "upstream", topics: ["bulkOperations:7", "operations:*"] } },
      batch,
      coalescer,
    );
    expect(queryClient.getQueryData<BulkOperationDto>(bulkKeys.detail("7"))!.progress.executing).toBe(500);
    expect(queryClient.getQueryState(bulkKeys.detail("7"))!.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(bulkKeys.children("7", undefined))!.isInvalidated).toBe(true);
    coalescer.cancel();
    batch.cancel();
    expect(clock.pending).toBe(0);
  });
});
