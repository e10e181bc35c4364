import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import { forbidden, notFound } from "../../http/errors.js";
import { assertDocumentSize } from "../../http/limits.js";
import { isId } from "../../store/hierarchy.js";
import { auditService, auditText, type Actor } from "../audit/service.js";
import { externalIdTaken, validateExternalId } from "../identity/service.js";
import { externalIdStore, type ExternalIdStore } from "../identity/store.js";
import { operationsService } from "../operations/service.js";
import type { RemovedOperation } from "../operations/store.js";
import { mergeFragments, type MoInput } from "./input.js";
import { defaultRender, renderMany, type Json } from "./serialize.js";
import { CHILD_KINDS, inventoryStore, type InventoryStore, type MoRow } from "./store.js";

export const moNotFound = (id: string) =>
  notFound("inventory", `Finding device data from database failed : No managedObject for id '${id}'!`);

/** Nothing in the inventory is open to the bootstrap user (it may only ask for device credentials). */
export function requireUser(p: Principal): void {
  if (p.kind === "bootstrap") throw forbidden();
}

/**
 * The availability and connection model (emulator/platform/presence/). It computes fragments the platform maintains
 * itself; they are consulted on every create and update, inside the transaction, so a client's change that affects
 * them (c8y_RequiredAvailability) is answered and announced with them already in line.
 */
export interface PresenceHook {
  /** The changes (value, or null to remove) the platform makes on top of `fragments`; empty for none. */
  changesFor(id: number, fragments: Record<string, unknown>): Map<string, unknown>;
  /** A message from the device arrived (an availability heartbeat); `baseUrl` renders the update it may cause. */
  heartbeat(id: number, baseUrl: string): void;
}

export interface DeleteFlags {
  cascade: boolean;
  forceCascade: boolean;
  withDeviceUser: boolean;
}

/**
 * Inventory writes shared by the object and reference routes. Methods ending in `InTx` must run inside the
 * caller's db.transaction; events are published by the caller after the commit (`publish…`).
 */
export class InventoryService {
  readonly store: InventoryStore;
  readonly externalIds: ExternalIdStore;
  private presence: PresenceHook | undefined;

  constructor(readonly ctx: PlatformContext) {
    this.store = inventoryStore(ctx.db);
    this.externalIds = externalIdStore(ctx.db);
  }

  attachPresence(hook: PresenceHook): void {
    this.presence = hook;
  }

  heartbeat(id: number, baseUrl: string): void {
    this.presence?.heartbeat(id, baseUrl);
  }

  /** The object for a path id: 404 when unknown (or no id at all), 403 when the caller may not see it. */
  accessible(p: Principal, id: string): MoRow {
    requireUser(p);
    const row = isId(id) ? this.store.get(Number(id)) : undefined;
    if (!row) throw moNotFound(id);
    if (!this.ctx.hierarchy.canAccess(p, id)) throw forbidden();
    return row;
  }

  /** The creating user owns the new object (an `owner` in the body is not read on create, see parseMoInput). */
  createInTx(p: Principal, input: MoInput, nowMs: number): MoRow {
    const owner = p.username;
    for (const { type, externalId } of input.externalIds) {
      validateExternalId(type, externalId, "inventory");
      if (this.externalIds.find(type, externalId)) throw externalIdTaken(type, externalId);
    }
    const row = this.insertInTx({ ...input, owner, fragments: Object.fromEntries(input.fragments) }, nowMs);
    for (const { type, externalId } of input.externalIds) this.externalIds.insert(type, externalId, row.id);
    return row;
  }

  /**
   * Inserts an object the platform itself creates (device registration: groups of a bulk PATH, bulk devices); no
   * access rules apply. `fragments` are the custom top-level fragments. Inside the caller's transaction.
   */
  insertInTx(
    obj: { name?: string | null; type?: string | null; owner: string; fragments: Record<string, unknown> },
    nowMs: number,
  ): MoRow {
    const now = isoTime(nowMs);
    const id = Number(this.ctx.nextId());
    // fromEntries/JSON keep a "__proto__" fragment an ordinary key.
    const fragments = this.withMaintained(id, obj.fragments);
    const row: MoRow = {
      id,
      type: obj.type ?? null,
      name: obj.name ?? null,
      owner: obj.owner,
      creation_time: now,
      last_updated: now,
      fragments: JSON.stringify(fragments),
    };
    this.store.insert(row, Object.keys(fragments));
    return row;
  }

  /** PUT semantics: present top-level fragments replace the old value whole, null removes, the rest stays. */
  updateInTx(p: Principal, row: MoRow, input: MoInput, nowMs: number): MoRow {
    if (
      input.owner !== undefined &&
      p.kind !== "admin" &&
      input.owner !== row.owner &&
      input.owner !== p.username
    )
      throw forbidden("Access is denied: owner");
    const current = JSON.parse(row.fragments) as Record<string, unknown>;
    const merged = this.withMaintained(row.id, mergeFragments(current, input.fragments).merged);
    const fragments = JSON.stringify(merged);
    assertDocumentSize(fragments, this.ctx.config.bodyLimit, "inventory");
    const next: MoRow = {
      ...row,
      name: input.name === undefined ? row.name : input.name,
      type: input.type === undefined ? row.type : input.type,
      owner: input.owner ?? row.owner,
      last_updated: bumped(row.last_updated, nowMs),
      fragments,
    };
    this.store.update(next, ...fragmentDiff(current, merged));
    return next;
  }

