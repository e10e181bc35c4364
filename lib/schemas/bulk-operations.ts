import { z } from "zod";
import { operationIdSchema, operationStatusSchema } from "./operations";

/**
 * Schemas of the bulk operations BFF (`/api/bulk-operations/**`), shared by the route handlers and the browser,
 * plus the pure rules both sides need (what may be cancelled, the estimated end, the retry note).
 * docs/bulk-operations-ui.md describes the routes; docs/platform-fleet.md §1 the platform contract.
 */

// ----- statuses ------------------------------------------------------------------------------------------------

/**
 * The general status as the console shows it. The platform spells "executing with errors" two ways
 * (docs/platform-fleet.md §1: `EXECUTING_WITH_ERROR` in the vendor's clients and what it sends, `EXECUTING_WITH_ERRORS`
 * in its OpenAPI); both are read, and the console shows the one without the S.
 */
export const bulkGeneralStatusSchema = z.enum([
  "SCHEDULED",
  "EXECUTING",
  "EXECUTING_WITH_ERROR",
  "SUCCESSFUL",
  "FAILED",
  "CANCELED",
]);
export type BulkGeneralStatus = z.infer<typeof bulkGeneralStatusSchema>;
export const BULK_GENERAL_STATUSES = bulkGeneralStatusSchema.options;

/** Any spelling the platform may send → the console's one; unknown values → null. */
export function normaliseGeneralStatus(raw: unknown): BulkGeneralStatus | null {
  if (raw === "EXECUTING_WITH_ERRORS") return "EXECUTING_WITH_ERROR";
  const parsed = bulkGeneralStatusSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const bulkProgressSchema = z.object({
  pending: z.number().int(),
  executing: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
  /** The number of target devices, fixed at creation (docs/platform-fleet.md §1). */
  all: z.number().int(),
});
export type BulkProgress = z.infer<typeof bulkProgressSchema>;

/** Every single operation exists (the vendor UI's `allOperationsCreated`, docs/platform-fleet.md §1). */
export const allCreated = (p: BulkProgress): boolean =>
  p.pending + p.executing + p.successful + p.failed >= p.all;

// ----- the retry note ------------------------------------------------------------------------------------------

/**
 * A retry of one failure group is a new bulk operation on a hidden group, not a `failedParentId` retry; its link to
 * the parent is the note, written and read only here: `Retry of #<id>: <reason>`.
 */
export function retryNote(parentId: string, reason: string | null): string {
  return reason === null
    ? `Retry of #${parentId}: all failed operations`
    : `Retry of #${parentId}: ${reason}`;
}

export function parseRetryNote(note: string | null): { parentId: string; reason: string | null } | null {
  const m = note === null ? null : /^Retry of #([A-Za-z0-9_-]+): ([\s\S]*)$/.exec(note);
  if (!m) return null;
  const reason = m[2]!;
  return { parentId: m[1]!, reason: reason === "all failed operations" ? null : reason };
}

// ----- DTOs ----------------------------------------------------------------------------------------------------

export const bulkOperationDtoSchema = z.object({
  id: z.string(),
  /** The target group, or null for a retry of failed operations. */
  groupId: z.string().nullable(),
  failedParentId: z.string().nullable(),
  /** What this one retries: `failedParentId`, or the parent named in the note of a failure-group retry. */
  retryOf: z.object({ id: z.string(), reason: z.string().nullable() }).nullable(),
  description: z.string().nullable(),
  /** The fragment naming the command (c8y_Restart, …). */
  type: z.string().nullable(),
  prototype: z.record(z.string(), z.json()),
  note: z.string().nullable(),
  startDate: z.string(),
  /** Seconds between two creations. */
  creationRamp: z.number(),
  /** `startDate + creationRamp × all`: when the last single operation is created (the vendor UI's estimate). */
  estimatedEnd: z.string(),
  /** ACTIVE | IN_PROGRESS | COMPLETED | DELETED, as the platform says. */
  status: z.string(),
  generalStatus: bulkGeneralStatusSchema,
  progress: bulkProgressSchema,
  /** What the platform allows now (docs/platform-fleet.md §1, docs/emulator-bulk-operations.md). */
  can: z.object({ cancel: z.boolean(), editSchedule: z.boolean(), markSuccessful: z.boolean() }),
});
export type BulkOperationDto = z.infer<typeof bulkOperationDtoSchema>;

export const BULK_PAGE_SIZES = [10, 25, 50, 100] as const;

const isoDate = z
  .string()
  .trim()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), "Not a date");

