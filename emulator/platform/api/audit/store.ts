import type { Statement } from "better-sqlite3";
import { statementCache, type Db } from "../../store/db.js";
import { ACCESSIBLE_TO_USER } from "../../store/hierarchy.js";

/** How an attribute changed (docs/platform-fleet.md §2; the JS client adds REMOVED). */
export type ChangeType = "ADDED" | "REPLACED" | "REMOVED";

/** One entry of an audit record's `changes`. `type` is the Java type name the platform reports. */
export interface AuditChange {
  attribute: string;
  type: string;
  previousValue: unknown;
  newValue: unknown;
  changeType: ChangeType;
}

export const AUDIT_SEVERITIES = ["critical", "major", "minor", "warning", "information"] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

/** A row of audit_records; `changes` and `fragments` are JSON. */
export interface AuditRow {
  id: number;
  type: string;
  source_id: string;
  device_id: number | null;
  username: string | null;
  application: string | null;
  activity: string;
  text: string;
  severity: AuditSeverity;
  time: string;
  creation_time: string;
  changes: string | null;
  fragments: string;
}

/** The list filters, already validated. */
export interface AuditFilter {
  /** Device users see the records about objects they can access, and the ones they wrote themselves. */
  visibleTo?: string;
  source?: string;
  type?: string;
  user?: string;
  application?: string;
  /** Half-open [dateFrom, dateTo) on `time`, in the stored format. */
  dateFrom?: string;
  dateTo?: string;
}

interface CompiledFilter {
  with: string;
  where: string;
  params: unknown[];
}

function compile(f: AuditFilter): CompiledFilter {
  const out = { with: "", where: [] as string[], params: [] as unknown[] };
  if (f.visibleTo !== undefined) {
    out.with = ACCESSIBLE_TO_USER;
    out.where.push("(a.device_id IN (SELECT id FROM acc) OR a.username = ?)");
    out.params.push(f.visibleTo, f.visibleTo);
  }
  for (const [value, column] of [
    [f.source, "a.source_id"],
    [f.type, "a.type"],
    [f.user, "a.username"],
    [f.application, "a.application"],
  ] as const) {
    if (value === undefined) continue;
    out.where.push(`${column} = ?`);
    out.params.push(value);
  }
  // Stored times are toISOString() values, so comparing strings compares instants.
  if (f.dateFrom !== undefined) {
    out.where.push("a.time >= ?");
    out.params.push(f.dateFrom);
  }
  if (f.dateTo !== undefined) {
    out.where.push("a.time < ?");
    out.params.push(f.dateTo);
  }
  return { ...out, where: out.where.length ? `WHERE ${out.where.join(" AND ")}` : "" };
}

/**
 * The only writer of audit_records. Rows are only ever inserted: triggers of migration 0005 refuse UPDATE and
 * DELETE. Lists are ordered by (time, id), which every index of the table ends with.
 */
export class AuditStore {
  private readonly s: Record<string, Statement>;
  private readonly prepared: (sql: string) => Statement<unknown[], unknown>;

  constructor(private readonly db: Db) {
    this.prepared = statementCache(db);
    this.s = {
      get: db.prepare("SELECT * FROM audit_records WHERE id = ?"),
      insert: db.prepare(
        "INSERT INTO audit_records (id, type, source_id, device_id, username, application, activity, text, " +
          "severity, time, creation_time, changes, fragments) VALUES (@id, @type, @source_id, @device_id, " +
          "@username, @application, @activity, @text, @severity, @time, @creation_time, @changes, @fragments)",
      ),
    };
  }

  get(id: number): AuditRow | undefined {
    return this.s.get!.get(id) as AuditRow | undefined;
  }

  insert(row: AuditRow): void {
    this.s.insert!.run(row);
  }

  private pageSql(filter: AuditFilter, newestFirst: boolean): { sql: string; params: unknown[] } {
    const f = compile(filter);
    const dir = newestFirst ? "DESC" : "ASC";
    return {
      sql: `${f.with} SELECT a.* FROM audit_records a ${f.where} ORDER BY a.time ${dir}, a.id ${dir} LIMIT ? OFFSET ?`,
      params: f.params,
    };
  }

  /** One page, oldest first (newest first with `newestFirst`). */
  page(filter: AuditFilter, newestFirst: boolean, limit: number, offset: number): AuditRow[] {
    const { sql, params } = this.pageSql(filter, newestFirst);
    return this.prepared(sql).all(...params, limit, offset) as AuditRow[];
  }

  count(filter: AuditFilter): number {
    const f = compile(filter);
    return (
      this.prepared(`${f.with} SELECT COUNT(*) AS n FROM audit_records a ${f.where}`).get(...f.params) as {
        n: number;
      }
    ).n;
  }

  /** SQLite's plan for a page query (EXPLAIN QUERY PLAN details), for tests and benchmarks that check index use. */
  pagePlan(filter: AuditFilter, newestFirst: boolean): string[] {
    const { sql, params } = this.pageSql(filter, newestFirst);
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 1, 0) as { detail: string }[]).map(
      (r) => r.detail,
    );
  }
}

const stores = new WeakMap<Db, AuditStore>();
export function auditStore(db: Db): AuditStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new AuditStore(db)));
  return s;
}
