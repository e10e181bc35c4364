import { isPlainObject } from "../../http/body.js";
import { invalidData, missingFields } from "../../http/errors.js";
import { parseBool } from "../../http/paging.js";
import { isId } from "../../store/hierarchy.js";
import { parseDateParam, parseTimestamp, RESOURCE } from "../devicecontrol/common.js";
import { fragmentsOf } from "../operations/input.js";
import { GENERAL_STATUSES, type BulkFilter } from "./store.js";

/**
 * Reading bulk operation bodies and list queries (docs/emulator-bulk-operations.md). Read-only fields (`id`,
 * `self`, `status`, `progress`, …, which the vendor UI sends back) are ignored; wrong types and values out of bounds
 * are 422 devicecontrol/Invalid Data before anything is read or written.
 */

/** Server bounds of creationRamp, seconds (the vendor UI offers 0.001–3600; 0 means "all at once"). */
export const MIN_RAMP_S = 0;
export const MAX_RAMP_S = 3600;

/** What a bulk operation targets: a group (static or dynamic), or the failed children of another one. */
export type Target = { groupId: string } | { failedParentId: string };

export interface Schedule {
  /** startDate normalised to the stored format (toISOString). */
  startDate: string;
  /** Seconds between two creations. */
  creationRamp: number;
}

export interface BulkInput extends Schedule {
  target: Target;
  /** The operation every child gets, as sent. */
  prototype: Record<string, unknown>;
  note: string | undefined;
}

export interface BulkUpdate {
  startDate?: string;
  creationRamp?: number;
  prototype?: Record<string, unknown>;
  /** null removes the note. */
  note?: string | null;
  /** The vendor UI's "Set to SUCCESSFUL" (docs/platform-fleet.md §1). */
  markSuccessful: boolean;
}

const absent = (v: unknown) => v === undefined || v === null;

/** An id field: a platform id as a string or a number; absent (missing, null, "") → undefined. */
function readId(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (absent(value) || value === "") return undefined;
  const id = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== "string" || !isId(id))
    throw invalidData(RESOURCE, `${name} ${JSON.stringify(value)} is not an id`);
  return id;
}

function readStartDate(value: unknown): string {
  const iso = typeof value === "string" ? parseTimestamp(value) : undefined;
  if (iso === undefined)
    throw invalidData(
      RESOURCE,
      `startDate ${JSON.stringify(value)} is not a date-time (e.g. 2025-05-01T22:21:22Z)`,
    );
  return iso;
}

function readRamp(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_RAMP_S || value > MAX_RAMP_S)
    throw invalidData(
      RESOURCE,
      `creationRamp ${JSON.stringify(value)} must be a number of seconds from ${MIN_RAMP_S} to ${MAX_RAMP_S}`,
    );
  return value;
}

/** The prototype must be an object naming at least one operation fragment (a description alone is no command). */
function readPrototype(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidData(RESOURCE, "operationPrototype must be a JSON object");
  const fragments = fragmentsOf(value);
  if (![...fragments.keys()].some((k) => k !== "description"))
    throw invalidData(RESOURCE, "operationPrototype must contain an operation fragment, e.g. c8y_Restart");
  return value;
}

function readNote(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== "string") throw invalidData(RESOURCE, "note must be a string");
  return value;
}

/** POST: a target (exactly one kind), startDate, creationRamp, operationPrototype (all mandatory), note. */
export function readCreate(body: Record<string, unknown>): BulkInput {
  const groupId = readId(body, "groupId");
  const failedParentId = readId(body, "failedParentId");
  if (groupId !== undefined && failedParentId !== undefined)
    throw invalidData(RESOURCE, "groupId and failedParentId must not be given together");
  if (groupId === undefined && failedParentId === undefined)
    throw invalidData(RESOURCE, "Either groupId or failedParentId must be given");
  const missing = ["startDate", "creationRamp", "operationPrototype"].filter((k) => absent(body[k]));
  if (missing.length > 0) throw missingFields(...missing);
  return {
    target: groupId !== undefined ? { groupId } : { failedParentId: failedParentId! },
    startDate: readStartDate(body.startDate),
    creationRamp: readRamp(body.creationRamp),
    prototype: readPrototype(body.operationPrototype),
    note: readNote(body.note) ?? undefined,
  };
}

/**
 * PUT: every field optional. `groupId` and `failedParentId` cannot change (ignored, as every read-only field);
 * `generalStatus: "SUCCESSFUL"` marks the bulk operation successful, any other generalStatus is ignored.
 */
export function readUpdate(body: Record<string, unknown>): BulkUpdate {
  const out: BulkUpdate = { markSuccessful: body.generalStatus === "SUCCESSFUL" };
  if (!absent(body.startDate)) out.startDate = readStartDate(body.startDate);
  if (!absent(body.creationRamp)) out.creationRamp = readRamp(body.creationRamp);
  if (!absent(body.operationPrototype)) out.prototype = readPrototype(body.operationPrototype);
  if (body.note !== undefined) out.note = readNote(body.note);
  return out;
}

/** Values of the client's enum we never emit (docs/platform-fleet.md §1): accepted in a filter, they match nothing. */
const NEVER_EMITTED = new Set(["DELETED", "INCORRECT"]);

/**
 * `generalStatus` (repeated: any of them; both spellings of EXECUTING_WITH_ERROR), `withDeleted` (default: CANCELED
 * ones left out, unless the filter asks for CANCELED), `dateFrom`/`dateTo` half-open on startDate.
 */
export function parseFilter(query: URLSearchParams): BulkFilter {
  const statuses: string[] = [];
  for (const raw of query.getAll("generalStatus")) {
    if (raw === "") continue;
    const v = raw === "EXECUTING_WITH_ERRORS" ? "EXECUTING_WITH_ERROR" : raw;
    if (!(GENERAL_STATUSES as readonly string[]).includes(v) && !NEVER_EMITTED.has(v))
      throw invalidData(
        RESOURCE,
        `Invalid generalStatus '${raw}': expected one of ${GENERAL_STATUSES.join(", ")} (or EXECUTING_WITH_ERRORS)`,
      );
    statuses.push(v);
  }
  const f: BulkFilter = {};
  if (statuses.length > 0) f.generalStatuses = [...new Set(statuses)];
  const withDeleted = parseBool(query, "withDeleted", RESOURCE);
  if (!withDeleted && !statuses.includes("CANCELED")) f.withoutCanceled = true;
  f.dateFrom = parseDateParam(query, "dateFrom");
  f.dateTo = parseDateParam(query, "dateTo");
  return f;
}