export const bulkListQuerySchema = z.object({
  /** Either spelling of "executing with errors" is taken. */
  generalStatus: z
    .array(
      z.preprocess(
        (v) => (v === "EXECUTING_WITH_ERRORS" ? "EXECUTING_WITH_ERROR" : v),
        bulkGeneralStatusSchema,
      ),
    )
    .max(6)
    .default([]),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  withDeleted: z.boolean().default(false),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type BulkListQuery = z.infer<typeof bulkListQuerySchema>;

export const bulkListDtoSchema = z.object({
  items: z.array(bulkOperationDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Bulk operations matching the filters; null when the platform did not say. */
  total: z.number().int().nullable(),
});
export type BulkListDto = z.infer<typeof bulkListDtoSchema>;

export const bulkOperationIdSchema = operationIdSchema;

/** A single operation of a bulk operation, as its list row needs it. */
export const bulkChildDtoSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  status: operationStatusSchema,
  failureReason: z.string().nullable(),
  creationTime: z.string(),
});
export type BulkChildDto = z.infer<typeof bulkChildDtoSchema>;

export const BULK_CHILDREN_PAGE_SIZE = 200;

export const bulkChildrenQuerySchema = z.object({
  status: operationStatusSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(BULK_CHILDREN_PAGE_SIZE),
});
export type BulkChildrenQuery = z.infer<typeof bulkChildrenQuerySchema>;

export const bulkChildrenDtoSchema = z.object({
  items: z.array(bulkChildDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().nullable(),
});
export type BulkChildrenDto = z.infer<typeof bulkChildrenDtoSchema>;

export const failureGroupSchema = z.object({
  /** The failure reason as the devices reported it; "" for failures without one. */
  reason: z.string(),
  count: z.number().int(),
  devices: z.array(z.object({ id: z.string(), name: z.string().nullable(), operationId: z.string() })),
});
export type FailureGroup = z.infer<typeof failureGroupSchema>;

export const failureGroupsDtoSchema = z.object({
  /** Largest group first. */
  groups: z.array(failureGroupSchema),
  /** Failed single operations the platform counts (progress.failed). */
  failed: z.number().int(),
  /** Failed single operations read to build the groups. */
  read: z.number().int(),
  /** More failed operations exist than were read (the read is bounded): groups cover `read` of them. */
  truncated: z.boolean(),
});
export type FailureGroupsDto = z.infer<typeof failureGroupsDtoSchema>;

/** `{}`: every failed device (failedParentId); `{reason}`: exactly that failure group's devices. */
export const retryRequestSchema = z.object({ reason: z.string().max(2000).optional() }).strict();
export type RetryRequest = z.infer<typeof retryRequestSchema>;

export const scheduleUpdateSchema = z.object({
  startDate: isoDate,
  creationRamp: z.number().min(0, "At least 0 seconds").max(3600, "At most 3600 seconds"),
});
export type ScheduleUpdate = z.infer<typeof scheduleUpdateSchema>;

export const retriesDtoSchema = z.object({
  items: z.array(bulkOperationDtoSchema),
  /** Not every bulk operation could be read (the read is bounded). */
  truncated: z.boolean(),
});
export type RetriesDto = z.infer<typeof retriesDtoSchema>;
