import type { Statement } from "better-sqlite3";
import { statementCache, type Db } from "../../store/db.js";
import type { ListSql } from "../inventory/list.js";
import type { OperationStatus } from "../operations/store.js";

export const BULK_STATUSES = ["ACTIVE", "IN_PROGRESS", "COMPLETED", "DELETED"] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];

/** What we emit; the vendor's clients spell EXECUTING_WITH_ERROR without the S (docs/platform-fleet.md §1). */
export const GENERAL_STATUSES = [
  "SCHEDULED",
  "EXECUTING",
  "EXECUTING_WITH_ERROR",
  "SUCCESSFUL",
  "FAILED",
  "CANCELED",
] as const;
export type GeneralStatus = (typeof GENERAL_STATUSES)[number];

/** A row of bulk_operations (migration 0007); `prototype` is the JSON of the operation prototype. */
export interface BulkRow {
  id: number;
  group_id: number | null;
  failed_parent_id: number | null;
  start_date: string;
  creation_ramp: number;
  prototype: string;
  note: string | null;
  status: BulkStatus;
  general_status: GeneralStatus;
  marked_successful: 0 | 1;
  /** progress.all: the number of targets, fixed at creation. */
  total: number;
  /** The creation cursor: targets handled so far (a child created, or skipped because its device was gone). */
  created: number;
  /** When the next child is due, ms since the epoch. */
  next_at: number;
  pending: number;
  executing: number;
  successful: number;
  failed: number;
  /** Who created it: the children are created in this user's name. */
  owner: string;
  application: string | null;
  creation_time: string;
}

/** The list filters, already validated. */
export interface BulkFilter {
  /** Any of these. */
  generalStatuses?: string[];
  /** Leave CANCELED ones out (the default list). */
  withoutCanceled?: boolean;
  /** Half-open [dateFrom, dateTo) on startDate, in the stored format. */
  dateFrom?: string;
  dateTo?: string;
}

