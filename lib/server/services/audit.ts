import "server-only";
import {
  type HistoryChange,
  type HistoryDto,
  type HistoryEntry,
  type HistorySourceType,
} from "@/lib/schemas/audit";
import { isFinalStatus, operationStatusSchema } from "@/lib/schemas/operations";
import { ApiError, UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

type UpstreamAuditRecord = components["schemas"]["AuditRecord"];

/**
 * Histories of operations and bulk operations from the platform's audit records (docs/platform-fleet.md §2,
 * docs/operations-ui.md "Timeline"). The platform writes a record with every status change of an operation and
 * every change of a bulk operation, whoever makes it (the console, the device's agent, another operator, a script),
 * and keeps it: so a history read here survives a console restart and shows changes made elsewhere. The console
 * keeps nothing of its own.
 */

export interface HistoryLimits {
  /** Records per page. The platform's default is 5; an operation has three or four records. */
  pageSize: number;
  /** Pages read at most; beyond them the history says `truncated`. */
  maxPages: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { pageSize: 100, maxPages: 10 };

/** The attribute that carries the status an operator follows, and the name the record's text gives it. */
const STATUS_OF: Record<HistorySourceType, { attribute: string; textName: string }> = {
  Operation: { attribute: "status", textName: "status" },
  BulkOperation: { attribute: "generalStatus", textName: "general status" },
};

/** Longest value text kept for a change (a bulk operation's prototype can be large). */
const MAX_VALUE_CHARS = 500;

/** A change's value as text: the audit model leaves values untyped (docs/platform-fleet.md §2). */
function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * The status a record's text names, for records that come without `changes`: the platform writes its text as
 * `<activity>: status='EXECUTING', …` (docs/platform-fleet.md §2, "Operation audits").
 */
function statusInText(text: string, name: string): string | null {
  const match = new RegExp(`(?:^|[:,]\\s*)${name}='([A-Z_]+)'`).exec(text);
  return match?.[1] ?? null;
}

/** Time, then id (numeric where both are numbers): how the platform lists them, whichever order a page came in. */
function byTime(a: UpstreamAuditRecord, b: UpstreamAuditRecord): number {
  const dt = Date.parse(a.time) - Date.parse(b.time);
  if (dt !== 0 && !Number.isNaN(dt)) return dt;
  const na = Number(a.id);
  const nb = Number(b.id);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.id.localeCompare(b.id);
}

/**
 * Records (any order) → history entries, oldest first. The status change is taken from `changes`; a record without
 * one that names a different status in its text counts as a change too (`previousStatus` then from the entry
 * before), so records from tenants that leave `changes` out still make a timeline.
 */
export function toHistoryEntries(records: UpstreamAuditRecord[], type: HistorySourceType): HistoryEntry[] {
  const { attribute, textName } = STATUS_OF[type];
  let last: string | null = null;
  return [...records].sort(byTime).map((record) => {
    const changes = Array.isArray(record.changes) ? record.changes : [];
    const statusChange = changes.find((c) => c.attribute === attribute);
    let status: string | null = null;
    let previousStatus: string | null = null;
    if (statusChange) {
      status = valueText(statusChange.newValue);
      previousStatus = valueText(statusChange.previousValue) ?? (status === last ? null : last);
    } else {
      const named = statusInText(record.text, textName);
      if (named !== null && named !== last) {
        status = named;
        previousStatus = last;
      }
    }
    if (status !== null) last = status;
    const others: HistoryChange[] = changes
      .filter((c) => c.attribute !== attribute)
      .map((c) => ({
        attribute: c.attribute,
        previousValue: valueText(c.previousValue),
        newValue: valueText(c.newValue),
      }));
    return {
      id: record.id,
      time: record.time,
      activity: record.activity,
      user: typeof record.user === "string" && record.user !== "" ? record.user : null,
      status,
      previousStatus,
      changes: others,
    };
  });
}

/**
 * Every audit record of one object, page by page, with the two filters a real tenant answers for this
 * (`source`, `type`; docs/platform-fleet.md §2) and plain paging. At most `maxPages` pages: `truncated` says
 * there were more.
 */
export async function readAuditRecords(
  platform: PlatformClient,
  type: HistorySourceType,
  source: string,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): Promise<{ records: UpstreamAuditRecord[]; truncated: boolean }> {
  const records: UpstreamAuditRecord[] = [];
  for (let currentPage = 1; currentPage <= limits.maxPages; currentPage++) {
    const page = body(
      await platform.GET("/audit/auditRecords", {
        params: { query: { source, type, pageSize: limits.pageSize, currentPage } },
      }),
    );
    // Only the object asked for: a tenant that ignored a filter must not mix other objects in.
    records.push(...page.auditRecords.filter((r) => r.source.id === source && r.type === type));
    if (page.auditRecords.length < limits.pageSize) return { records, truncated: false };
  }
  // A full last page: there may be more, or the history ended exactly there. One record more tells.
  const probe = body(
    await platform.GET("/audit/auditRecords", {
      params: {
        query: { source, type, pageSize: 1, currentPage: limits.pageSize * limits.maxPages + 1 },
      },
    }),
  );
  return { records, truncated: probe.auditRecords.length > 0 };
}

/** A 404 of the object itself, in the console's words (the platform's text names database internals). */
async function orNotFound<T>(read: Promise<T>, what: string): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404)
      throw new ApiError("not_found", `${what} does not exist.`);
    throw err;
  }
}

async function history(
  platform: PlatformClient,
  type: HistorySourceType,
  id: string,
  current: { status: string; final: boolean },
  limits: HistoryLimits,
): Promise<HistoryDto> {
  const { records, truncated } = await readAuditRecords(platform, type, id, limits);
  return {
    source: { type, id },
    status: current.status,
    final: current.final,
    entries: toHistoryEntries(records, type),
    truncated,
    maxRecords: limits.pageSize * limits.maxPages,
  };
}

/**
 * An operation's history. The operation is read first: the audit list answers an unknown source with an empty
 * page, and the current status tells the browser whether the history can still grow.
 */
export async function getOperationHistory(
  platform: PlatformClient,
  id: string,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): Promise<HistoryDto> {
  const op = body(
    await orNotFound(
      platform.GET("/devicecontrol/operations/{operationId}", { params: { path: { operationId: id } } }),
      `Operation ${id}`,
    ),
  );
  const parsed = operationStatusSchema.safeParse(op.status);
  return history(
    platform,
    "Operation",
    id,
    { status: op.status, final: parsed.success && isFinalStatus(parsed.data) },
    limits,
  );
}

/** General statuses after which a bulk operation changes no more (docs/platform-fleet.md §1). */
const FINAL_BULK_STATUSES = new Set(["SUCCESSFUL", "FAILED", "CANCELED"]);

/** A bulk operation's history: created, rescheduled, edited, its general status over time, cancelled. */
export async function getBulkOperationHistory(
  platform: PlatformClient,
  id: string,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): Promise<HistoryDto> {
  const bulk = body(
    await orNotFound(
      platform.GET("/devicecontrol/bulkoperations/{bulkOperationId}", {
        params: { path: { bulkOperationId: id } },
      }),
      `Bulk operation ${id}`,
    ),
  );
  return history(
    platform,
    "BulkOperation",
    id,
    { status: bulk.generalStatus, final: FINAL_BULK_STATUSES.has(bulk.generalStatus) },
    limits,
  );
}
