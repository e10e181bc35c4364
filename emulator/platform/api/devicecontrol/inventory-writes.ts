import { isoTime, type PlatformContext } from "../../context.js";
import type { Db } from "../../store/db.js";
import { inventoryService } from "../inventory/service.js";

/**
 * The few inventory writes device registration needs (groups from a bulk PATH, devices from a full bulk file, their
 * external ids, group membership). They go straight to the tables of store/schema.ts inside the caller's
 * transaction, so a bulk row is created completely or not at all; the caller announces the objects after the
 * commit with `publishInventoryChanges`.
 */

export interface NewObject {
  name?: string;
  type?: string;
  owner: string;
  fragments: Record<string, unknown>;
}

export class InventoryWrites {
  private readonly insertMo;
  private readonly insertFragment;
  private readonly insertRef;
  private readonly insertExternalId;
  private readonly findExternalId;
  private readonly findRootGroup;
  private readonly findSubGroup;
  private readonly firstDeviceOwnedBy;
  private readonly isGroup;

  constructor(
    private readonly ctx: PlatformContext,
    db: Db = ctx.db,
  ) {
    this.insertMo = db.prepare(
      "INSERT INTO managed_objects (id, type, name, owner, creation_time, last_updated, fragments) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertFragment = db.prepare("INSERT OR IGNORE INTO mo_fragments (fragment, mo_id) VALUES (?, ?)");
    this.insertRef = db.prepare(
      "INSERT OR IGNORE INTO mo_refs (parent_id, kind, child_id, seq) VALUES (?, ?, ?, " +
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM mo_refs WHERE parent_id = ? AND kind = ?))",
    );
    this.insertExternalId = db.prepare(
      "INSERT INTO external_ids (type, external_id, mo_id, seq) VALUES (?, ?, ?, " +
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM external_ids WHERE mo_id = ?))",
    );
    this.findExternalId = db.prepare("SELECT mo_id FROM external_ids WHERE type = ? AND external_id = ?");
    // A root group: a group that is nobody's child asset.
    this.findRootGroup = db.prepare(`
      SELECT m.id FROM managed_objects m
      JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDeviceGroup'
      WHERE m.name = ? AND NOT EXISTS (SELECT 1 FROM mo_refs r WHERE r.child_id = m.id AND r.kind = 'childAssets')
      ORDER BY m.id LIMIT 1`);
    this.findSubGroup = db.prepare(`
      SELECT m.id FROM mo_refs r
      JOIN managed_objects m ON m.id = r.child_id
      JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDeviceGroup'
      WHERE r.parent_id = ? AND r.kind = 'childAssets' AND m.name = ?
      ORDER BY m.id LIMIT 1`);
    this.firstDeviceOwnedBy = db.prepare(`
      SELECT m.id FROM managed_objects m
      JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDevice'
      WHERE m.owner = ? ORDER BY m.id LIMIT 1`);
    this.isGroup = db.prepare(
      "SELECT 1 FROM mo_fragments WHERE mo_id = ? AND fragment = 'c8y_IsDeviceGroup'",
    );
  }

  /** Inserts a managed object; `fragments` are the custom top-level fragments (not name/type/owner). */
  createObject(obj: NewObject): string {
    const id = this.ctx.nextId();
    const now = isoTime(this.ctx.now());
    this.insertMo.run(
      Number(id),
      obj.type ?? null,
      obj.name ?? null,
      obj.owner,
      now,
      now,
      JSON.stringify(obj.fragments),
    );
    for (const key of Object.keys(obj.fragments)) this.insertFragment.run(key, Number(id));
    return id;
  }

  link(parentId: string, kind: "childAssets" | "childDevices", childId: string): void {
    this.insertRef.run(Number(parentId), kind, Number(childId), Number(parentId), kind);
  }

  externalIdOwner(type: string, externalId: string): string | undefined {
    const row = this.findExternalId.get(type, externalId) as { mo_id: number } | undefined;
    return row ? String(row.mo_id) : undefined;
  }

  bindExternalId(type: string, externalId: string, moId: string): void {
    this.insertExternalId.run(type, externalId, Number(moId), Number(moId));
  }

  groupExists(id: string): boolean {
    return this.isGroup.get(Number(id)) !== undefined;
  }

  /** The device a device user created (its lowest-id object marked c8y_IsDevice), if any. */
  deviceOwnedBy(username: string): string | undefined {
    const row = this.firstDeviceOwnedBy.get(username) as { id: number } | undefined;
    return row ? String(row.id) : undefined;
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
      const row = (
        parent === undefined ? this.findRootGroup.get(name) : this.findSubGroup.get(Number(parent), name)
      ) as { id: number } | undefined;
      let id = row ? String(row.id) : undefined;
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

/** Objects a registration step created or changed, to announce after the commit. */
export interface InventoryChanges {
  created: string[];
  updated: string[];
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
