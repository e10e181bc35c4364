import type { Principal } from "../../auth/principal.js";
import { invalidData, missingFields } from "../../http/errors.js";
import { assertFieldName, assertStorable } from "../../http/limits.js";
import { isId } from "../../store/hierarchy.js";
import { parseDateParam, RESOURCE } from "../devicecontrol/common.js";
import { OPERATION_STATUSES, type OperationFilter, type OperationStatus } from "./store.js";

/**
 * Reading operation bodies and list queries. Read-only fields are dropped silently; wrong types and bad filter values
 * are 422 devicecontrol/Invalid Data before anything is read or written.
 */

/**
 * Fields the platform maintains; in a request body they are ignored, never stored as fragments. `owner` and
 * `lastUpdated` are no fields of an operation, but they name the platform's own metadata of every resource: stored
 * as fragments they would look like platform data nobody maintains (docs/contract.md, "Read-only fields").
 */
const READ_ONLY = new Set([
  "owner",
  "lastUpdated",
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
  "delivery",
]);

export function isStatus(v: unknown): v is OperationStatus {
  return typeof v === "string" && (OPERATION_STATUSES as readonly string[]).includes(v);
}

/** Custom fragments of a body: read-only fields dropped; unusable names and values too deep to store refused. */
export function fragmentsOf(body: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    if (READ_ONLY.has(key)) continue;
    assertFieldName(key, RESOURCE);
    assertStorable(value, RESOURCE, `Fragment '${key.slice(0, 64)}'`);
    out.set(key, value);
  }
  return out;
}

/** The device an operation is for: a platform id as string or number; missing → mandatory-field error. */
export function readDeviceRef(value: unknown): string {
  if (value === undefined || value === null || value === "") throw missingFields("deviceId");
  const id = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== "string" || !isId(id))
    throw invalidData(RESOURCE, `deviceId ${JSON.stringify(value)} is not a managed object id`);
  return id;
}

/** The body of a PUT: the status (required, one of the four), an optional failureReason and fragments. */
export function readUpdate(body: Record<string, unknown>): {
  status: OperationStatus;
  reason: string | null | undefined;
  changes: Map<string, unknown>;
} {
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
  return { status, reason, changes: fragmentsOf(body) };
}

/**
 * The collection filters shared by GET and DELETE. An id filter that is not an id at all matches nothing (ids are
 * opaque to clients); a bad status, date or bulk id is 422. Device users only ever see their devices' operations.
 */
export function parseFilter(query: URLSearchParams, principal: Principal): OperationFilter {
  const f: OperationFilter = {};
  if (principal.kind === "device") f.visibleTo = principal.username;
  for (const name of ["agentId", "deviceId"] as const) {
    const v = query.get(name);
    if (v === null || v === "") continue;
    f[name] = isId(v) ? Number(v) : null;
  }
  // Repeated (status=PENDING&status=EXECUTING): any of them, as @c8y/client sends an array (docs/platform-fleet.md §5).
  const statuses = query.getAll("status").filter((v) => v !== "");
  for (const status of statuses)
    if (!isStatus(status))
      throw invalidData(
        RESOURCE,
        `Invalid status '${status}': expected one of ${OPERATION_STATUSES.join(", ")}`,
      );
  if (statuses.length > 0) f.statuses = [...new Set(statuses as OperationStatus[])];
  const fragmentType = query.get("fragmentType");
  if (fragmentType !== null && fragmentType !== "") f.fragmentType = fragmentType;
  // Half-open [dateFrom, dateTo) on creationTime (docs/platform-api.md §2.6).
  f.dateFrom = parseDateParam(query, "dateFrom");
  f.dateTo = parseDateParam(query, "dateTo");
  const bulk = query.get("bulkOperationId");
  if (bulk !== null && bulk !== "") {
    if (!/^\d{1,15}$/.test(bulk)) throw invalidData(RESOURCE, `Invalid bulkOperationId '${bulk}'`);
    f.bulkOperationId = Number(bulk);
  }
  return f;
}
