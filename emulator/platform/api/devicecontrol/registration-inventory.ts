import type { PlatformContext } from "../../context.js";
import { externalIdStore, type ExternalIdStore } from "../identity/store.js";
import { inventoryService, type InventoryService } from "../inventory/service.js";
import type { InventoryStore } from "../inventory/store.js";

/**
 * The inventory and identity writes device registration needs (groups from a bulk PATH, devices from a full bulk
 * file, their external ids, group membership). They go through the inventory and identity stores inside the
 * caller's transaction, so a bulk row is created completely or not at all; the caller announces the objects after
 * the commit with `publishInventoryChanges`. Ids are the platform's decimal strings here.
 */

export interface NewObject {
  name?: string;
  type?: string;
  owner: string;
  fragments: Record<string, unknown>;
}

/** Objects a registration step created or changed, to announce after the commit. */
export interface InventoryChanges {
  created: string[];
  updated: string[];
}

export class RegistrationInventory {
  private readonly inventory: InventoryService;
  private readonly store: InventoryStore;
  private readonly externalIds: ExternalIdStore;

  constructor(private readonly ctx: PlatformContext) {
    this.inventory = inventoryService(ctx);
    this.store = this.inventory.store;
    this.externalIds = externalIdStore(ctx.db);
  }

  /** Inserts a managed object; `fragments` are the custom top-level fragments (not name/type/owner). */
  createObject(obj: NewObject): string {
    return String(this.inventory.insertInTx(obj, this.ctx.now()).id);
  }

  /** Links unless the link exists already. */
  link(parentId: string, kind: "childAssets" | "childDevices", childId: string): void {
    this.store.ensureLinked(Number(parentId), kind, Number(childId));
  }

  externalIdOwner(type: string, externalId: string): string | undefined {
    const row = this.externalIds.find(type, externalId);
    return row ? String(row.mo_id) : undefined;
  }

  bindExternalId(type: string, externalId: string, moId: string): void {
    this.externalIds.insert(type, externalId, Number(moId));
  }

  groupExists(id: string): boolean {
    return this.store.hasFragment(Number(id), "c8y_IsDeviceGroup");
  }

  /** The device a device user created (its lowest-id object marked c8y_IsDevice), if any. */
  deviceOwnedBy(username: string): string | undefined {
    const id = this.store.firstDeviceOwnedBy(username);
    return id === undefined ? undefined : String(id);
  }

  /** Whether the object exists and is a device, with its owner. */
  deviceInfo(id: string): { owner: string; isDevice: boolean } | undefined {
    const row = this.store.get(Number(id));
    return row ? { owner: row.owner, isDevice: this.store.hasFragment(row.id, "c8y_IsDevice") } : undefined;
  }

  /**
   * Finds or creates the groups of a bulk PATH ("a/b/c"): a root group c8y_DeviceGroup, sub groups
   * c8y_DeviceSubGroup linked through childAssets. Returns the last group, the groups it created and the existing
   * groups that got a new sub group.
   */
  ensureGroupPath(
    segments: readonly string[],
    owner: string,
  ): { leafId: string; leafIsNew: boolean; changes: InventoryChanges } {
    const changes: InventoryChanges = { created: [], updated: [] };
    let parent: string | undefined;
    let leafIsNew = false;
    for (const name of segments) {
      const found =
        parent === undefined
          ? this.store.rootGroupNamed(name)
          : this.store.subGroupNamed(Number(parent), name);
      let id = found === undefined ? undefined : String(found);
      leafIsNew = id === undefined;
      if (id === undefined) {
        id = this.createObject({
          name,
          type: parent === undefined ? "c8y_DeviceGroup" : "c8y_DeviceSubGroup",
          owner,
          fragments: { c8y_IsDeviceGroup: {} },
        });
        if (parent !== undefined) {
          this.link(parent, "childAssets", id);
          if (!changes.created.includes(parent)) changes.updated.push(parent);
        }
        changes.created.push(id);
      }
      parent = id;
    }
    if (parent === undefined) throw new Error("ensureGroupPath needs at least one segment");
    return { leafId: parent, leafIsNew, changes };
  }
}

/**
 * Publishes managedobjects events for objects written here, rendered by the inventory module so that they look
 * exactly like the events of its own REST writes. Call after the commit.
 */
export function publishInventoryChanges(
  ctx: PlatformContext,
  changes: InventoryChanges,
  baseUrl: string,
): void {
  const svc = inventoryService(ctx);
  const created = new Set(changes.created);
  if (created.size > 0) svc.publishCreated(svc.store.getMany([...created].map(Number)), baseUrl);
  const updated = changes.updated.filter((id) => !created.has(id)).map(Number);
  if (updated.length > 0) svc.publishUpdated(updated, baseUrl);
}
