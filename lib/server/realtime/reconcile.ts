import "server-only";
import type { LiveOperation, OperationStatus } from "@/lib/schemas/events";
import { UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import { toLiveOperation } from "./translate";

/**
 * The REST side of "no transition is lost" (realtime.md §4.4): a new Bayeux session has no backlog, so after
 * every re-established session the subscriber reads what may have changed meanwhile and the hub turns the
 * differences into events. For each operations scope (all devices, or one device):
 *
 * - every PENDING and every EXECUTING operation (those can still move);
 * - every operation created since the last good contact (created and finished during the gap);
 * - each operation the hub last knew as PENDING or EXECUTING that is in neither list: read by id (finished
 *   during the gap; a 404 means it was deleted).
 */

const PAGE_SIZE = 2000;
/** Per list; 10,000 operations in flight is far beyond what a console shows live. */
const MAX_PAGES = 5;
/** Individual reads of operations that left the in-flight lists. */
const MAX_SINGLE_READS = 200;
/** Creation times come from the platform's clock; the contact time from its Date header (1 s resolution). */
const SINCE_MARGIN_MS = 5_000;

export interface OperationsScope {
  /** undefined: every device. */
  deviceId: string | undefined;
}

export interface ReconcileResult {
  operations: LiveOperation[];
  deleted: { id: string; deviceId: string }[];
  /** Lists were longer than we read, or too many single reads were needed: the caller should resync. */
  incomplete: boolean;
}

export async function readOperations(
  platform: PlatformClient,
  scopes: readonly OperationsScope[],
  options: {
    /** Platform time (ms) of the last good contact; undefined reads only the in-flight lists (seeding). */
    since: number | undefined;
    /** Operations the hub believes in flight: id → deviceId. */
    inFlight: ReadonlyMap<string, string>;
    signal?: AbortSignal;
  },
): Promise<ReconcileResult> {
  const byId = new Map<string, LiveOperation>();
  let incomplete = false;
  const list = async (query: Record<string, string>) => {
    for (let currentPage = 1; currentPage <= MAX_PAGES; currentPage++) {
      const page = body(
        await platform.GET("/devicecontrol/operations", {
          params: { query: { ...query, pageSize: PAGE_SIZE, currentPage } },
          signal: options.signal,
        }),
      );
      for (const raw of page.operations) {
        const op = toLiveOperation(raw);
        if (op) byId.set(op.id, op);
      }
      if (page.operations.length < PAGE_SIZE) return;
    }
    incomplete = true;
  };
  const dateFrom =
    options.since === undefined ? undefined : new Date(options.since - SINCE_MARGIN_MS).toISOString();
  for (const scope of scopes) {
    const base: Record<string, string> = scope.deviceId ? { deviceId: scope.deviceId } : {};
    const statuses: OperationStatus[] = ["PENDING", "EXECUTING"];
    for (const status of statuses) await list({ ...base, status });
    if (dateFrom) await list({ ...base, dateFrom });
  }
  const deleted: ReconcileResult["deleted"] = [];
  const inScope = (deviceId: string) =>
    scopes.some((s) => s.deviceId === undefined || s.deviceId === deviceId);
  const missing = [...options.inFlight].filter(([id, deviceId]) => !byId.has(id) && inScope(deviceId));
  if (missing.length > MAX_SINGLE_READS) incomplete = true;
  for (const [id, deviceId] of missing.slice(0, MAX_SINGLE_READS)) {
    try {
      const op = toLiveOperation(
        body(
          await platform.GET("/devicecontrol/operations/{operationId}", {
            params: { path: { operationId: id } },
            signal: options.signal,
          }),
        ),
      );
      if (op) byId.set(op.id, op);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) deleted.push({ id, deviceId });
      else throw err;
    }
  }
  return { operations: [...byId.values()], deleted, incomplete };
}

const RANK: Record<OperationStatus, number> = { PENDING: 0, EXECUTING: 1, SUCCESSFUL: 2, FAILED: 2 };

/** Statuses only move forward (PENDING → EXECUTING → SUCCESSFUL | FAILED); an older one arriving late is stale. */
export function isStale(known: OperationStatus | undefined, incoming: OperationStatus): boolean {
  return known !== undefined && RANK[incoming] < RANK[known];
}

export function isFinal(status: OperationStatus): boolean {
  return RANK[status] === 2;
}
