import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import { forbidden, notFound } from "../../http/errors.js";
import type { Paging } from "../../http/paging.js";
import type { RequestContext } from "../../http/router.js";
import { isId } from "../../store/hierarchy.js";
import { RESOURCE, type AuditInput } from "./input.js";
import {
  auditStore,
  type AuditChange,
  type AuditFilter,
  type AuditRow,
  type AuditSeverity,
  type AuditStore,
  type ChangeType,
} from "./store.js";

/** Who made a change: the user name, and the application when the request named one. */
export interface Actor {
  user: string;
  application?: string;
}

/**
 * The application of a request: the platform attributes requests to applications by this header; without it a
 * record has no application (docs/emulator-audit.md).
 */
const APPLICATION_HEADER = "x-cumulocity-application-key";

export function actorOf(rc: RequestContext): Actor {
  const header = rc.req.headers[APPLICATION_HEADER];
  const app = typeof header === "string" ? header.trim() : "";
  return app !== "" && app.length <= 255 && !/[\u0000-\u001f\u007f]/.test(app)
    ? { user: rc.principal.username, application: app }
    : { user: rc.principal.username };
}

/** What a module records about one change of its own (docs/platform-fleet.md §2, "What the platform audits"). */
export interface AuditEntry {
  /** "Operation", "BulkOperation", "Inventory", … (the record's `type`). */
  type: string;
  /** `source.id`: the changed thing (the operation's id for operation records, not the device's). */
  sourceId: string;
  /** The device the change concerns (`com_cumulocity_model_event_AuditSourceDevice`), when there is one. */
  deviceId?: string;
  /** "Operation created", "Operation updated", "Managed object deleted", "Bulk operation created", … */
  activity: string;
  text: string;
  /** Default "information". */
  severity?: AuditSeverity;
  changes?: AuditChange[];
  /** When the change happened (the record's `time`), if the change carries its own timestamp; default now. */
  time?: string;
}

/**
 * `<activity>: name='value', other='value'.` as the platform words its records; fields without a value are left
 * out (the vendor's texts for operations: `Operation updated: status='EXECUTING', description='Restart device',
 * device name='…'.`).
 */
export function auditText(activity: string, fields: [label: string, value: string | undefined][]): string {
  const parts = fields.filter(([, v]) => v !== undefined).map(([label, v]) => `${label}='${v}'`);
  return parts.length > 0 ? `${activity}: ${parts.join(", ")}.` : `${activity}.`;
}

/** One change entry; the change type follows from which side is missing (null or undefined). */
export function auditChange(
  attribute: string,
  type: string,
  previousValue: unknown,
  newValue: unknown,
): AuditChange {
  const absent = (v: unknown) => v === undefined || v === null;
  const changeType: ChangeType = absent(previousValue) ? "ADDED" : absent(newValue) ? "REMOVED" : "REPLACED";
  return { attribute, type, previousValue: previousValue ?? null, newValue: newValue ?? null, changeType };
}

export const auditNotFound = (id: string) =>
  notFound(RESOURCE, `Finding audit record from database failed : No auditRecord for id '${id}'!`);

/**
 * Audit records (docs/platform-fleet.md §2). Other modules write theirs with `record()` inside the transaction of the
 * change they record, so a change and its record are committed together or not at all.
 */
export class AuditService {
  readonly store: AuditStore;

  constructor(private readonly ctx: PlatformContext) {
    this.store = auditStore(ctx.db);
  }

  /**
   * Writes one record of a change the caller is making; returns its id. Must run inside the caller's
   * db.transaction (it throws otherwise): a record without its change, or a change without its record, must never
   * be committed. Ids come from the tenant-wide sequence, as the platform's records do. Returns "" when the
   * platform was started with `auditRecords: false`.
   */
  record(actor: Actor, entry: AuditEntry): string {
    if (!this.ctx.db.inTransaction)
      throw new Error("Audit records are written inside the transaction of the change they record");
    // Only the audit-overhead benchmark switches the platform's own records off (its baseline).
    if (!this.ctx.config.auditRecords) return "";
    const now = isoTime(this.ctx.now());
    const id = Number(this.ctx.nextId());
    this.store.insert({
      id,
      type: entry.type,
      source_id: entry.sourceId,
      device_id: entry.deviceId !== undefined && isId(entry.deviceId) ? Number(entry.deviceId) : null,
      username: actor.user,
      application: actor.application ?? null,
      activity: entry.activity,
      text: entry.text,
      severity: entry.severity ?? "information",
      time: entry.time ?? now,
      creation_time: now,
      changes: entry.changes ? JSON.stringify(entry.changes) : null,
      fragments: "{}",
    });
    return String(id);
  }

  /** A record POSTed by a client (admins only); `time` is the client's, `creationTime` ours. */
  create(actor: Actor, input: AuditInput): AuditRow {
    return this.ctx.db.transaction(() => {
      // Without an explicit device, a source that is a managed object is the device (as for Inventory records).
      const deviceId =
        input.deviceId ??
        (isId(input.sourceId) && this.ctx.hierarchy.exists(input.sourceId) ? input.sourceId : undefined);
      const id = Number(this.ctx.nextId());
      this.store.insert({
        id,
        type: input.type,
        source_id: input.sourceId,
        device_id: deviceId === undefined ? null : Number(deviceId),
        username: input.user ?? actor.user,
        application: actor.application ?? null,
        activity: input.activity,
        text: input.text,
        severity: input.severity,
        time: input.time,
        creation_time: isoTime(this.ctx.now()),
        changes: null,
        fragments: JSON.stringify(input.fragments),
      });
      return this.store.get(id)!;
    })();
  }

  list(
    filter: AuditFilter,
    paging: Paging,
    revert: boolean,
  ): { rows: AuditRow[]; total: number | undefined } {
    const rows = this.store.page(filter, revert, paging.pageSize, paging.offset);
    const total = paging.withTotalPages || paging.withTotalElements ? this.store.count(filter) : undefined;
    return { rows, total };
  }

  /** One record: 404 when unknown, 403 when a device user may not see it. */
  get(p: Principal, id: string): AuditRow {
    const row = isId(id) ? this.store.get(Number(id)) : undefined;
    if (!row) throw auditNotFound(id);
    if (!this.canSee(p, row)) throw forbidden();
    return row;
  }

  /** Admins see every record; device users those about objects they can access and those they wrote. */
  private canSee(p: Principal, row: AuditRow): boolean {
    if (p.kind === "admin") return true;
    if (p.kind !== "device") return false;
    if (row.username === p.username) return true;
    return row.device_id !== null && this.ctx.hierarchy.canAccess(p, String(row.device_id));
  }
}

const services = new WeakMap<PlatformContext, AuditService>();
export function auditService(ctx: PlatformContext): AuditService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new AuditService(ctx)));
  return s;
}
