import { generatePassword } from "../../auth/passwords.js";
import type { Principal } from "../../auth/principal.js";
import { isoTime, type PlatformContext } from "../../context.js";
import type { ChangeEvent } from "../../events.js";
import { isPlainObject } from "../../http/body.js";
import { duplicate, invalidData, missingFields, notFound } from "../../http/errors.js";
import { assertFieldName, assertStorable } from "../../http/limits.js";
import type { Paging } from "../../http/paging.js";
import { isId } from "../../store/hierarchy.js";
import { deviceUserName, optionalString, readDeviceId, RESOURCE } from "./common.js";
import {
  publishInventoryChanges,
  RegistrationInventory,
  type InventoryChanges,
} from "./registration-inventory.js";
import { GroupAssignmentsStore, RequestsStore, type RequestRow } from "./store.js";

/** Wrong security tokens on acceptance before a request turns BLOCKED (docs/platform-api.md §5.1). */
export const MAX_TOKEN_FAILURES = 3;

export const requestNotFound = (id: string) =>
  notFound(RESOURCE, `Could not find newDeviceRequest by ID ${id}`);

export interface AcceptAllResult {
  id: string;
  successful: boolean;
  error?: string;
}

/**
 * Device registration (docs/platform-api.md §5.1, decisions in §0a and docs/emulator-device-control.md): an admin
 * registers an external id (WAITING_FOR_CONNECTION), the device's first credentials poll moves it to
 * PENDING_ACCEPTANCE, the admin accepts it (the device user is created now), the next poll delivers the password.
 */
export class RegistrationService {
  readonly requests: RequestsStore;
  readonly inventory: RegistrationInventory;
  private readonly assignments: GroupAssignments;

  constructor(private readonly ctx: PlatformContext) {
    this.requests = new RequestsStore(ctx.db);
    this.inventory = new RegistrationInventory(ctx);
    this.assignments = new GroupAssignments(ctx, this.inventory);
  }

  /** Every request in creation order; no status filter (§0a). */
  page(paging: Paging): { rows: RequestRow[]; total: number | undefined } {
    const rows = this.requests.page.all(paging.pageSize, paging.offset);
    const total =
      paging.withTotalPages || paging.withTotalElements ? this.requests.count.get()!.n : undefined;
    return { rows, total };
  }

  get(id: string): RequestRow {
    const row = this.requests.get.get(id);
    if (!row) throw requestNotFound(id);
    return row;
  }

  /** Registers a device id; the caller becomes the owner. */
  create(p: Principal, body: Record<string, unknown>): RequestRow {
    const id = readDeviceId(body);
    const type = optionalString(body, "type");
    const groupId = this.readGroupId(body.groupId);
    const custom = body.customProperties ?? {};
    if (!isPlainObject(custom)) throw invalidData(RESOURCE, "customProperties must be a JSON object");
    for (const [key, value] of Object.entries(custom)) {
      assertFieldName(key, RESOURCE);
      assertStorable(value, RESOURCE, `Custom property '${key.slice(0, 64)}'`);
    }
    return this.ctx.db.transaction(() => {
      if (this.requests.get.get(id))
        throw duplicate(RESOURCE, `A new device request with ID ${id} already exists`);
      this.requests.insert.run(
        id,
        "WAITING_FOR_CONNECTION",
        p.username,
        isoTime(this.ctx.now()),
        groupId ?? null,
        type ?? null,
        JSON.stringify(custom),
      );
      return this.requests.get.get(id)!;
    })();
  }

  /** Accepts every PENDING_ACCEPTANCE request, in creation order. */
  async acceptAll(): Promise<AcceptAllResult[]> {
    const pending = this.requests.pendingAcceptance.all();
    // A device that sent a security token must be accepted one by one with that token (§5.1).
    const results: AcceptAllResult[] = [];
    const candidates = pending.filter((r) => {
      if (r.security_token === null) return true;
      results.push({
        id: r.id,
        successful: false,
        error: "The device sent a security token; accept it singly",
      });
      return false;
    });
    const secrets = await Promise.all(
      candidates.map(async () => {
        const password = generatePassword();
        return { password, hash: await this.ctx.users.hash(password, "generated") };
      }),
    );
    this.ctx.db.transaction(() => {
      candidates.forEach((candidate, i) => {
        const current = this.requests.get.get(candidate.id);
        if (!current || current.status !== "PENDING_ACCEPTANCE") {
          results.push({ id: candidate.id, successful: false, error: "The request changed meanwhile" });
          return;
        }
        this.acceptNow(current, secrets[i]!.password, secrets[i]!.hash);
        results.push({ id: candidate.id, successful: true });
      });
    })();
    const order = new Map(pending.map((r, i) => [r.id, i]));
    results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return results;
  }

  /** Only {status: "ACCEPTED"} (plus securityToken), only from PENDING_ACCEPTANCE (§0a). */
  async accept(id: string, body: Record<string, unknown>): Promise<RequestRow> {
    if (body.status === undefined || body.status === null) throw missingFields("status");
    if (body.status !== "ACCEPTED")
      throw invalidData(
        RESOURCE,
        `Status can only be changed to ACCEPTED, not ${JSON.stringify(body.status)}`,
      );
    const token = optionalString(body, "securityToken");
    const row = this.get(id);
    assertAcceptable(row);
    if (row.security_token !== null && token !== row.security_token) {
      // Counting the failure is the intended effect of this request, so it is written although we answer 422.
      this.requests.countTokenFailure.run(MAX_TOKEN_FAILURES, id);
      const blocked = this.requests.get.get(id)?.status === "BLOCKED";
      throw invalidData(
        RESOURCE,
        blocked
          ? `Security token does not match; too many attempts, the request for ${id} is now BLOCKED`
          : `Security token does not match the one sent by device ${id}`,
      );
    }
    const password = generatePassword();
    const hash = await this.ctx.users.hash(password, "generated");
    return this.ctx.db.transaction(() => {
      const current = this.get(id);
      assertAcceptable(current); // another request may have changed it while we were hashing
      this.acceptNow(current, password, hash);
      return this.requests.get.get(id)!;
    })();
  }

