import type { PlatformContext } from "../context.js";
import type { ChangeEvent } from "../events.js";
import { readJsonObject } from "../http/body.js";
import { forbidden, notFound } from "../http/errors.js";
import type { Router } from "../http/router.js";
import { deviceUserName, optionalString, readDeviceId, RESOURCE } from "./devicecontrol/common.js";
import {
  InventoryWrites,
  publishInventoryChanges,
  type InventoryChanges,
} from "./devicecontrol/inventory-writes.js";
import { RequestsStore } from "./devicecontrol/requests-store.js";

/**
 * POST /devicecontrol/deviceCredentials, the device side of registration (seed step 0; platform-api.md §5.2 and §0a).
 * Every answer except the one delivery is 404, so a device simply keeps polling.
 */
export function registerDeviceCredentialsApi(router: Router, ctx: PlatformContext): void {
  const store = new RequestsStore(ctx.db);
  const inventory = new InventoryWrites(ctx);
  const assignments = new GroupAssignments(ctx, inventory);
  const { tenant } = ctx.config;

  router.post("/devicecontrol/deviceCredentials", async (rc) => {
    // Only the bootstrap user asks for credentials; tenant users must not (platform-api.md §1.1).
    if (rc.principal.kind !== "bootstrap") throw forbidden();
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const id = readDeviceId(body);
    const token = optionalString(body, "securityToken");
    // One synchronous transaction: two concurrent polls cannot both receive the password.
    const delivered = ctx.db.transaction(() => {
      const row = store.get.get(id);
      if (!row) return undefined;
      if (row.status === "WAITING_FOR_CONNECTION") {
        store.setStatus.run("PENDING_ACCEPTANCE", token ?? null, id);
        return undefined;
      }
      if (row.status !== "ACCEPTED" || row.pending_password === null) return undefined;
      store.remove.run(id);
      const username = deviceUserName(id);
      const changes = row.group_id !== null ? assignments.assign(username, row.group_id) : undefined;
      return { username, password: row.pending_password, changes };
    })();
    // WAITING, PENDING_ACCEPTANCE, BLOCKED and unknown ids all look the same to the device.
    if (!delivered) throw notFound(RESOURCE, `Could not find newDeviceRequest by ID ${id}`);
    if (delivered.changes) publishInventoryChanges(ctx, delivered.changes, rc.baseUrl);
    return {
      status: 200,
      type: "deviceCredentials",
      body: {
        id,
        self: `${rc.baseUrl}/devicecontrol/deviceCredentials/${encodeURIComponent(id)}`,
        tenantId: tenant,
        username: delivered.username,
        password: delivered.password,
      },
    };
  });
}

/**
 * The groupId of a registration request. The platform does not create the device: the device creates itself after
 * it got its credentials (seed steps 1–3). So at delivery the group is remembered for the device user, and the first
 * device object that user creates is put into the group (childAssets). If the user already owns a device (a device
 * registered again), it goes into the group at delivery.
 */
class GroupAssignments {
  private readonly insert;
  private readonly take;
  private readonly ownerOf;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly inventory: InventoryWrites,
  ) {
    this.insert = ctx.db.prepare(
      "INSERT INTO device_group_assignments (username, group_id, created_at) VALUES (?, ?, ?) " +
        "ON CONFLICT (username) DO UPDATE SET group_id = excluded.group_id, created_at = excluded.created_at",
    );
    this.take = ctx.db.prepare<[string], { group_id: number }>(
      "DELETE FROM device_group_assignments WHERE username = ? RETURNING group_id",
    );
    this.ownerOf = ctx.db.prepare<[number], { owner: string; is_device: number }>(
      "SELECT owner, EXISTS (SELECT 1 FROM mo_fragments f WHERE f.mo_id = m.id AND f.fragment = 'c8y_IsDevice') " +
        "AS is_device FROM managed_objects m WHERE m.id = ?",
    );
    ctx.events.subscribe((e) => this.onChange(e));
  }

  /** Inside the delivery transaction; returns what to announce when an existing device joined the group. */
  assign(username: string, groupId: string): InventoryChanges | undefined {
    if (!this.inventory.groupExists(groupId)) return undefined; // the group was deleted meanwhile
    const existing = this.inventory.deviceOwnedBy(username);
    if (existing === undefined) {
      this.insert.run(username, Number(groupId), new Date(this.ctx.now()).toISOString());
      return undefined;
    }
    this.inventory.link(groupId, "childAssets", existing);
    return { created: [], updated: [groupId, existing] };
  }

  private onChange(e: ChangeEvent): void {
    if (e.api !== "managedobjects" || e.action !== "CREATE") return;
    // Runs inside another module's publish(): never let a failure here reach that request.
    try {
      const mo = this.ownerOf.get(Number(e.id));
      if (!mo || !mo.is_device) return;
      const groupId = this.ctx.db.transaction(() => {
        const row = this.take.get(mo.owner);
        if (!row || !this.inventory.groupExists(String(row.group_id))) return undefined;
        this.inventory.link(String(row.group_id), "childAssets", e.id);
        return String(row.group_id);
      })();
      if (groupId === undefined) return;
      // Announced once the CREATE has reached every listener, so nobody sees the update before the creation.
      const self = typeof e.data.self === "string" ? e.data.self : "";
      const baseUrl = self.replace(/\/inventory\/managedObjects\/[^/]*$/, "");
      queueMicrotask(() => {
        try {
          publishInventoryChanges(this.ctx, { created: [], updated: [groupId, e.id] }, baseUrl);
        } catch {
          // Only the notification is lost; the membership is stored.
        }
      });
    } catch {
      // The device is created either way; only the group membership is lost.
    }
  }
}
