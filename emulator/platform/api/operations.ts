import type { Statement } from "better-sqlite3";
import type { Principal } from "../auth/principal.js";
import { isoTime, type PlatformContext } from "../context.js";
import { readJsonObject } from "../http/body.js";
import { forbidden, invalidData, missingFields, notFound } from "../http/errors.js";
import { pageEnvelope, parseBool, parsePaging } from "../http/paging.js";
import type { Router } from "../http/router.js";
import type { Db } from "../store/db.js";
import { isId } from "../store/hierarchy.js";
import { parseDateParam, RESOURCE } from "./devicecontrol/common.js";

export const OPERATION_STATUSES = ["PENDING", "EXECUTING", "SUCCESSFUL", "FAILED"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** Status changes the platform accepts (platform-api.md §0a); SUCCESSFUL and FAILED are final. */
const TRANSITIONS: Record<OperationStatus, readonly OperationStatus[]> = {
  PENDING: ["EXECUTING", "FAILED"],
  EXECUTING: ["SUCCESSFUL", "FAILED"],
  SUCCESSFUL: [],
  FAILED: [],
};

/** Fields the platform maintains; in a request body they are ignored, never stored as fragments. */
const READ_ONLY = new Set([
  "id",
  "self",
  "creationTime",
  "deviceId",
  "deviceName",
  "status",
  "failureReason",
  "agentId",
  "bulkOperationId",
  "deviceExternalIDs",
]);

interface OperationRow {
  id: number;
  device_id: number;
  agent_id: number | null;
  status: OperationStatus;
  creation_time: string;
  failure_reason: string | null;
  bulk_operation_id: number | null;
  fragments: string;
}

const operationNotFound = (id: string) =>
  notFound(RESOURCE, `Finding device data from database failed : No operation for gid '${id}'!`);

function isStatus(v: unknown): v is OperationStatus {
  return typeof v === "string" && (OPERATION_STATUSES as readonly string[]).includes(v);
}

/**
 * The representation, in REST answers and in events alike. `agentId` (the agent the operation was routed to) is
 * what agent notifications carry; it is absent for a device without an agent above it (§0a).
 */
export function operationJson(baseUrl: string, row: OperationRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(row.id),
    self: `${baseUrl}/devicecontrol/operations/${row.id}`,
    creationTime: row.creation_time,
    deviceId: String(row.device_id),
  };
  if (row.agent_id !== null) out.agentId = String(row.agent_id);
  out.status = row.status;
  if (row.failure_reason !== null) out.failureReason = row.failure_reason;
  if (row.bulk_operation_id !== null) out.bulkOperationId = row.bulk_operation_id;
  return { ...out, ...(JSON.parse(row.fragments) as Record<string, unknown>) };
}

/** Custom fragments of a body: read-only fields dropped, empty names refused. */
function fragmentsOf(body: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    if (READ_ONLY.has(key)) continue;
    if (key.trim() === "") throw invalidData(RESOURCE, "Fragment names must not be empty");
    out.set(key, value);
  }
  return out;
}

/** The device an operation is for: a platform id as string or number; missing → mandatory-field error. */
function readDeviceRef(value: unknown): string {
  if (value === undefined || value === null || value === "") throw missingFields("deviceId");
  const id = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== "string" || !isId(id))
    throw invalidData(RESOURCE, `deviceId ${JSON.stringify(value)} is not a managed object id`);
  return id;
}

interface Filter {
  /** Optional WITH clause (device users: the objects they may see). */
  with: string;
  where: string[];
  params: unknown[];
}

/**
 * The collection filters shared by GET and DELETE. An id filter that is not an id at all matches nothing (ids are
 * opaque to clients); a bad status, date or bulk id is 422. Device users only ever see their devices' operations.
 */
