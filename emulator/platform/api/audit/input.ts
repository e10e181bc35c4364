import type { Principal } from "../../auth/principal.js";
import { isPlainObject } from "../../http/body.js";
import { invalidData, missingFields } from "../../http/errors.js";
import { assertFieldName, assertStorable } from "../../http/limits.js";
import { isId } from "../../store/hierarchy.js";
import { parseDateParam, parseTimestamp } from "../devicecontrol/common.js";
import { SOURCE_DEVICE } from "./serialize.js";
import { AUDIT_SEVERITIES, type AuditFilter, type AuditSeverity } from "./store.js";

/** Error-token prefix of the audit API (docs/platform-api.md §2.4). */
export const RESOURCE = "audit";

/** Longest type, source id, user and activity we store; they are indexed or shown in lists. */
const MAX_SHORT = 255;
const MAX_ACTIVITY = 1000;

/** Fields the platform sets; in a POST body they are ignored (docs/platform-fleet.md §2, "read-only"). */
const READ_ONLY = new Set(["id", "self", "creationTime", "application", "changes"]);

/** A POSTed audit record, validated. */
export interface AuditInput {
  type: string;
  sourceId: string;
  /** The device named in the body's AuditSourceDevice fragment, if any. */
  deviceId: string | undefined;
  activity: string;
  text: string;
  time: string;
  severity: AuditSeverity;
  user: string | undefined;
  fragments: Record<string, unknown>;
}

const bad = (message: string) => invalidData(RESOURCE, message);

function shortString(value: unknown, name: string, max: number): string {
  if (typeof value !== "string" || value.trim() === "") throw bad(`${name} must be a non-empty string`);
  if (value.length > max) throw bad(`${name} must not be longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw bad(`${name} must not contain control characters`);
  return value;
}

/** An id given as a string or a number; anything else is 422. */
function idOf(value: unknown, name: string): string {
  const id = typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? String(value) : value;
  return shortString(id, name, MAX_SHORT);
}

/** The body of POST /audit/auditRecords: activity, source.id, text, time and type are mandatory (OAS). */
export function readAuditRecord(body: Record<string, unknown>): AuditInput {
  const missing = (["activity", "source", "text", "time", "type"] as const).filter(
    (k) => body[k] === undefined || body[k] === null || body[k] === "",
  );
  if (missing.length > 0) throw missingFields(...missing);
  if (!isPlainObject(body.source) || body.source.id === undefined || body.source.id === null)
    throw bad("source must be an object with an id");
  const sourceId = idOf(body.source.id, "source.id");
  const type = shortString(body.type, "type", MAX_SHORT);
  const activity = shortString(body.activity, "activity", MAX_ACTIVITY);
  if (typeof body.text !== "string") throw bad("text must be a string");
  if (typeof body.time !== "string") throw bad("time must be a date-time string");
  const time = parseTimestamp(body.time);
  if (time === undefined) throw bad(`Invalid date-time for time: '${body.time}'`);
  let severity: AuditSeverity = "information";
  if (body.severity !== undefined && body.severity !== null) {
    const s = typeof body.severity === "string" ? body.severity.toLowerCase() : undefined;
    if (!s || !(AUDIT_SEVERITIES as readonly string[]).includes(s))
      throw bad(`severity must be one of ${AUDIT_SEVERITIES.join(", ")}`);
    severity = s as AuditSeverity;
  }
  const user =
    body.user === undefined || body.user === null ? undefined : shortString(body.user, "user", MAX_SHORT);
  let deviceId: string | undefined;
  const device = body[SOURCE_DEVICE];
  if (device !== undefined && device !== null) {
    const id = isPlainObject(device) ? device.id : undefined;
    const text = typeof id === "number" && Number.isSafeInteger(id) ? String(id) : id;
    if (typeof text !== "string" || !isId(text))
      throw bad(`${SOURCE_DEVICE} must be {id: <managed object id>}`);
    deviceId = text;
  }
  const fragments: Record<string, unknown> = {};
  const own = new Set(["type", "source", "activity", "text", "time", "severity", "user", SOURCE_DEVICE]);
  for (const [key, value] of Object.entries(body)) {
    if (own.has(key) || READ_ONLY.has(key)) continue;
    assertFieldName(key, RESOURCE);
    assertStorable(value, RESOURCE, `Fragment '${key.slice(0, 64)}'`);
    // defineProperty keeps a "__proto__" key an ordinary property.
    Object.defineProperty(fragments, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { type, sourceId, deviceId, activity, text: body.text, time, severity, user, fragments };
}

/** The list filters; bad dates are 422. Device users only see what concerns them (AuditFilter.visibleTo). */
export function parseAuditFilter(query: URLSearchParams, principal: Principal): AuditFilter {
  const f: AuditFilter = {};
  if (principal.kind === "device") f.visibleTo = principal.username;
  for (const name of ["source", "type", "user", "application"] as const) {
    const v = query.get(name);
    if (v !== null && v !== "") f[name] = v;
  }
  f.dateFrom = parseDateParam(query, "dateFrom", RESOURCE);
  f.dateTo = parseDateParam(query, "dateTo", RESOURCE);
  return f;
}
