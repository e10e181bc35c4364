import "server-only";
import { parseTopic, type LiveDataEvent, type LiveTopic } from "@/lib/schemas/events";
import { supersedes, type OperationStatus } from "@/lib/schemas/operations";
import { UpstreamError } from "../errors";
import {
  operationStatusOf,
  readUpstreamOperation,
  toOperationDto,
  type UpstreamOperation,
} from "../services/operations";
import { body, type PlatformClient } from "../upstream/client";
import type { Clock } from "./clock";

/**
 * The operations side of a hub: what it publishes about operations, in order, and the REST half of "no transition
 * is lost" (docs/realtime.md §4.4). A new Bayeux session has no backlog, so after every re-established session the
 * reconciler reads what may have changed meanwhile and publishes the differences; when it cannot read all of it,
 * the streams following operations must refetch instead (`onIncomplete`). For each operations scope (all devices,
 * or one device) it reads:
 *
 * - every PENDING and every EXECUTING operation (those can still move);
 * - every operation created since the last good contact (created and finished during the gap);
 * - each operation last known as PENDING or EXECUTING that is in neither list: by id (finished during the gap; a
 *   404 means it was deleted).
 *
 * It remembers the last status published per operation, to drop a late, older one (`supersedes`) and to know what
 * was in flight; `seed` learns the in-flight operations of a newly followed scope without publishing anything.
 * Every operation is published as the `OperationDto` the REST routes answer (one mapper, `toOperationDto`).
 */

export interface ReconcileLimits {
  /** Page size of the list reads (the platform's largest, docs/platform-api.md §2.5). */
  pageSize: number;
  /** Pages read per list; 10,000 operations in flight is far beyond what a console shows live. */
  maxPages: number;
  /** Reads by id of operations that left the in-flight lists. */
  maxSingleReads: number;
  /** Operations whose last status is remembered (least recently published forgotten first). */
  knownOperations: number;
}

export const DEFAULT_RECONCILE_LIMITS: ReconcileLimits = {
  pageSize: 2000,
  maxPages: 5,
  maxSingleReads: 200,
  knownOperations: 10_000,
};

/** Creation times come from the platform's clock; the contact time from its Date header (1 s resolution). */
const SINCE_MARGIN_MS = 5_000;

export interface OperationsReconcilerOptions {
  clock: Clock;
  platform: () => PlatformClient;
  /** Aborted when the hub stops: reads end, nothing more is published. */
  signal: AbortSignal;
  limits?: Partial<ReconcileLimits>;
  publish: (event: LiveDataEvent) => void;
  /** A reconciliation was not complete (or failed): streams following operations must refetch. */
  onIncomplete: () => void;
  /** The platform refused the credential (401). */
  onRefused: () => void;
  log: (line: string) => void;
}

interface Known {
  status: OperationStatus;
  deviceId: string;
}

export class OperationsReconciler {
  private readonly limits: ReconcileLimits;
  private readonly known = new Map<string, Known>();
  private work: Promise<void> = Promise.resolve();
  reconciliations = 0;

  constructor(private readonly options: OperationsReconcilerOptions) {
    this.limits = { ...DEFAULT_RECONCILE_LIMITS, ...options.limits };
  }

  /** Resolves when the REST work started so far (seeding, reconciliation) has finished. */
  settled(): Promise<void> {
    return this.work;
  }

  /** The status last published (or seeded) for an operation. */
  statusOf(id: string): OperationStatus | undefined {
    return this.known.get(id)?.status;
  }

  /** The platform pushed an operation (created or updated): published unless it is older than what is known. */
  pushed(raw: unknown, created: boolean): void {
    const op = readUpstreamOperation(raw);
    if (op) this.publish(op, created);
  }

  /** The platform pushed a deletion. */
  deleted(id: string, deviceId: string): void {
    if (this.options.signal.aborted) return;
    this.known.delete(id);
    this.options.publish({ type: "operation.deleted", data: { id, deviceId } });
  }

  /** Learns the in-flight operations of a newly followed topic, without events, so a later gap can be reconciled. */
  seed(topic: LiveTopic): void {
    const scopes = operationScopes([topic]);
    if (scopes.length === 0) return;
    this.enqueue("seeding", async () => {
      const result = await this.read(scopes, undefined);
      for (const op of result.operations) {
        const status = operationStatusOf(op);
        if (supersedes(status, this.statusOf(op.id))) this.remember(op.id, status, op.deviceId);
      }
    });
  }

  /**
   * The Bayeux session was re-established after a loss: the operations of `topics` are read and what differs
   * from what is known published. `since`: platform time (ms) of the last good contact.
   */
  afterGap(topics: readonly LiveTopic[], since: number | undefined): void {
    const scopes = operationScopes(topics);
    if (scopes.length === 0) return;
    this.reconciliations += 1;
    this.enqueue(
      "reconciliation",
      async () => {
        const result = await this.read(scopes, since);
        for (const op of result.operations) {
          const known = this.statusOf(op.id);
          if (known === operationStatusOf(op)) continue;
          const created = known === undefined && since !== undefined && Date.parse(op.creationTime) >= since;
          this.publish(op, created);
        }
        for (const d of result.deleted) this.deleted(d.id, d.deviceId);
        if (result.incomplete) this.options.onIncomplete();
      },
      () => this.options.onIncomplete(),
    );
  }

