import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import { forbidden, invalidData, notFound } from "../../http/errors.js";
import { assertDocumentSize } from "../../http/limits.js";
import type { Paging } from "../../http/paging.js";
import { isId } from "../../store/hierarchy.js";
import { auditChange, auditService, auditText, type Actor, type AuditService } from "../audit/service.js";
import type { AuditChange } from "../audit/store.js";
import { RESOURCE } from "../devicecontrol/common.js";
import { externalIdStore, type ExternalIdStore } from "../identity/store.js";
import { fragmentsOf, readDeviceRef, readUpdate } from "./input.js";
import { operationJson, operationListItemJson } from "./serialize.js";
import {
  operationsStore,
  type OperationFilter,
  type OperationRow,
  type OperationStatus,
  type OperationsStore,
  type RemovedOperation,
} from "./store.js";

/** Status changes the platform accepts (docs/platform-api.md §0a); SUCCESSFUL and FAILED are final. */
const TRANSITIONS: Record<OperationStatus, readonly OperationStatus[]> = {
  PENDING: ["EXECUTING", "FAILED"],
  EXECUTING: ["SUCCESSFUL", "FAILED"],
  SUCCESSFUL: [],
  FAILED: [],
};

export const operationNotFound = (id: string) =>
  notFound(RESOURCE, `Finding device data from database failed : No operation for gid '${id}'!`);

const agentOf = (row: OperationRow) => (row.agent_id === null ? undefined : String(row.agent_id));

/** Java types the platform names in the `changes` of operation audit records (inferred from the model classes). */
const STATUS_TYPE = "com.cumulocity.model.operation.OperationStatus";
const STRING_TYPE = "java.lang.String";

/** The longest delivery log we keep; older entries are dropped first (docs/emulator-device-control.md). */
export const MAX_DELIVERY_LOG = 100;

interface DeliveryState {
  status: string;
  time: string;
  log: { status: string; time: string }[];
}

/**
 * An operation that belongs to a bulk operation was created (`from` null), changed its status, or was deleted
 * (`to` null). Reported inside the transaction of the change, so the bulk operation's progress is written with it.
 */
export interface BulkChildChange {
  bulkOperationId: number;
  from: OperationStatus | null;
  to: OperationStatus | null;
  /** Who made the change; undefined when the platform removed the operation without a caller to name. */
  actor: Actor | undefined;
}

/** The bulk operations module (docs/emulator-bulk-operations.md): keeps progress in step with the children. */
export interface BulkChildHook {
  /** Inside the transaction of the change; a throw rolls the change back. */
  changed(change: BulkChildChange): void;
  /** After a write that reported changes has ended (committed or not): announce what changed. */
  settled(): void;
}

/**
 * Operations for devices (docs/platform-api.md §5.4, seed "Working with operations" and step 6): the rules of creating,
 * updating, listing and deleting, on top of OperationsStore. Writes run in one transaction each; the change events
 * are published after the commit.
 */
export class OperationsService {
  readonly store: OperationsStore;
  private readonly externalIds: ExternalIdStore;
  private readonly audit: AuditService;
  private bulkHook: BulkChildHook | undefined;

  constructor(private readonly ctx: PlatformContext) {
    this.store = operationsStore(ctx.db);
    this.externalIds = externalIdStore(ctx.db);
    this.audit = auditService(ctx);
    ctx.events.onHandover((data) => this.handedOver(data));
  }

  attachBulkHook(hook: BulkChildHook): void {
    this.bulkHook = hook;
  }

  /** Reports a change of a bulk operation's child; call inside the transaction of the change. */
  private childChanged(
    bulkOperationId: number | null,
    from: OperationStatus | null,
    to: OperationStatus | null,
    actor: Actor | undefined,
  ): void {
    if (bulkOperationId !== null && from !== to) this.bulkHook?.changed({ bulkOperationId, from, to, actor });
  }

  /** Runs a write; afterwards (committed or rolled back) lets the bulk operations announce what they changed. */
  private write<T>(fn: () => T): T {
    try {
      return this.ctx.db.transaction(fn)();
    } finally {
      this.bulkHook?.settled();
    }
  }

  /** The bootstrap user may do nothing with operations. */
  requireUser(p: Principal): void {
    if (p.kind === "bootstrap") throw forbidden();
  }

  private assertCanAccess(p: Principal, deviceId: string): void {
    if (!this.ctx.hierarchy.canAccess(p, deviceId)) throw forbidden();
  }

