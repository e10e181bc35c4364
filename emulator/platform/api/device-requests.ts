import { generatePassword } from "../auth/passwords.js";
import { isoTime, type PlatformContext } from "../context.js";
import { isPlainObject, readJsonObject } from "../http/body.js";
import { duplicate, invalidData, missingFields, notFound } from "../http/errors.js";
import { pageEnvelope, parsePaging } from "../http/paging.js";
import type { Router } from "../http/router.js";
import { isId } from "../store/hierarchy.js";
import {
  deviceUserName,
  optionalString,
  readDeviceId,
  requireAdmin,
  RESOURCE,
} from "./devicecontrol/common.js";
import { InventoryWrites } from "./devicecontrol/inventory-writes.js";
import { requestJson, requestSelf, RequestsStore, type RequestRow } from "./devicecontrol/requests-store.js";

/** Wrong security tokens on acceptance before a request turns BLOCKED (platform-api.md §5.1). */
export const MAX_TOKEN_FAILURES = 3;

const requestNotFound = (id: string) => notFound(RESOURCE, `Could not find newDeviceRequest by ID ${id}`);

/**
 * Device registration (platform-api.md §5.1, decisions in §0a and docs/emulator-device-control.md): an admin
 * registers an external id (WAITING_FOR_CONNECTION), the device's first credentials poll moves it to
 * PENDING_ACCEPTANCE, the admin accepts it (the device user is created now), the next poll delivers the password.
 */