function buildFilter(query: URLSearchParams, principal: Principal): Filter {
  const f: Filter = { with: "", where: [], params: [] };
  if (principal.kind === "device") {
    // The same scope as Hierarchy.canAccess: objects the user owns and everything below them.
    f.with = `WITH RECURSIVE acc(id) AS (
      SELECT id FROM managed_objects WHERE owner = ?
      UNION SELECT r.child_id FROM mo_refs r JOIN acc ON r.parent_id = acc.id)`;
    f.params.push(principal.username);
    f.where.push("o.device_id IN (SELECT id FROM acc)");
  }
  for (const [name, column] of [
    ["agentId", "o.agent_id"],
    ["deviceId", "o.device_id"],
  ] as const) {
    const v = query.get(name);
    if (v === null || v === "") continue;
    if (isId(v)) {
      f.where.push(`${column} = ?`);
      f.params.push(Number(v));
    } else f.where.push("0");
  }
  const status = query.get("status");
  if (status !== null && status !== "") {
    if (!isStatus(status))
      throw invalidData(
        RESOURCE,
        `Invalid status '${status}': expected one of ${OPERATION_STATUSES.join(", ")}`,
      );
    f.where.push("o.status = ?");
    f.params.push(status);
  }
  const fragmentType = query.get("fragmentType");
  if (fragmentType !== null && fragmentType !== "") {
    f.where.push("EXISTS (SELECT 1 FROM json_each(o.fragments) j WHERE j.key = ?)");
    f.params.push(fragmentType);
  }
  // Half-open [dateFrom, dateTo) on creationTime (platform-api.md §2.6); stored times compare as strings.
  const from = parseDateParam(query, "dateFrom");
  if (from !== undefined) {
    f.where.push("o.creation_time >= ?");
    f.params.push(from);
  }
  const to = parseDateParam(query, "dateTo");
  if (to !== undefined) {
    f.where.push("o.creation_time < ?");
    f.params.push(to);
  }
  const bulk = query.get("bulkOperationId");
  if (bulk !== null && bulk !== "") {
    if (!/^\d{1,15}$/.test(bulk)) throw invalidData(RESOURCE, `Invalid bulkOperationId '${bulk}'`);
    f.where.push("o.bulk_operation_id = ?");
    f.params.push(Number(bulk));
  }
  return f;
}

const whereSql = (f: Filter) => (f.where.length ? `WHERE ${f.where.join(" AND ")}` : "");

