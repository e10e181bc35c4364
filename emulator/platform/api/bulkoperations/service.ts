import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import { invalidData, notFound, PlatformError } from "../../http/errors.js";
import type { Paging } from "../../http/paging.js";
import { isId } from "../../store/hierarchy.js";
import { auditChange, auditService, auditText, type Actor, type AuditService } from "../audit/service.js";
import type { AuditChange } from "../audit/store.js";
import { RESOURCE } from "../devicecontrol/common.js";
import { buildListSql } from "../inventory/list.js";
import { inventoryStore } from "../inventory/store.js";
import { fragmentsOf } from "../operations/input.js";
import {
  operationsService,
  type BulkChildChange,
  type BulkChildHook,
  type OperationsService,
} from "../operations/service.js";
import type { OperationRow } from "../operations/store.js";
import type { BulkInput, BulkUpdate, Target } from "./input.js";
import { bulkOperationJson } from "./serialize.js";
import {
  bulkOperationsStore,
  type BulkFilter,
  type BulkOperationsStore,
  type BulkRow,
  type GeneralStatus,
} from "./store.js";

/** Children created per transaction when several are due at once (ramp 0, or after a pause). */
export const CREATION_BATCH = 100;
/** How long the runner waits before trying a bulk operation again after an unexpected error, ms. */
const RETRY_AFTER_ERROR_MS = 1000;

export const bulkNotFound = (id: string) =>
  notFound(RESOURCE, `Finding bulk operation from database failed : No bulkOperation for id '${id}'!`);

/** Who the platform resolves dynamic groups as: the inventory's query code, without any visibility limit. */
const PLATFORM: Principal = { tenant: "", username: "", kind: "admin", via: "basic" };

/** Java types named in the audit `changes` (inferred from the vendor's model; no real record was found). */
const STRING_TYPE = "java.lang.String";
const CHANGE_TYPES: Record<string, string> = {
  startDate: "org.joda.time.DateTime",
  creationRamp: "java.lang.Float",
  operationPrototype: "com.cumulocity.rest.representation.operation.OperationRepresentation",
};

/**
 * generalStatus follows from the state (docs/emulator-bulk-operations.md): CANCELED once deleted, SUCCESSFUL once
 * marked so, SCHEDULED until the first child is created, EXECUTING (…WITH_ERROR when a child failed) while children
 * are being created or are still open, then FAILED if any child failed, else SUCCESSFUL.
 */
export function generalStatusOf(r: BulkRow): GeneralStatus {
  if (r.status === "DELETED") return "CANCELED";
  if (r.marked_successful) return "SUCCESSFUL";
  if (r.status === "ACTIVE") return "SCHEDULED";
  if (r.status === "IN_PROGRESS" || r.pending + r.executing > 0)
    return r.failed > 0 ? "EXECUTING_WITH_ERROR" : "EXECUTING";
  return r.failed > 0 ? "FAILED" : "SUCCESSFUL";
}

const runnable = (r: BulkRow) => (r.status === "ACTIVE" || r.status === "IN_PROGRESS") && r.created < r.total;

/** What a write did, for the events owed after its commit. */
interface Outcome {
  row: BulkRow;
  /** A PUT on a started bulk operation cancelled this one and created `row` in its place. */
  replaced?: BulkRow;
}

/**
 * Bulk operations (docs/platform-fleet.md §1): the API's rules, the progress kept in step with the children (a hook of
 * the operations service, in the transaction of each child's change), and the runner that creates the children on
 * the platform's scheduler, one transaction per batch with the creation cursor, so a restart goes on where it
 * stopped. Events are published after each commit.
 */
export class BulkOperationsService implements BulkChildHook {
  readonly store: BulkOperationsStore;
  private readonly ops: OperationsService;
  private readonly audit: AuditService;
  private readonly timers = new Map<number, () => void>();
  /** Bulk operations whose progress changed since the last announcement. */
  private readonly dirty = new Set<number>();
  private baseUrl: string | undefined;
  private closed = false;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {
    this.store = bulkOperationsStore(ctx.db);
    this.ops = operationsService(ctx);
    this.audit = auditService(ctx);
    this.ops.attachBulkHook(this);
  }