export function registerDeviceRequestsApi(router: Router, ctx: PlatformContext): void {
  const store = new RequestsStore(ctx.db);
  const inventory = new InventoryWrites(ctx);
  const { tenant } = ctx.config;

  /** Marks a request ACCEPTED and creates (or resets) its device user; call inside a transaction. */
  function acceptNow(row: RequestRow, password: string, passwordHash: string): void {
    store.accept.run(password, row.id);
    ctx.users.upsertHashed(tenant, deviceUserName(row.id), passwordHash, "device");
  }

  // GET /devicecontrol/newDeviceRequests – every request in creation order; no status filter (§0a).
  router.get("/devicecontrol/newDeviceRequests", (rc) => {
    requireAdmin(rc.principal);
    const paging = parsePaging(rc.query, RESOURCE);
    const rows = store.page.all(paging.pageSize, paging.offset);
    const total = paging.withTotalPages || paging.withTotalElements ? store.count.get()!.n : undefined;
    return {
      status: 200,
      type: "newDeviceRequestCollection",
      body: {
        ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total),
        newDeviceRequests: rows.map((r) => requestJson(rc.baseUrl, tenant, r)),
      },
    };
  });

  // POST /devicecontrol/newDeviceRequests – register a device id; the caller becomes the owner.
  router.post("/devicecontrol/newDeviceRequests", async (rc) => {
    requireAdmin(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const id = readDeviceId(body);
    const type = optionalString(body, "type");
    const groupId = readGroupId(body.groupId, inventory);
    const custom = body.customProperties ?? {};
    if (!isPlainObject(custom)) throw invalidData(RESOURCE, "customProperties must be a JSON object");
    const row = ctx.db.transaction(() => {
      if (store.get.get(id)) throw duplicate(RESOURCE, `A new device request with ID ${id} already exists`);
      store.insert.run(
        id,
        "WAITING_FOR_CONNECTION",
        rc.principal.username,
        isoTime(ctx.now()),
        groupId ?? null,
        type ?? null,
        JSON.stringify(custom),
      );
      return store.get.get(id)!;
    })();
    return {
      status: 201,
      type: "newDeviceRequest",
      headers: { location: requestSelf(rc.baseUrl, id) },
      body: requestJson(rc.baseUrl, tenant, row),
      onlyWithAccept: true,
    };
  });

  // POST /devicecontrol/newDeviceRequests/acceptAll – accepts every PENDING_ACCEPTANCE request (JS client call).
  router.post("/devicecontrol/newDeviceRequests/acceptAll", async (rc) => {
    requireAdmin(rc.principal);
    const pending = store.pendingAcceptance.all();
    // A device that sent a security token must be accepted one by one with that token (§5.1).
    const results: { id: string; successful: boolean; error?: string }[] = [];
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
        return { password, hash: await ctx.users.hash(password, "generated") };
      }),
    );
    ctx.db.transaction(() => {
      candidates.forEach((candidate, i) => {
        const current = store.get.get(candidate.id);
        if (!current || current.status !== "PENDING_ACCEPTANCE") {
          results.push({ id: candidate.id, successful: false, error: "The request changed meanwhile" });
          return;
        }
        acceptNow(current, secrets[i]!.password, secrets[i]!.hash);
        results.push({ id: candidate.id, successful: true });
      });
    })();
    const order = new Map(pending.map((r, i) => [r.id, i]));
    results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { status: 200, body: results };
  });

  // GET /devicecontrol/newDeviceRequests/limit – the emulator has no registration limit.
  router.get("/devicecontrol/newDeviceRequests/limit", (rc) => {
    requireAdmin(rc.principal);
    return { status: 200, body: { isReached: false } };
  });

  // GET /devicecontrol/newDeviceRequests/{id}
  router.get("/devicecontrol/newDeviceRequests/:id", (rc) => {
    requireAdmin(rc.principal);
    const row = store.get.get(rc.params.id!);
    if (!row) throw requestNotFound(rc.params.id!);
    return { status: 200, type: "newDeviceRequest", body: requestJson(rc.baseUrl, tenant, row) };
  });

  // PUT /devicecontrol/newDeviceRequests/{id} – only {status: "ACCEPTED"}, only from PENDING_ACCEPTANCE (§0a).
  router.put("/devicecontrol/newDeviceRequests/:id", async (rc) => {
    requireAdmin(rc.principal);
    const id = rc.params.id!;
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    if (body.status === undefined || body.status === null) throw missingFields("status");
    if (body.status !== "ACCEPTED")
      throw invalidData(
        RESOURCE,
        `Status can only be changed to ACCEPTED, not ${JSON.stringify(body.status)}`,
      );
    const token = optionalString(body, "securityToken");
    const row = store.get.get(id);
    if (!row) throw requestNotFound(id);
    assertAcceptable(row);
    if (row.security_token !== null && token !== row.security_token) {
      // Counting the failure is the intended effect of this request, so it is written although we answer 422.
      store.countTokenFailure.run(MAX_TOKEN_FAILURES, id);
      const blocked = store.get.get(id)?.status === "BLOCKED";
      throw invalidData(
        RESOURCE,
        blocked
          ? `Security token does not match; too many attempts, the request for ${id} is now BLOCKED`
          : `Security token does not match the one sent by device ${id}`,
      );
    }
    const password = generatePassword();
    const hash = await ctx.users.hash(password, "generated");
    const updated = ctx.db.transaction(() => {
      const current = store.get.get(id);
      if (!current) throw requestNotFound(id);
      assertAcceptable(current); // another request may have changed it while we were hashing
      acceptNow(current, password, hash);
      return store.get.get(id)!;
    })();
    return {
      status: 200,
      type: "newDeviceRequest",
      body: requestJson(rc.baseUrl, tenant, updated),
      onlyWithAccept: true,
    };
  });

  // DELETE /devicecontrol/newDeviceRequests/{id} – any status; also the "reset" of a BLOCKED request (§0a).
  router.delete("/devicecontrol/newDeviceRequests/:id", (rc) => {
    requireAdmin(rc.principal);
    if (store.remove.run(rc.params.id!).changes === 0) throw requestNotFound(rc.params.id!);
    return { status: 204 };
  });
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

/** groupId on registration: the id of an existing device group (string or number), or nothing. */
function readGroupId(value: unknown, inventory: InventoryWrites): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const id = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== "string" || !isId(id) || !inventory.groupExists(id))
    throw invalidData(RESOURCE, `groupId ${JSON.stringify(value)} is not an existing device group`);
  return id;
}