  /** One page of the filtered list, FIFO by id (newest first with `revert`), with the total when asked for. */
  list(
    filter: OperationFilter,
    paging: Paging,
    revert: boolean,
    withExternalIds: boolean,
    baseUrl: string,
  ): { operations: Record<string, unknown>[]; total: number | undefined } {
    const rows = this.store.page(filter, revert, paging.pageSize, paging.offset);
    const total = paging.withTotalPages || paging.withTotalElements ? this.store.count(filter) : undefined;
    const operations = rows.map((row) =>
      operationListItemJson(
        baseUrl,
        row,
        withExternalIds ? this.externalIds.listFor(row.device_id) : undefined,
      ),
    );
    return { operations, total };
  }

  get(p: Principal, id: string): OperationRow {
    const row = isId(id) ? this.store.get(Number(id)) : undefined;
    if (!row) throw operationNotFound(id);
    this.assertCanAccess(p, String(row.device_id));
    return row;
  }

  /**
   * Always PENDING, routed to the nearest agent at or above the device; delivery PENDING with an empty log. The
   * "Operation created" audit record is written in the same transaction.
   */
  create(p: Principal, actor: Actor, body: Record<string, unknown>, baseUrl: string): OperationRow {
    const deviceId = readDeviceRef(body.deviceId);
    const fragments = fragmentsOf(body);
    if (p.kind === "device") this.assertCanAccess(p, deviceId);
    const row = this.write(() => this.createInTx(actor, deviceId, fragments, null));
    this.publishCreated(row, baseUrl);
    return row;
  }

  /**
   * Creates one operation inside the caller's transaction (a REST POST, or a bulk operation creating its
   * children); the caller publishes it with `publishCreated` after the commit. `fragments` are already read
   * (read-only fields dropped).
   */
  createInTx(
    actor: Actor,
    deviceId: string,
    fragments: ReadonlyMap<string, unknown>,
    bulkOperationId: number | null,
  ): OperationRow {
    // The contract names only 422 for a bad payload; an unknown device is one (docs/emulator-device-control.md).
    if (!this.ctx.hierarchy.exists(deviceId))
      throw invalidData(RESOURCE, `Device ${deviceId} does not exist`);
    const id = Number(this.ctx.nextId());
    // No agent above the device: created anyway, without agentId (§0a).
    const agent = this.ctx.hierarchy.agentFor(deviceId);
    const now = isoTime(this.ctx.now());
    const delivery: DeliveryState = { status: "PENDING", time: now, log: [] };
    this.store.insert({
      id,
      deviceId: Number(deviceId),
      agentId: agent === undefined ? null : Number(agent),
      creationTime: now,
      // fromEntries defines own properties: a "__proto__" fragment stays an ordinary key.
      fragments: JSON.stringify(Object.fromEntries(fragments)),
      delivery: JSON.stringify(delivery),
      bulkOperationId,
    });
    const row = this.store.get(id)!;
    // The record's time is the operation's creationTime: one instant for one change.
    this.recordAudit(
      actor,
      "Operation created",
      row,
      [auditChange("status", STATUS_TYPE, null, row.status)],
      {
        time: row.creation_time,
      },
    );
    this.childChanged(bulkOperationId, null, row.status, actor);
    return row;
  }

  /** Announces a new operation (to the agent endpoint too); after the commit. */
  publishCreated(row: OperationRow, baseUrl: string): void {
    this.publish("CREATE", row, baseUrl);
  }

  /**
   * Status (required) along the allowed transitions, plus fragments. A change of status writes an "Operation
   * updated" audit record in the same transaction; a PUT that keeps the status (fragments only) writes none.
   */
  update(
    p: Principal,
    actor: Actor,
    id: string,
    body: Record<string, unknown>,
    baseUrl: string,
  ): OperationRow {
    const { status, reason, changes } = readUpdate(body);
    const row = this.write(() => {
      const current = isId(id) ? this.store.get(Number(id)) : undefined;
      if (!current) throw operationNotFound(id);
      this.assertCanAccess(p, String(current.device_id));
      if (status !== current.status && !TRANSITIONS[current.status].includes(status))
        throw invalidData(
          RESOURCE,
          `Operation ${id} cannot change from ${current.status} to ${status}` +
            (TRANSITIONS[current.status].length === 0 ? ` (${current.status} is final)` : ""),
        );
      // A fragment in the body replaces the stored one wholesale; null removes it (as for managed objects).
      const fragments = new Map(Object.entries(JSON.parse(current.fragments) as Record<string, unknown>));
      for (const [key, value] of changes) {
        if (value === null) fragments.delete(key);
        else fragments.set(key, value);
      }
      const failureReason =
        status === "FAILED" ? (reason === undefined ? current.failure_reason : (reason ?? null)) : null;
      const json = JSON.stringify(Object.fromEntries(fragments));
      assertDocumentSize(json, this.ctx.config.bodyLimit, RESOURCE);
      this.store.update(current.id, status, failureReason, json);
      const row = this.store.get(current.id)!;
      if (row.status !== current.status) {
        const changes = [auditChange("status", STATUS_TYPE, current.status, row.status)];
        if (row.failure_reason !== current.failure_reason)
          changes.push(auditChange("failureReason", STRING_TYPE, current.failure_reason, row.failure_reason));
        this.recordAudit(actor, "Operation updated", row, changes);
        this.childChanged(row.bulk_operation_id, current.status, row.status, actor);
      }
      return row;
    });
    this.publish("UPDATE", row, baseUrl);
    return row;
  }