function compile(f: BulkFilter): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.generalStatuses !== undefined && f.generalStatuses.length > 0) {
    where.push(`b.general_status IN (${f.generalStatuses.map(() => "?").join(", ")})`);
    params.push(...f.generalStatuses);
  }
  if (f.withoutCanceled) where.push("b.general_status <> 'CANCELED'");
  // Stored times are toISOString() values, so comparing strings compares instants.
  if (f.dateFrom !== undefined) {
    where.push("b.start_date >= ?");
    params.push(f.dateFrom);
  }
  if (f.dateTo !== undefined) {
    where.push("b.start_date < ?");
    params.push(f.dateTo);
  }
  return { where: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

/** Progress counter deltas, one per child status. */
export type ProgressDelta = Partial<Record<OperationStatus, number>>;

/** The only writer of bulk_operations and bulk_operation_targets. */
export class BulkOperationsStore {
  private readonly s: Record<string, Statement>;
  private readonly prepared: (sql: string) => Statement<unknown[], unknown>;

  constructor(private readonly db: Db) {
    this.prepared = statementCache(db);
    this.s = {
      get: db.prepare("SELECT * FROM bulk_operations WHERE id = ?"),
      insert: db.prepare(
        "INSERT INTO bulk_operations (id, group_id, failed_parent_id, start_date, creation_ramp, prototype, note, " +
          "status, general_status, total, next_at, owner, application, creation_time) VALUES (@id, @group_id, " +
          "@failed_parent_id, @start_date, @creation_ramp, @prototype, @note, @status, @general_status, @total, " +
          "@next_at, @owner, @application, @creation_time)",
      ),
      update: db.prepare(
        "UPDATE bulk_operations SET start_date = @start_date, creation_ramp = @creation_ramp, " +
          "prototype = @prototype, note = @note, status = @status, general_status = @general_status, " +
          "marked_successful = @marked_successful, created = @created, next_at = @next_at WHERE id = @id",
      ),
      progress: db.prepare(
        "UPDATE bulk_operations SET pending = pending + @PENDING, executing = executing + @EXECUTING, " +
          "successful = successful + @SUCCESSFUL, failed = failed + @FAILED WHERE id = @id",
      ),
      insertTarget: db.prepare(
        "INSERT INTO bulk_operation_targets (bulk_id, seq, device_id) VALUES (?, ?, ?)",
      ),
      targets: db.prepare(
        "SELECT device_id FROM bulk_operation_targets WHERE bulk_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
      ),
      runnable: db.prepare(
        "SELECT * FROM bulk_operations WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND created < total ORDER BY id",
      ),
      // A static group's targets: the devices in its asset hierarchy. The walk follows childAssets from the group
      // through sub-groups and other assets, and stops at devices (their own children are not group members).
      staticTargets: db.prepare(`
        WITH RECURSIVE walk(id) AS (
          SELECT child_id FROM mo_refs WHERE parent_id = ? AND kind = 'childAssets'
          UNION
          SELECT r.child_id FROM mo_refs r JOIN walk w ON r.parent_id = w.id
          WHERE r.kind = 'childAssets'
            AND NOT EXISTS (SELECT 1 FROM mo_fragments f WHERE f.mo_id = w.id AND f.fragment = 'c8y_IsDevice')
        )
        SELECT w.id FROM walk w
        WHERE EXISTS (SELECT 1 FROM mo_fragments f WHERE f.mo_id = w.id AND f.fragment = 'c8y_IsDevice')
        ORDER BY w.id`),
      // Devices whose child operation in that bulk operation is FAILED now (still existing devices only).
      failedTargets: db.prepare(`
        SELECT DISTINCT o.device_id AS id FROM operations o JOIN managed_objects m ON m.id = o.device_id
        WHERE o.bulk_operation_id = ? AND o.status = 'FAILED' ORDER BY o.device_id`),
    };
  }

  get(id: number): BulkRow | undefined {
    return this.s.get!.get(id) as BulkRow | undefined;
  }

  /** A new bulk operation with its targets, in order. Call inside a transaction. */
  insert(
    row: Omit<
      BulkRow,
      "created" | "marked_successful" | "pending" | "executing" | "successful" | "failed" | "total"
    >,
    targets: readonly number[],
  ): void {
    this.s.insert!.run({ ...row, total: targets.length });
    targets.forEach((device, seq) => this.s.insertTarget!.run(row.id, seq, device));
  }

  /** Writes the fields that change after creation (schedule, prototype, note, state, cursor). */
  update(row: BulkRow): void {
    this.s.update!.run(row);
  }

  addProgress(id: number, delta: ProgressDelta): void {
    this.s.progress!.run({ id, PENDING: 0, EXECUTING: 0, SUCCESSFUL: 0, FAILED: 0, ...delta });
  }

  /** Up to `limit` target devices from position `from` on. */
  targets(id: number, from: number, limit: number): number[] {
    return (this.s.targets!.all(id, from, limit) as { device_id: number }[]).map((r) => r.device_id);
  }

  /** Bulk operations that still have children to create (scheduled or creating). */
  runnable(): BulkRow[] {
    return this.s.runnable!.all() as BulkRow[];
  }

  staticGroupDevices(groupId: number): number[] {
    return (this.s.staticTargets!.all(groupId) as { id: number }[]).map((r) => r.id);
  }

  failedDevices(parentId: number): number[] {
    return (this.s.failedTargets!.all(parentId) as { id: number }[]).map((r) => r.id);
  }

  /** The ids an inventory list query selects (the dynamic group's query, compiled by the inventory module). */
  idsMatching(sql: ListSql): number[] {
    const where = sql.where.length > 0 ? ` WHERE ${sql.where.join(" AND ")}` : "";
    return (
      this.db.prepare(`SELECT m.id FROM ${sql.from}${where} ORDER BY m.id`).all(sql.params.values) as {
        id: number;
      }[]
    ).map((r) => r.id);
  }

  /** One page in id order. */
  page(filter: BulkFilter, limit: number, offset: number): BulkRow[] {
    const f = compile(filter);
    return this.prepared(`SELECT b.* FROM bulk_operations b ${f.where} ORDER BY b.id LIMIT ? OFFSET ?`).all(
      ...f.params,
      limit,
      offset,
    ) as BulkRow[];
  }

  count(filter: BulkFilter): number {
    const f = compile(filter);
    return (
      this.prepared(`SELECT COUNT(*) AS n FROM bulk_operations b ${f.where}`).get(...f.params) as {
        n: number;
      }
    ).n;
  }
}

const stores = new WeakMap<Db, BulkOperationsStore>();
export function bulkOperationsStore(db: Db): BulkOperationsStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new BulkOperationsStore(db)));
  return s;
}
