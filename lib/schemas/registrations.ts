import { z } from "zod";
import { errorCodeSchema } from "./common";

export const registrationStatusSchema = z.enum([
  "WAITING_FOR_CONNECTION",
  "PENDING_ACCEPTANCE",
  "ACCEPTED",
  "BLOCKED",
]);
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;

export const registrationDtoSchema = z.object({
  id: z.string(),
  status: registrationStatusSchema,
  owner: z.string().nullable(),
  creationTime: z.string().nullable(),
  groupId: z.string().nullable(),
  type: z.string().nullable(),
  /** For ACCEPTED requests whose device exists: its managed object id (links to the device page). */
  deviceId: z.string().nullable(),
});
export type RegistrationDto = z.infer<typeof registrationDtoSchema>;

export const registrationListQuerySchema = z.object({
  status: registrationStatusSchema.optional(),
  search: z.string().trim().max(256).optional(),
  sort: z.enum(["newest", "oldest"]).default("newest"),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type RegistrationListQuery = z.infer<typeof registrationListQuerySchema>;

export const registrationListDtoSchema = z.object({
  items: z.array(registrationDtoSchema),
  counts: z.record(registrationStatusSchema, z.number().int()),
  /** Items matching status + search (for paging). */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type RegistrationListDto = z.infer<typeof registrationListDtoSchema>;

/** Device ids the platform takes: non-empty, no control characters, bounded. */
export const deviceIdSchema = z
  .string()
  .trim()
  .min(1, "Empty id")
  .max(128, "Longer than 128 characters")
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, "Contains control characters or slashes")
  // A request id travels as a path segment later (accept, delete), where "." and ".." cannot.
  .refine((id) => id !== "." && id !== "..", "Not a valid id");

/**
 * Ids of existing requests (accept, delete): whatever the platform holds, as long as it can travel as one
 * path segment. "." and ".." would be resolved away by URL normalisation, so they are refused.
 */
export const registrationIdSchema = z
  .string()
  .min(1, "Empty id")
  .max(128, "Longer than 128 characters")
  .regex(/^[^\u0000-\u001f\u007f]+$/, "Contains control characters")
  .refine((id) => id !== "." && id !== "..", "Not a valid id");

export const registerRequestSchema = z.object({ ids: z.array(deviceIdSchema).min(1).max(1000) });
export const acceptRequestSchema = z.object({ ids: z.array(registrationIdSchema).min(1).max(100) });

/** One row of a bulk action's result table. */
export const rowResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  status: registrationStatusSchema.optional(),
  error: z.string().optional(),
  /** Why a row failed, in the BFF's error vocabulary (conflict: wrong state or already registered). */
  code: errorCodeSchema.optional(),
});
export type RowResult = z.infer<typeof rowResultSchema>;
export const rowResultsSchema = z.object({ results: z.array(rowResultSchema) });

export const bulkRegistrationResultSchema = z.object({
  numberOfAll: z.number().int(),
  numberOfCreated: z.number().int(),
  numberOfFailed: z.number().int(),
  numberOfSuccessful: z.number().int(),
  failed: z.array(z.object({ id: z.string(), reason: z.string(), line: z.string().optional() })),
});
export type BulkRegistrationResult = z.infer<typeof bulkRegistrationResultSchema>;
