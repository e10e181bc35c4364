import { z } from "zod";

/**
 * The history of an operation or a bulk operation, read from the platform's audit records
 * (`/api/operations/[id]/history`, `/api/bulk-operations/[id]/history`; docs/operations-ui.md, "Timeline").
 * Shared by the route handlers and the browser. One shape for both: what changed, when, and who changed it.
 */

/** What a history is about: the audit record `type` the platform files its changes under (docs/platform-fleet.md §2). */
export const historySourceTypeSchema = z.enum(["Operation", "BulkOperation"]);
export type HistorySourceType = z.infer<typeof historySourceTypeSchema>;

/** Ids of operations and bulk operations: opaque strings that must travel as one path segment. */
export const historySourceIdSchema = z
  .string()
  .min(1, "Empty id")
  .max(64, "Longer than 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Not an id");

/**
 * One attribute a change touched, other than the status. Values as text: strings as they are, numbers and
 * booleans written out, objects (a bulk operation's prototype) as compact JSON, clipped; null when absent.
 */
export const historyChangeSchema = z.object({
  attribute: z.string(),
  previousValue: z.string().nullable(),
  newValue: z.string().nullable(),
});
export type HistoryChange = z.infer<typeof historyChangeSchema>;

export const historyEntrySchema = z.object({
  /** The audit record's id (unique within the history). */
  id: z.string(),
  /** When the change happened, by the platform's clock. */
  time: z.string(),
  /** The platform's name for it: "Operation created", "Operation updated", "Bulk operation deleted", … */
  activity: z.string(),
  /** Who made the change (`admin`, `device_<serial>`, a service user); null when the record names nobody. */
  user: z.string().nullable(),
  /**
   * The status this change set: an operation's `status`, a bulk operation's `generalStatus`. null when the change
   * left it alone.
   */
  status: z.string().nullable(),
  /** The status before the change; null at creation, or when unknown. */
  previousStatus: z.string().nullable(),
  /** The other attributes the change touched (failureReason, note, creationRamp, …). */
  changes: z.array(historyChangeSchema),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historyDtoSchema = z.object({
  source: z.object({ type: historySourceTypeSchema, id: z.string() }),
  /** The status now, read together with the history (it may be ahead of the last entry for a moment). */
  status: z.string(),
  /** The status can no longer change: there is nothing to wait for. */
  final: z.boolean(),
  /** Oldest first. */
  entries: z.array(historyEntrySchema),
  /** More records exist than the console reads for one history: only the first `maxRecords` listed are here. */
  truncated: z.boolean(),
  maxRecords: z.number().int(),
});
export type HistoryDto = z.infer<typeof historyDtoSchema>;
