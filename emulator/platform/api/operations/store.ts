import type { Statement } from "better-sqlite3";
import { statementCache, type Db } from "../../store/db.js";
import { ACCESSIBLE_TO_USER } from "../../store/hierarchy.js";

export const OPERATION_STATUSES = ["PENDING", "EXECUTING", "SUCCESSFUL", "FAILED"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** A row of operations; `fragments` is the JSON of the custom fragments. */
export interface OperationRow {
  id: number;
  device_id: number;
  agent_id: number | null;
  status: OperationStatus;
  creation_time: string;
  failure_reason: string | null;
  bulk_operation_id: number | null;
  fragments: string;
  /** JSON of the delivery fragment {status, time, log} (migration 0006). */
  delivery: string;
}

/** A list row: the operation and the name of its device (null when it has none). */
export type OperationListRow = OperationRow & { device_name: string | null };

/** An operation removed with its device or by a collection DELETE; its DELETE event is owed after the commit. */
export interface RemovedOperation {
  id: string;
  deviceId: string;
  agentId: string | undefined;
  /** What it was when removed, for the progress of its bulk operation. */
  status: OperationStatus;
  bulkOperationId: number | null;
}

type RemovedRow = Pick<OperationRow, "id" | "device_id" | "agent_id" | "status" | "bulk_operation_id">;
const RETURNING_REMOVED = "RETURNING id, device_id, agent_id, status, bulk_operation_id";

/**
 * The collection filters shared by GET and DELETE, already validated. `null` for an id filter means "a value that is
 * no id at all": it matches nothing (ids are opaque to clients).
 */
export interface OperationFilter {
  /** Device users only ever see operations of the objects they own and everything below them. */
  visibleTo?: string;
  agentId?: number | null;
  deviceId?: number | null;
  /** Any of these (a repeated `status` parameter). */
  statuses?: OperationStatus[];
  fragmentType?: string;
  /** Half-open [dateFrom, dateTo) on creationTime, in the stored format. */
  dateFrom?: string;
  dateTo?: string;
  bulkOperationId?: number;
}

/**
 * SQL function: the top-level keys of a JSON object as `{"key": null, …}`, parsed by V8, which has no depth limit;
 * `{}` for anything else. Only documents SQLite's own JSON functions refuse are passed to it.
 */
const TOP_LEVEL_KEYS = "c8y_top_level_keys";

function topLevelKeys(text: unknown): string {
  try {
    const value = typeof text === "string" ? (JSON.parse(text) as unknown) : undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return "{}";
    return JSON.stringify(Object.fromEntries(Object.keys(value).map((k) => [k, null])));
  } catch {
    return "{}";
  }
}

interface CompiledFilter {
  /** Optional WITH clause (device users: the objects they may see). */
  with: string;
  where: string;
  params: unknown[];
}

function compile(f: OperationFilter): CompiledFilter {
  const out = { with: "", where: [] as string[], params: [] as unknown[] };
  if (f.visibleTo !== undefined) {
    out.with = ACCESSIBLE_TO_USER;
    out.params.push(f.visibleTo);
    out.where.push("o.device_id IN (SELECT id FROM acc)");
  }
  for (const [value, column] of [
    [f.agentId, "o.agent_id"],
    [f.deviceId, "o.device_id"],
  ] as const) {
    if (value === undefined) continue;
    if (value === null) out.where.push("0");
    else {
      out.where.push(`${column} = ?`);
      out.params.push(value);
    }
  }
  if (f.statuses !== undefined && f.statuses.length > 0) {
    out.where.push(`o.status IN (${f.statuses.map(() => "?").join(", ")})`);
    out.params.push(...f.statuses);
  }
  if (f.fragmentType !== undefined) {
    // A document SQLite cannot parse (nested 1000 levels, stored before the nesting limit) is read by its keys.
    out.where.push(
      "EXISTS (SELECT 1 FROM json_each(IIF(json_valid(o.fragments), o.fragments, " +
        `${TOP_LEVEL_KEYS}(o.fragments))) j WHERE j.key = ?)`,
    );
    out.params.push(f.fragmentType);
  }
  // Stored times are toISOString() values, so comparing strings compares instants.
  if (f.dateFrom !== undefined) {
    out.where.push("o.creation_time >= ?");
    out.params.push(f.dateFrom);
  }
  if (f.dateTo !== undefined) {
    out.where.push("o.creation_time < ?");
    out.params.push(f.dateTo);
  }
  if (f.bulkOperationId !== undefined) {
    out.where.push("o.bulk_operation_id = ?");
    out.params.push(f.bulkOperationId);
  }
  return { ...out, where: out.where.length ? `WHERE ${out.where.join(" AND ")}` : "" };
}

const removed = (rows: RemovedRow[]): RemovedOperation[] =>
  rows.map((o) => ({
    id: String(o.id),
    deviceId: String(o.device_id),
    agentId: o.agent_id === null ? undefined : String(o.agent_id),
    status: o.status,
    bulkOperationId: o.bulk_operation_id,
  }));

/** The only writer of the operations table. */
export class OperationsStore {
  private readonly s: Record<string, Statement>;
  private readonly prepared: (sql: string) => Statement<unknown[], unknown>;

  constructor(private readonly db: Db) {
    db.function(TOP_LEVEL_KEYS, { deterministic: true }, topLevelKeys);
    this.prepared = statementCache(db);
    this.s = {
      get: db.prepare("SELECT * FROM operations WHERE id = ?"),
      insert: db.prepare(
        "INSERT INTO operations (id, device_id, agent_id, status, creation_time, fragments, delivery, bulk_operation_id) " +
          "VALUES (@id, @deviceId, @agentId, 'PENDING', @creationTime, @fragments, @delivery, @bulkOperationId)",
      ),
      update: db.prepare(
        "UPDATE operations SET status = @status, failure_reason = @failureReason, fragments = @fragments " +
          "WHERE id = @id",
      ),
      setDelivery: db.prepare("UPDATE operations SET delivery = ? WHERE id = ?"),
      deleteForDevices: db.prepare(
        `DELETE FROM operations WHERE device_id IN (SELECT value FROM json_each(?)) ${RETURNING_REMOVED}`,
      ),
    };
  }

  get(id: number): OperationRow | undefined {
    return this.s.get!.get(id) as OperationRow | undefined;
  }

  /** A new PENDING operation; `bulkOperationId` null unless a bulk operation creates it. */
  insert(op: {
    id: number;
    deviceId: number;
    agentId: number | null;
    creationTime: string;
    fragments: string;
    delivery: string;
    bulkOperationId: number | null;
  }): void {
    this.s.insert!.run(op);
  }

  update(id: number, status: OperationStatus, failureReason: string | null, fragments: string): void {
    this.s.update!.run({ id, status, failureReason, fragments });
  }

  setDelivery(id: number, delivery: string): void {
    this.s.setDelivery!.run(delivery, id);
  }

  /** One page in id order (newest first with `newestFirst`), with the device's name. */
  page(filter: OperationFilter, newestFirst: boolean, limit: number, offset: number): OperationListRow[] {
    const f = compile(filter);
    return this.prepared(
      `${f.with} SELECT o.*, m.name AS device_name FROM operations o ` +
        `LEFT JOIN managed_objects m ON m.id = o.device_id ${f.where} ` +
        `ORDER BY o.id ${newestFirst ? "DESC" : "ASC"} LIMIT ? OFFSET ?`,
    ).all(...f.params, limit, offset) as OperationListRow[];
  }

  count(filter: OperationFilter): number {
    const f = compile(filter);
    return (
      this.prepared(`${f.with} SELECT COUNT(*) AS n FROM operations o ${f.where}`).get(...f.params) as {
        n: number;
      }
    ).n;
  }

  /** Deletes what the filter matches; returns the removed operations in id order. Call inside a transaction. */
  deleteWhere(filter: OperationFilter): RemovedOperation[] {
    const f = compile(filter);
    const rows = this.prepared(
      `${f.with} DELETE FROM operations WHERE id IN (SELECT o.id FROM operations o ${f.where}) ` +
        RETURNING_REMOVED,
    ).all(...f.params) as RemovedRow[];
    rows.sort((a, b) => a.id - b.id);
    return removed(rows);
  }

  /** Deletes the operations of the devices (a device deletion takes them along). */
  deleteForDevices(deviceIds: readonly number[]): RemovedOperation[] {
    const rows = this.s.deleteForDevices!.all(JSON.stringify(deviceIds)) as RemovedRow[];
    rows.sort((a, b) => a.id - b.id);
    return removed(rows);
  }
}

const stores = new WeakMap<Db, OperationsStore>();
export function operationsStore(db: Db): OperationsStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new OperationsStore(db)));
  return s;
}