  /** Picks up what was scheduled or creating (also after a restart); `baseUrl` renders the events it publishes. */
  start(baseUrl: string): void {
    if (this.closed || this.baseUrl !== undefined) return;
    this.baseUrl = baseUrl;
    for (const row of this.store.runnable()) this.schedule(row);
  }

  /** Stops the runner; nothing is lost: the cursor is in the database. Call before the database closes. */
  close(): void {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  // ----- the API -------------------------------------------------------------------------------------------------

  list(filter: BulkFilter, paging: Paging): { rows: BulkRow[]; total: number | undefined } {
    const rows = this.store.page(filter, paging.pageSize, paging.offset);
    const total = paging.withTotalPages || paging.withTotalElements ? this.store.count(filter) : undefined;
    return { rows, total };
  }

  get(id: string): BulkRow {
    const row = isId(id) ? this.store.get(Number(id)) : undefined;
    if (!row) throw bulkNotFound(id);
    return row;
  }

  /** Resolves the targets, stores them with the bulk operation ("created" audit), and schedules its start. */
  create(actor: Actor, input: BulkInput, baseUrl: string): BulkRow {
    const row = this.ctx.db.transaction(() => this.insertInTx(actor, input))();
    this.publish("CREATE", row, baseUrl);
    this.schedule(row);
    return row;
  }

  /**
   * PUT (docs/emulator-bulk-operations.md): marks it SUCCESSFUL, or edits it in place while SCHEDULED (and the note
   * at any time before it is cancelled), or, once it has started creating children, cancels it and creates a new
   * one with the changes, which is what the answer carries.
   */
  update(actor: Actor, id: string, change: BulkUpdate, baseUrl: string): BulkRow {
    const out = this.ctx.db.transaction((): Outcome => {
      const current = this.get(id);
      if (current.status === "DELETED")
        throw invalidData(RESOURCE, `Bulk operation ${id} was cancelled and cannot be changed`);
      if (change.markSuccessful && current.general_status !== "SUCCESSFUL") {
        if (current.status !== "COMPLETED")
          throw invalidData(
            RESOURCE,
            `Bulk operation ${id} can be set to SUCCESSFUL only once all its operations have been created`,
          );
        return { row: this.commitState(current, { ...current, marked_successful: 1 }, actor) };
      }
      const next: BulkRow = {
        ...current,
        start_date: change.startDate ?? current.start_date,
        creation_ramp: change.creationRamp ?? current.creation_ramp,
        prototype: change.prototype === undefined ? current.prototype : JSON.stringify(change.prototype),
        note: change.note === undefined ? current.note : change.note,
      };
      const edited = editedFields(current, next);
      if (edited.length === 0) return { row: current };
      if (current.status === "ACTIVE" || (edited.length === 1 && edited[0]!.attribute === "note")) {
        // Not started yet: the new schedule applies from the (new) start date.
        if (current.status === "ACTIVE") next.next_at = Date.parse(next.start_date);
        return { row: this.commitState(current, next, actor, edited) };
      }
      if (current.status !== "IN_PROGRESS")
        throw invalidData(
          RESOURCE,
          `Bulk operation ${id} has created all its operations and cannot be changed; create a new one ` +
            "(failedParentId retries the failed ones)",
        );
      const replacement = this.insertInTx(actor, {
        target: targetOf(current),
        startDate: next.start_date,
        creationRamp: next.creation_ramp,
        prototype: JSON.parse(next.prototype) as Record<string, unknown>,
        note: next.note ?? undefined,
      });
      const cancelled = this.commitState(
        current,
        { ...current, status: "DELETED" },
        actor,
        [],
        [["replaced by", String(replacement.id)]],
      );
      return { row: replacement, replaced: cancelled };
    })();
    if (out.replaced) {
      this.unschedule(out.replaced.id);
      this.ctx.events.publish({ api: "bulkoperations", action: "DELETE", id: String(out.replaced.id) });
      this.publish("CREATE", out.row, baseUrl);
    } else this.publish("UPDATE", out.row, baseUrl);
    this.schedule(out.row);
    return out.row;
  }

  /**
   * DELETE cancels a bulk operation that is SCHEDULED or still creating children: no further child is created,
   * the existing ones stay as they are; status DELETED, generalStatus CANCELED. Anything else is 422.
   */
  cancel(actor: Actor, id: string): void {
    const row = this.ctx.db.transaction(() => {
      const current = this.get(id);
      if (current.status !== "ACTIVE" && current.status !== "IN_PROGRESS")
        throw invalidData(
          RESOURCE,
          `Only ACTIVE or IN_PROGRESS bulk operations can be deleted; ${id} is ${current.status}`,
        );
      return this.commitState(
        current,
        { ...current, status: "DELETED" },
        actor,
        [],
        [],
        "Bulk operation deleted",
      );
    })();
    this.unschedule(row.id);
    this.ctx.events.publish({ api: "bulkoperations", action: "DELETE", id: String(row.id) });
  }

  // ----- progress: the hook of the operations service -----------------------------------------------------------

  changed(change: BulkChildChange): void {
    const delta: Partial<Record<string, number>> = {};
    if (change.from !== null) delta[change.from] = (delta[change.from] ?? 0) - 1;
    if (change.to !== null) delta[change.to] = (delta[change.to] ?? 0) + 1;
    this.store.addProgress(change.bulkOperationId, delta);
    const row = this.store.get(change.bulkOperationId);
    if (!row) return;
    if (generalStatusOf(row) !== row.general_status) this.commitState(row, row, change.actor ?? ownerOf(row));
    this.dirty.add(row.id);
  }

  settled(): void {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    if (this.baseUrl === undefined) return;
    for (const id of ids) {
      const row = this.store.get(id);
      if (row) this.publish("UPDATE", row, this.baseUrl);
    }
  }

  // ----- writes ----------------------------------------------------------------------------------------------------

  private insertInTx(actor: Actor, input: BulkInput): BulkRow {
    const targets = this.resolveTargets(input.target);
    const id = Number(this.ctx.nextId());
    this.store.insert(
      {
        id,
        group_id: "groupId" in input.target ? Number(input.target.groupId) : null,
        failed_parent_id: "failedParentId" in input.target ? Number(input.target.failedParentId) : null,
        start_date: input.startDate,
        creation_ramp: input.creationRamp,
        prototype: JSON.stringify(input.prototype),
        note: input.note ?? null,
        status: "ACTIVE",
        general_status: "SCHEDULED",
        next_at: Date.parse(input.startDate),
        owner: actor.user,
        application: actor.application ?? null,
        creation_time: isoTime(this.ctx.now()),
      },
      targets,
    );
    const row = this.store.get(id)!;
    this.record(actor, "Bulk operation created", row, [
      auditChange("status", STRING_TYPE, null, row.status),
      auditChange("generalStatus", STRING_TYPE, null, row.general_status),
    ]);
    return row;
  }

  /**
   * Writes `next` with its generalStatus derived, and an "updated" audit record (or `activity`) when status or
   * generalStatus changed or `edited` names other changes. Inside the caller's transaction; returns the row.
   */
  private commitState(
    before: BulkRow,
    next: BulkRow,
    actor: Actor,
    edited: AuditChange[] = [],
    extra: [string, string][] = [],
    activity = "Bulk operation updated",
  ): BulkRow {
    const row: BulkRow = { ...next, general_status: generalStatusOf(next) };
    this.store.update(row);
    const changes = [...edited];
    if (row.status !== before.status)
      changes.push(auditChange("status", STRING_TYPE, before.status, row.status));
    if (row.general_status !== before.general_status)
      changes.push(auditChange("generalStatus", STRING_TYPE, before.general_status, row.general_status));
    if (changes.length > 0 || activity !== "Bulk operation updated")
      this.record(actor, activity, row, changes, extra);
    return row;
  }

  private record(
    actor: Actor,
    activity: string,
    row: BulkRow,
    changes: AuditChange[],
    extra: [string, string][] = [],
  ): void {
    const prototype = JSON.parse(row.prototype) as Record<string, unknown>;
    const description = typeof prototype.description === "string" ? prototype.description : undefined;
    this.audit.record(actor, {
      type: "BulkOperation",
      sourceId: String(row.id),
      activity,
      text: auditText(activity, [
        ["status", row.status],
        ["general status", row.general_status],
        ["description", description],
        ...extra,
      ]),
      changes,
    });
  }

  /**
   * The target devices, fixed at creation (docs/emulator-bulk-operations.md): a static group's devices in its asset
   * hierarchy, a dynamic group's query (through the inventory's query language, as `q`), or the devices whose child
   * in the parent bulk operation is FAILED. None at all is 422: nothing would ever run.
   */
  private resolveTargets(target: Target): number[] {
    if ("failedParentId" in target) {
      const parent = this.store.get(Number(target.failedParentId));
      if (!parent) throw invalidData(RESOURCE, `Bulk operation ${target.failedParentId} does not exist`);
      const ids = this.store.failedDevices(parent.id);
      if (ids.length === 0)
        throw invalidData(RESOURCE, `Bulk operation ${parent.id} has no failed operations to retry`);
      return ids;
    }
    const id = target.groupId;
    const group = inventoryStore(this.ctx.db).get(Number(id));
    if (!group) throw invalidData(RESOURCE, `Group ${id} does not exist`);
    const fragments = JSON.parse(group.fragments) as Record<string, unknown>;
    let ids: number[];
    if (Object.hasOwn(fragments, "c8y_IsDynamicGroup") || group.type === "c8y_DynamicGroup") {
      const query = fragments.c8y_DeviceQueryString;
      if (typeof query !== "string" || query.trim() === "")
        throw invalidData(RESOURCE, `Dynamic group ${id} has no c8y_DeviceQueryString`);
      ids = this.devicesMatching(id, query);
    } else if (Object.hasOwn(fragments, "c8y_IsDeviceGroup")) {
      ids = this.store.staticGroupDevices(group.id);
    } else throw invalidData(RESOURCE, `${id} is not a group (c8y_IsDeviceGroup or c8y_IsDynamicGroup)`);
    if (ids.length === 0) throw invalidData(RESOURCE, `Group ${id} has no devices`);
    return ids;
  }

  private devicesMatching(groupId: string, query: string): number[] {
    const refused = () =>
      invalidData(RESOURCE, `The c8y_DeviceQueryString of group ${groupId} could not be understood`);
    try {
      return this.store.idsMatching(buildListSql(new URLSearchParams({ q: query }), PLATFORM));
    } catch (e) {
      if (e instanceof PlatformError || (e instanceof Error && e.name === "SqliteError")) throw refused();
      throw e;
    }
  }

  // ----- the runner ------------------------------------------------------------------------------------------------

  private schedule(row: BulkRow): void {
    this.unschedule(row.id);
    if (this.closed || this.baseUrl === undefined || !runnable(row)) return;
    const delay = Math.max(0, row.next_at - this.ctx.now());
    this.timers.set(
      row.id,
      this.ctx.scheduler.after(delay, () => this.step(row.id)),
    );
  }

  private unschedule(id: number): void {
    this.timers.get(id)?.();
    this.timers.delete(id);
  }

  /**
   * Creates the children that are due, in one transaction with the cursor: with a ramp, one child and the next one
   * `creationRamp` later (not earlier than that after a pause or a restart: no burst); without, a batch. Then
   * publishes them and waits for the next one.
   */
  private step(id: number): void {
    this.timers.delete(id);
    if (this.closed || this.baseUrl === undefined) return;
    const children: OperationRow[] = [];
    let row: BulkRow | undefined;
    try {
      row = this.ctx.db.transaction(() => {
        const current = this.store.get(id);
        const now = this.ctx.now();
        // Long delays are woken in chunks (timers have a limit): not due yet is nothing to do.
        if (!current || !runnable(current) || now < current.next_at) return current;
        const actor = ownerOf(current);
        let r = current;
        if (r.status === "ACTIVE") r = this.commitState(r, { ...r, status: "IN_PROGRESS" }, actor);
        const fragments = fragmentsOf(JSON.parse(r.prototype) as Record<string, unknown>);
        const rampMs = r.creation_ramp * 1000;
        let { created, next_at: nextAt } = r;
        for (const device of this.store.targets(id, created, CREATION_BATCH)) {
          if (now < nextAt) break;
          // A target deleted before its turn cannot get its operation: it counts as failed.
          if (this.ctx.hierarchy.exists(String(device)))
            children.push(this.ops.createInTx(actor, String(device), fragments, id));
          else this.changed({ bulkOperationId: id, from: null, to: "FAILED", actor });
          created++;
          if (rampMs > 0) nextAt = now - nextAt < rampMs ? nextAt + rampMs : now + rampMs;
        }
        // The counters moved with each child (the hook): continue from the row as it is now.
        const fresh = this.store.get(id)!;
        return this.commitState(
          fresh,
          {
            ...fresh,
            created,
            next_at: nextAt,
            status: created >= fresh.total ? "COMPLETED" : fresh.status,
          },
          actor,
        );
      })();
    } catch (err) {
      this.log(`bulk operations: creating the operations of ${id} failed`, err);
      this.dirty.delete(id);
      if (!this.closed)
        this.timers.set(
          id,
          this.ctx.scheduler.after(RETRY_AFTER_ERROR_MS, () => this.step(id)),
        );
      return;
    }
    for (const child of children) this.ops.publishCreated(child, this.baseUrl);
    this.settled();
    if (row) this.schedule(row);
  }

  private publish(action: "CREATE" | "UPDATE", row: BulkRow, baseUrl: string): void {
    this.ctx.events.publish({
      api: "bulkoperations",
      action,
      id: String(row.id),
      data: bulkOperationJson(baseUrl, row),
    });
  }
}

const ownerOf = (row: BulkRow): Actor =>
  row.application === null ? { user: row.owner } : { user: row.owner, application: row.application };

const targetOf = (row: BulkRow): Target =>
  row.group_id !== null
    ? { groupId: String(row.group_id) }
    : { failedParentId: String(row.failed_parent_id) };

/** The fields a PUT changed, as audit changes. */
function editedFields(before: BulkRow, after: BulkRow): AuditChange[] {
  const out: AuditChange[] = [];
  const compare = (attribute: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(auditChange(attribute, CHANGE_TYPES[attribute] ?? STRING_TYPE, a, b));
  };
  compare("startDate", before.start_date, after.start_date);
  compare("creationRamp", before.creation_ramp, after.creation_ramp);
  if (before.prototype !== after.prototype)
    out.push(
      auditChange(
        "operationPrototype",
        CHANGE_TYPES.operationPrototype!,
        JSON.parse(before.prototype),
        JSON.parse(after.prototype),
      ),
    );
  compare("note", before.note, after.note);
  return out;
}

const services = new WeakMap<PlatformContext, BulkOperationsService>();
/** The one service of a platform; the first call (app.ts, at start) passes the logger. */
export function bulkOperationsService(
  ctx: PlatformContext,
  log?: (message: string, error?: unknown) => void,
): BulkOperationsService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new BulkOperationsService(ctx, log)));
  return s;
}