  /**
   * A change of the platform's own fragments (no user behind it). `lastUpdated` stays: a recorded tenant response
   * shows c8y_Availability.lastMessage a month after lastUpdated (docs/emulator-presence.md). Returns the row
   * written, or undefined when nothing changed.
   */
  applyMaintainedInTx(row: MoRow, changes: Map<string, unknown>): MoRow | undefined {
    if (changes.size === 0) return undefined;
    const current = JSON.parse(row.fragments) as Record<string, unknown>;
    const { merged, added, removed } = mergeFragments(current, changes);
    const next: MoRow = { ...row, fragments: JSON.stringify(merged) };
    this.store.update(next, added, removed);
    return next;
  }

  private withMaintained(id: number, fragments: Record<string, unknown>): Record<string, unknown> {
    const changes = this.presence?.changesFor(id, fragments);
    return changes && changes.size > 0 ? mergeFragments(fragments, changes).merged : fragments;
  }

  /**
   * What a DELETE removes (docs/platform-api.md §4.7): with forceCascade, or cascade on a device or group, the whole
   * hierarchy below; a group without cascade takes its sub-groups along; anything else only itself.
   */
  deletionSet(row: MoRow, flags: DeleteFlags): number[] {
    const isGroup = this.store.hasFragment(row.id, "c8y_IsDeviceGroup");
    const isDevice = this.store.hasFragment(row.id, "c8y_IsDevice");
    if (flags.forceCascade || (flags.cascade && (isGroup || isDevice)))
      return this.store.descendants([row.id], CHILD_KINDS);
    if (isGroup) return this.store.subgroups(row.id);
    return [row.id];
  }

  /**
   * Deletes the set, writing a "Managed object deleted" audit record for each object (docs/platform-fleet.md §2: the one
   * inventory change the platform audits); returns the objects that stay but lost a reference (their
   * representation changed) and the operations that went with the devices.
   */
  deleteInTx(
    actor: Actor,
    ids: number[],
    withDeviceUser: boolean,
  ): { neighbours: number[]; operations: RemovedOperation[] } {
    const audit = auditService(this.ctx);
    for (const row of this.store.getMany(ids))
      audit.record(actor, {
        type: "Inventory",
        sourceId: String(row.id),
        deviceId: String(row.id),
        activity: "Managed object deleted",
        text: auditText("Managed object deleted", [
          ["name", row.name ?? undefined],
          ["type", row.type ?? undefined],
        ]),
      });
    const neighbours = this.store.survivingNeighbours(ids);
    const owners = withDeviceUser ? this.store.deviceOwners(ids) : [];
    const operations = operationsService(this.ctx).deleteForDevicesInTx(actor, ids);
    this.store.deleteMany(ids);
    for (const owner of owners) {
      // Only generated device users go with their device, never an admin who happens to own one.
      if (!owner.startsWith("device_")) continue;
      if (this.ctx.users.find(this.ctx.config.tenant, owner)?.kind === "device")
        this.ctx.users.delete(this.ctx.config.tenant, owner);
    }
    return { neighbours, operations };
  }

  render(rows: readonly MoRow[], baseUrl: string): Json[] {
    return renderMany(this.store, rows, defaultRender(baseUrl));
  }

  /** Publishes CREATE events and returns the rendered objects (the same JSON a POST answers with). */
  publishCreated(rows: readonly MoRow[], baseUrl: string): Json[] {
    const data = this.render(rows, baseUrl);
    for (const d of data)
      this.ctx.events.publish({ api: "managedobjects", action: "CREATE", id: d.id as string, data: d });
    return data;
  }

  /** UPDATE events carry the object as it is now (after the commit), so they are read fresh. */
  publishUpdated(ids: Iterable<number>, baseUrl: string): void {
    const unique = [...new Set(ids)];
    for (const d of this.render(this.store.getMany(unique), baseUrl))
      this.ctx.events.publish({ api: "managedobjects", action: "UPDATE", id: d.id as string, data: d });
  }

  /** The operations that went with deleted devices disappear from operation channels too. */
  publishOperationsDeleted(operations: readonly RemovedOperation[]): void {
    operationsService(this.ctx).publishDeleted(operations);
  }

  publishDeleted(ids: Iterable<number>): void {
    for (const id of ids)
      this.ctx.events.publish({ api: "managedobjects", action: "DELETE", id: String(id) });
  }
}

/** Fragment names that appear in `after` only, and those that disappeared from it. */
function fragmentDiff(before: Record<string, unknown>, after: Record<string, unknown>): [string[], string[]] {
  const added = Object.keys(after).filter((k) => !Object.hasOwn(before, k));
  const removed = Object.keys(before).filter((k) => !Object.hasOwn(after, k));
  return [added, removed];
}

/** lastUpdated moves forward on every update, even when two updates fall into the same millisecond. */
function bumped(previous: string, nowMs: number): string {
  const prev = Date.parse(previous);
  return isoTime(Number.isNaN(prev) || nowMs > prev ? nowMs : prev + 1);
}

const services = new WeakMap<PlatformContext, InventoryService>();
export function inventoryService(ctx: PlatformContext): InventoryService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new InventoryService(ctx)));
  return s;
}