  private publish(op: UpstreamOperation, created: boolean) {
    if (this.options.signal.aborted) return;
    const status = operationStatusOf(op);
    if (!supersedes(status, this.statusOf(op.id))) return;
    this.remember(op.id, status, op.deviceId);
    const operation = toOperationDto(op);
    this.options.publish({ type: created ? "operation.created" : "operation.updated", data: { operation } });
  }

  private remember(id: string, status: OperationStatus, deviceId: string) {
    // Map order is insertion order: re-inserting marks the operation as recently seen.
    this.known.delete(id);
    this.known.set(id, { status, deviceId });
    if (this.known.size > this.limits.knownOperations) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** Runs REST work after the work before it; a 401 ends the session, other failures are logged. */
  private enqueue(what: string, run: () => Promise<void>, onFailure?: () => void) {
    this.work = this.work.then(run).catch((err: unknown) => {
      if (this.options.signal.aborted) return;
      if (err instanceof UpstreamError && err.status === 401) return this.options.onRefused();
      this.options.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      onFailure?.();
    });
  }

  private async read(scopes: readonly OperationsScope[], since: number | undefined) {
    const inFlight = new Map<string, string>();
    // Seeding reads only the in-flight lists: nothing known yet can have left them unnoticed.
    if (since !== undefined)
      for (const [id, k] of this.known)
        if (k.status === "PENDING" || k.status === "EXECUTING") inFlight.set(id, k.deviceId);
    return readOperations(this.options.platform(), scopes, {
      since,
      inFlight,
      signal: this.options.signal,
      limits: this.limits,
    });
  }
}

interface OperationsScope {
  /** undefined: every device. */
  deviceId: string | undefined;
}

/** The operations scopes `topics` follow: every device (when one is `operations:*`), else each device. */
function operationScopes(topics: Iterable<LiveTopic>): OperationsScope[] {
  const scopes: OperationsScope[] = [];
  for (const topic of topics) {
    const parsed = parseTopic(topic);
    if (parsed?.resource !== "operations") continue;
    if (parsed.id === "*") return [{ deviceId: undefined }];
    scopes.push({ deviceId: parsed.id });
  }
  return scopes;
}

interface ReadResult {
  operations: UpstreamOperation[];
  deleted: { id: string; deviceId: string }[];
  /** Lists were longer than read, or too many single reads were needed. */
  incomplete: boolean;
}

async function readOperations(
  platform: PlatformClient,
  scopes: readonly OperationsScope[],
  options: {
    /** Platform time (ms) of the last good contact; undefined reads only the in-flight lists (seeding). */
    since: number | undefined;
    /** Operations believed in flight: id → deviceId. */
    inFlight: ReadonlyMap<string, string>;
    signal: AbortSignal;
    limits: ReconcileLimits;
  },
): Promise<ReadResult> {
  const { pageSize, maxPages, maxSingleReads } = options.limits;
  const byId = new Map<string, UpstreamOperation>();
  let incomplete = false;
  const list = async (query: Record<string, string>) => {
    for (let currentPage = 1; currentPage <= maxPages; currentPage++) {
      const page = body(
        await platform.GET("/devicecontrol/operations", {
          params: { query: { ...query, pageSize, currentPage } },
          signal: options.signal,
        }),
      );
      for (const op of page.operations) byId.set(op.id, op);
      if (page.operations.length < pageSize) return;
    }
    incomplete = true;
  };
  const dateFrom =
    options.since === undefined ? undefined : new Date(options.since - SINCE_MARGIN_MS).toISOString();
  for (const scope of scopes) {
    const base: Record<string, string> = scope.deviceId ? { deviceId: scope.deviceId } : {};
    for (const status of ["PENDING", "EXECUTING"] as const) await list({ ...base, status });
    if (dateFrom) await list({ ...base, dateFrom });
  }
  const deleted: ReadResult["deleted"] = [];
  const inScope = (deviceId: string) =>
    scopes.some((s) => s.deviceId === undefined || s.deviceId === deviceId);
  const missing = [...options.inFlight].filter(([id, deviceId]) => !byId.has(id) && inScope(deviceId));
  if (missing.length > maxSingleReads) incomplete = true;
  for (const [id, deviceId] of missing.slice(0, maxSingleReads)) {
    try {
      const op = body(
        await platform.GET("/devicecontrol/operations/{operationId}", {
          params: { path: { operationId: id } },
          signal: options.signal,
        }),
      );
      byId.set(op.id, op);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) deleted.push({ id, deviceId });
      else throw err;
    }
  }
  return { operations: [...byId.values()], deleted, incomplete };
}