  /** By filter; without any filter every operation goes (as upstream). */
  deleteWhere(actor: Actor, filter: OperationFilter): void {
    const deleted = this.write(() => this.reportRemoved(actor, this.store.deleteWhere(filter)));
    this.publishDeleted(deleted);
  }

  /**
   * Deletes the operations of devices that are being deleted, inside the inventory's transaction; the inventory
   * publishes them with `publishDeleted` after its commit.
   */
  deleteForDevicesInTx(actor: Actor, deviceIds: readonly number[]): RemovedOperation[] {
    return this.reportRemoved(actor, this.store.deleteForDevices(deviceIds));
  }

  private reportRemoved(actor: Actor, removed: RemovedOperation[]): RemovedOperation[] {
    for (const o of removed) this.childChanged(o.bulkOperationId, o.status, null, actor);
    return removed;
  }

  /** `source` is the operation, the device goes into AuditSourceDevice (docs/platform-fleet.md §2). */
  private recordAudit(
    actor: Actor,
    activity: string,
    row: OperationRow,
    changes: AuditChange[],
    options: { time?: string } = {},
  ) {
    const fragments = JSON.parse(row.fragments) as Record<string, unknown>;
    const description = typeof fragments.description === "string" ? fragments.description : undefined;
    const deviceId = String(row.device_id);
    this.audit.record(actor, {
      type: "Operation",
      sourceId: String(row.id),
      deviceId,
      activity,
      text: auditText(activity, [
        ["status", row.status],
        ["description", description],
        ["device name", this.ctx.hierarchy.deviceName(deviceId)],
      ]),
      changes,
      ...options,
    });
  }

  /**
   * The agent endpoint handed the operation to a session (docs/emulator-device-control.md, "Delivery"): the current
   * state goes into the log, followed by SEND, and the status becomes DELIVERED. Every further hand-over (another
   * session, a reconnect) appends again. Publishes an UPDATE, as for any change of the representation.
   */
  private handedOver(data: unknown): void {
    // Runs inside the realtime endpoint's reply path: a failure here must never break the delivery itself.
    try {
      const id = typeof data === "object" && data !== null ? (data as { id?: unknown }).id : undefined;
      if (typeof id !== "string" || !isId(id)) return;
      const row = this.ctx.db.transaction(() => {
        const current = this.store.get(Number(id));
        if (!current) return undefined; // deleted meanwhile
        const now = isoTime(this.ctx.now());
        const before = JSON.parse(current.delivery) as DeliveryState;
        const log = [
          ...before.log,
          { status: before.status, time: before.time },
          { status: "SEND", time: now },
        ];
        const next: DeliveryState = { status: "DELIVERED", time: now, log: log.slice(-MAX_DELIVERY_LOG) };
        this.store.setDelivery(current.id, JSON.stringify(next));
        return this.store.get(current.id)!;
      })();
      if (!row) return;
      // The base URL of the representation the endpoint delivered (self links must match the REST answers).
      const self =
        typeof (data as { self?: unknown }).self === "string" ? (data as { self: string }).self : "";
      this.publish("UPDATE", row, self.replace(/\/devicecontrol\/operations\/[^/]*$/, ""));
    } catch {
      // Only the delivery record is lost; the operation reached the agent.
    }
  }

  private publish(action: "CREATE" | "UPDATE", row: OperationRow, baseUrl: string): void {
    this.ctx.events.publish({
      api: "operations",
      action,
      id: String(row.id),
      deviceId: String(row.device_id),
      agentId: agentOf(row),
      data: operationJson(baseUrl, row),
    });
  }

  /** Removed operations disappear from the operation channels too. Call after the commit. */
  publishDeleted(operations: readonly RemovedOperation[]): void {
    this.bulkHook?.settled();
    for (const o of operations)
      this.ctx.events.publish({
        api: "operations",
        action: "DELETE",
        id: o.id,
        deviceId: o.deviceId,
        agentId: o.agentId,
      });
  }
}

const services = new WeakMap<PlatformContext, OperationsService>();
export function operationsService(ctx: PlatformContext): OperationsService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new OperationsService(ctx)));
  return s;
}