/** Operations for devices (platform-api.md §5.4, seed "Working with operations" and step 6). */
export function registerOperationsApi(router: Router, ctx: PlatformContext): void {
  const db: Db = ctx.db;
  const getRow = db.prepare<[number], OperationRow>("SELECT * FROM operations WHERE id = ?");
  const insertRow = db.prepare(
    "INSERT INTO operations (id, device_id, agent_id, status, creation_time, fragments) " +
      "VALUES (?, ?, ?, 'PENDING', ?, ?)",
  );
  const updateRow = db.prepare<[OperationStatus, string | null, string, number], unknown>(
    "UPDATE operations SET status = ?, failure_reason = ?, fragments = ? WHERE id = ?",
  );
  const externalIdsOf = db.prepare<[number], { type: string; external_id: string }>(
    "SELECT type, external_id FROM external_ids WHERE mo_id = ? ORDER BY seq",
  );
  const deviceExists = db.prepare<[number], unknown>("SELECT 1 FROM managed_objects WHERE id = ?");
  // Filters produce a handful of distinct statements; prepare each once.
  const statements = new Map<string, Statement<unknown[], unknown>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare<unknown[], unknown>(sql)));
    return s;
  };

  const denyBootstrap = (p: Principal) => {
    if (p.kind === "bootstrap") throw forbidden();
  };
  const assertCanAccess = (p: Principal, deviceId: string) => {
    if (!ctx.hierarchy.canAccess(p, deviceId)) throw forbidden();
  };
  const agentOf = (row: OperationRow) => (row.agent_id === null ? undefined : String(row.agent_id));

  // GET /devicecontrol/operations – FIFO by id (newest first with revert), filtered, paged.
  router.get("/devicecontrol/operations", (rc) => {
    denyBootstrap(rc.principal);
    const paging = parsePaging(rc.query, RESOURCE);
    const revert = parseBool(rc.query, "revert", RESOURCE);
    const f = buildFilter(rc.query, rc.principal);
    const rows = prepared(
      `${f.with} SELECT o.*, m.name AS device_name FROM operations o ` +
        `LEFT JOIN managed_objects m ON m.id = o.device_id ${whereSql(f)} ` +
        `ORDER BY o.id ${revert ? "DESC" : "ASC"} LIMIT ? OFFSET ?`,
    ).all(...f.params, paging.pageSize, paging.offset) as (OperationRow & { device_name: string | null })[];
    const total =
      paging.withTotalPages || paging.withTotalElements
        ? (
            prepared(`${f.with} SELECT COUNT(*) AS n FROM operations o ${whereSql(f)}`).get(...f.params) as {
              n: number;
            }
          ).n
        : undefined;
    const withExternalIds = (rc.query.get("agentId") ?? "") !== "";
    const operations = rows.map((row) => {
      const json = operationJson(rc.baseUrl, row);
      const extra: Record<string, unknown> = {};
      if (row.device_name !== null) extra.deviceName = row.device_name;
      if (withExternalIds) {
        const deviceSelf = `${rc.baseUrl}/inventory/managedObjects/${row.device_id}`;
        extra.deviceExternalIDs = {
          self: `${rc.baseUrl}/identity/globalIds/${row.device_id}/externalIds`,
          externalIds: externalIdsOf.all(row.device_id).map((x) => ({
            externalId: x.external_id,
            type: x.type,
            self: `${rc.baseUrl}/identity/externalIds/${encodeURIComponent(x.type)}/${encodeURIComponent(x.external_id)}`,
            managedObject: { id: String(row.device_id), self: deviceSelf },
          })),
        };
      }
      return { ...json, ...extra };
    });
    return {
      status: 200,
      type: "operationCollection",
      body: { ...pageEnvelope(rc.baseUrl, rc.path, rc.query, paging, total), operations },
    };
  });

  // POST /devicecontrol/operations – always PENDING, routed to the nearest agent at or above the device.
  router.post("/devicecontrol/operations", async (rc) => {
    denyBootstrap(rc.principal);
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    const deviceId = readDeviceRef(body.deviceId);
    const fragments = fragmentsOf(body);
    if (rc.principal.kind === "device") assertCanAccess(rc.principal, deviceId);
    const row = db.transaction(() => {
      // The contract names only 422 for a bad payload; an unknown device is one (docs/emulator-device-control.md).
      if (deviceExists.get(Number(deviceId)) === undefined)
        throw invalidData(RESOURCE, `Device ${deviceId} does not exist`);
      const id = Number(ctx.nextId());
      // No agent above the device: created anyway, without agentId (§0a).
      const agent = ctx.hierarchy.agentFor(deviceId);
      insertRow.run(
        id,
        Number(deviceId),
        agent === undefined ? null : Number(agent),
        isoTime(ctx.now()),
        // fromEntries defines own properties: a "__proto__" fragment stays an ordinary key.
        JSON.stringify(Object.fromEntries(fragments)),
      );
      return getRow.get(id)!;
    })();
    ctx.events.publish({
      api: "operations",
      action: "CREATE",
      id: String(row.id),
      deviceId,
      agentId: agentOf(row),
      data: operationJson(rc.baseUrl, row),
    });
    const json = operationJson(rc.baseUrl, row);
    return {
      status: 201,
      type: "operation",
      headers: { location: json.self as string },
      body: json,
      onlyWithAccept: true,
    };
  });

  // GET /devicecontrol/operations/{id}
  router.get("/devicecontrol/operations/:id", (rc) => {
    denyBootstrap(rc.principal);
    const id = rc.params.id!;
    const row = isId(id) ? getRow.get(Number(id)) : undefined;
    if (!row) throw operationNotFound(id);
    assertCanAccess(rc.principal, String(row.device_id));
    return { status: 200, type: "operation", body: operationJson(rc.baseUrl, row) };
  });

  // PUT /devicecontrol/operations/{id} – status (required) along the allowed transitions, plus fragments.
  router.put("/devicecontrol/operations/:id", async (rc) => {
    denyBootstrap(rc.principal);
    const id = rc.params.id!;
    const body = await readJsonObject(rc.req, RESOURCE, ctx.config.bodyLimit);
    if (body.status === undefined || body.status === null) throw missingFields("status");
    const status = body.status;
    if (!isStatus(status))
      throw invalidData(
        RESOURCE,
        `Invalid status ${JSON.stringify(status)}: expected one of ${OPERATION_STATUSES.join(", ")}`,
      );
    const reason = body.failureReason;
    if (reason !== undefined && reason !== null && typeof reason !== "string")
      throw invalidData(RESOURCE, "failureReason must be a string");
    const changes = fragmentsOf(body);
    const row = db.transaction(() => {
      const current = isId(id) ? getRow.get(Number(id)) : undefined;
      if (!current) throw operationNotFound(id);
      assertCanAccess(rc.principal, String(current.device_id));
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
      updateRow.run(status, failureReason, JSON.stringify(Object.fromEntries(fragments)), current.id);
      return getRow.get(current.id)!;
    })();
    ctx.events.publish({
      api: "operations",
      action: "UPDATE",
      id: String(row.id),
      deviceId: String(row.device_id),
      agentId: agentOf(row),
      data: operationJson(rc.baseUrl, row),
    });
    return { status: 200, type: "operation", body: operationJson(rc.baseUrl, row), onlyWithAccept: true };
  });

  // DELETE /devicecontrol/operations – by filter; without any filter every operation goes (as upstream).
  router.delete("/devicecontrol/operations", (rc) => {
    if (rc.principal.kind !== "admin") throw forbidden();
    const f = buildFilter(rc.query, rc.principal);
    const deleted = db.transaction(
      () =>
        prepared(
          `${f.with} DELETE FROM operations WHERE id IN (SELECT o.id FROM operations o ${whereSql(f)}) ` +
            "RETURNING id, device_id, agent_id",
        ).all(...f.params) as Pick<OperationRow, "id" | "device_id" | "agent_id">[],
    )();
    deleted.sort((a, b) => a.id - b.id);
    for (const row of deleted)
      ctx.events.publish({
        api: "operations",
        action: "DELETE",
        id: String(row.id),
        deviceId: String(row.device_id),
        agentId: row.agent_id === null ? undefined : String(row.agent_id),
      });
    return { status: 204 };
  });
}