  /** Any status; also the "reset" of a BLOCKED request (§0a). */
  delete(id: string): void {
    if (this.requests.remove.run(id).changes === 0) throw requestNotFound(id);
  }

  /**
   * The device side (docs/startup-phase.md step 0; docs/platform-api.md §5.2 and §0a): every answer except the one delivery is 404, so a
   * device simply keeps polling.
   */
  deliverCredentials(
    body: Record<string, unknown>,
    baseUrl: string,
  ): { id: string; username: string; password: string } {
    const id = readDeviceId(body);
    const token = optionalString(body, "securityToken");
    // One synchronous transaction: two concurrent polls cannot both receive the password.
    const delivered = this.ctx.db.transaction(() => {
      const row = this.requests.get.get(id);
      if (!row) return undefined;
      if (row.status === "WAITING_FOR_CONNECTION") {
        this.requests.setStatus.run("PENDING_ACCEPTANCE", token ?? null, id);
        return undefined;
      }
      if (row.status !== "ACCEPTED" || row.pending_password === null) return undefined;
      this.requests.remove.run(id);
      const username = deviceUserName(id);
      const changes = row.group_id !== null ? this.assignments.assign(username, row.group_id) : undefined;
      return { username, password: row.pending_password, changes };
    })();
    // WAITING, PENDING_ACCEPTANCE, BLOCKED and unknown ids all look the same to the device.
    if (!delivered) throw requestNotFound(id);
    if (delivered.changes) publishInventoryChanges(this.ctx, delivered.changes, baseUrl);
    return { id, username: delivered.username, password: delivered.password };
  }

  /** Marks a request ACCEPTED and creates (or resets) its device user; call inside a transaction. */
  private acceptNow(row: RequestRow, password: string, passwordHash: string): void {
    this.requests.accept.run(password, row.id);
    this.ctx.users.upsertHashed(this.ctx.config.tenant, deviceUserName(row.id), passwordHash, "device");
  }

  /** groupId on registration: the id of an existing device group (string or number), or nothing. */
  private readGroupId(value: unknown): string | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const id = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof id !== "string" || !isId(id) || !this.inventory.groupExists(id))
      throw invalidData(RESOURCE, `groupId ${JSON.stringify(value)} is not an existing device group`);
    return id;
  }
}

function assertAcceptable(row: RequestRow): void {
  switch (row.status) {
    case "PENDING_ACCEPTANCE":
      return;
    case "WAITING_FOR_CONNECTION":
      throw invalidData(
        RESOURCE,
        `Device ${row.id} has not connected yet: it can be accepted once it has requested its credentials`,
      );
    case "ACCEPTED":
      throw invalidData(RESOURCE, `The request for ${row.id} is already accepted`);
    case "BLOCKED":
      throw invalidData(
        RESOURCE,
        `The request for ${row.id} is BLOCKED; delete it and register the device again`,
      );
  }
}

/**
 * The groupId of a registration request. The platform does not create the device: the device creates itself after
 * it got its credentials (docs/startup-phase.md steps 1–3). So at delivery the group is remembered for the device user, and the first
 * device object that user creates is put into the group (childAssets). If the user already owns a device (a device
 * registered again), it goes into the group at delivery.
 */
class GroupAssignments {
  private readonly store: GroupAssignmentsStore;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly inventory: RegistrationInventory,
  ) {
    this.store = new GroupAssignmentsStore(ctx.db);
    ctx.events.subscribe((e) => this.onChange(e));
  }

  /** Inside the delivery transaction; returns what to announce when an existing device joined the group. */
  assign(username: string, groupId: string): InventoryChanges | undefined {
    if (!this.inventory.groupExists(groupId)) return undefined; // the group was deleted meanwhile
    const existing = this.inventory.deviceOwnedBy(username);
    if (existing === undefined) {
      this.store.remember(username, Number(groupId), new Date(this.ctx.now()).toISOString());
      return undefined;
    }
    this.inventory.link(groupId, "childAssets", existing);
    return { created: [], updated: [groupId, existing] };
  }

  private onChange(e: ChangeEvent): void {
    if (e.api !== "managedobjects" || e.action !== "CREATE") return;
    // Runs inside another module's publish(): never let a failure here reach that request.
    try {
      const mo = this.inventory.deviceInfo(e.id);
      if (!mo || !mo.isDevice) return;
      const groupId = this.ctx.db.transaction(() => {
        const group = this.store.take(mo.owner);
        if (group === undefined || !this.inventory.groupExists(String(group))) return undefined;
        this.inventory.link(String(group), "childAssets", e.id);
        return String(group);
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

const services = new WeakMap<PlatformContext, RegistrationService>();
export function registrationService(ctx: PlatformContext): RegistrationService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new RegistrationService(ctx)));
  return s;
}
