import { z } from "zod";
import { fragmentValueProblem, writableKeyProblem } from "@/lib/fragments/known";
import { MAX_JSON_DEPTH } from "@/lib/fragments/json-text";

/**
 * Schemas of the device page's BFF: one managed object (read, update, delete), its external ids and its child
 * references. Shared by the route handlers and the browser.
 */

/**
 * A managed object id in a path or body. Ids are opaque strings (docs/platform-api.md §0a); this only makes sure one
 * travels safely as a single path segment.
 */
export const managedObjectIdSchema = z
  .string()
  .min(1, "Empty id")
  .max(64, "Longer than 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Not a managed object id");

export const objectRefSchema = z.object({ id: z.string(), name: z.string().nullable() });
export type ObjectRef = z.infer<typeof objectRefSchema>;

/**
 * What the platform says about a device's presence (docs/emulator-presence.md, docs/platform-api.md §4.10), read
 * from `c8y_Connection.status`, `c8y_Availability {status, lastMessage}` and `c8y_RequiredAvailability`. Statuses
 * the console does not know become UNKNOWN rather than being dropped. Made only by `toConnection`
 * (lib/server/services/connection.ts).
 */
export const connectionStatusSchema = z.enum(["CONNECTED", "DISCONNECTED", "MAINTENANCE", "UNKNOWN"]);
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
export const availabilityStatusSchema = z.enum(["AVAILABLE", "UNAVAILABLE", "MAINTENANCE", "UNKNOWN"]);
export type AvailabilityStatus = z.infer<typeof availabilityStatusSchema>;

export const connectionDtoSchema = z.object({
  /** c8y_Connection.status; null when the platform sent none. */
  connection: connectionStatusSchema.nullable(),
  /** c8y_Availability.status; null when the platform sent none. */
  availability: availabilityStatusSchema.nullable(),
  /** c8y_Availability.lastMessage: when the device last sent anything; null before its first message. */
  lastMessage: z.string().nullable(),
  /** c8y_RequiredAvailability.responseInterval in minutes; ≤ 0 is maintenance; null when not set. */
  responseInterval: z.number().nullable(),
});
export type ConnectionDto = z.infer<typeof connectionDtoSchema>;

/** The `?connection=` filter of the devices page, and what the overview counts. */
export const connectionFilterSchema = z.enum(["CONNECTED", "DISCONNECTED", "UNAVAILABLE"]);
export type ConnectionFilter = z.infer<typeof connectionFilterSchema>;

export const deviceDtoSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  owner: z.string().nullable(),
  creationTime: z.string().nullable(),
  /** The version the operator edits against: an update names it and is refused if the object moved on. */
  lastUpdated: z.string(),
  isDevice: z.boolean(),
  isAgent: z.boolean(),
  isGroup: z.boolean(),
  /** Direct parents: the device this one is a child of, and the groups (assets) it belongs to. */
  deviceParents: z.array(objectRefSchema),
  assetParents: z.array(objectRefSchema),
  childCounts: z.object({ devices: z.number().int(), assets: z.number().int(), additions: z.number().int() }),
  /** Presence as the platform computes it; null for objects it does not monitor. */
  connection: connectionDtoSchema.nullable(),
  /** Every fragment (top-level key other than the base fields and reference collections), as stored. */
  fragments: z.record(z.string(), z.json()),
});
export type DeviceDto = z.infer<typeof deviceDtoSchema>;

function depth(value: unknown): number {
  // Iterative: a hostile body must not overflow the stack of the check.
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    max = Math.max(max, d);
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

const MAX_CHANGES = 100;

/**
 * The platform's own fields of an object: a client may send them back (an object as it was read) but never sets
 * them. They are dropped, never forwarded, as the platform itself ignores them (docs/platform-api.md §4.4); `owner` is
 * not the fragment editor's to change either.
 */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "self",
  "creationTime",
  "lastUpdated",
  "owner",
]);

/**
 * `changes`: top-level key → new value, `null` removes the fragment (docs/platform-api.md §4.6). `name` and `type` are
 * the object's fields; everything else is a fragment. Read-only fields are dropped; reference collections and
 * platform-computed fragments are refused, and known fragments must keep their shape.
 */
export const deviceChangesSchema = z
  .record(z.string(), z.json())
  .superRefine((changes, ctx) => {
    const keys = Object.keys(changes).filter((key) => !READ_ONLY_FIELDS.has(key));
    if (keys.length === 0) ctx.addIssue({ code: "custom", message: "Nothing to change" });
    if (keys.length > MAX_CHANGES)
      ctx.addIssue({ code: "custom", message: `At most ${MAX_CHANGES} changes at once` });
    for (const key of keys) {
      const value = changes[key];
      const keyProblem = writableKeyProblem(key);
      if (keyProblem) {
        ctx.addIssue({ code: "custom", path: [key], message: keyProblem });
        continue;
      }
      if (key === "name") {
        if (typeof value !== "string" || value.trim() === "" || value.length > 254)
          ctx.addIssue({ code: "custom", path: [key], message: "The name must be 1 to 254 characters" });
        continue;
      }
      if (key === "type") {
        if (value !== null && (typeof value !== "string" || value.length > 254))
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "The type must be text of at most 254 characters",
          });
        continue;
      }
      if (depth(value) > MAX_JSON_DEPTH)
        ctx.addIssue({ code: "custom", path: [key], message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
      const problem = fragmentValueProblem(key, value);
      if (problem)
        ctx.addIssue({
          code: "custom",
          path: [key, ...(problem.path ? [problem.path] : [])],
          message: problem.message,
        });
    }
  })
  .transform((changes) =>
    Object.fromEntries(Object.entries(changes).filter(([key]) => !READ_ONLY_FIELDS.has(key))),
  );

export const deviceUpdateRequestSchema = z.object({
  /** `lastUpdated` of the object the changes were made against. */
  expectedLastUpdated: z.string().min(1).max(64),
  changes: deviceChangesSchema,
  /** Write even though the object changed since it was loaded (the operator saw the difference). */
  force: z.boolean().optional(),
});
export type DeviceUpdateRequest = z.infer<typeof deviceUpdateRequestSchema>;

/** What DELETE /api/devices/[id] takes (docs/platform-api.md §4.7). */
export const deleteDeviceQuerySchema = z.object({
  cascade: z.stringbool().optional(),
  forceCascade: z.stringbool().optional(),
  withDeviceUser: z.stringbool().optional(),
});
export type DeleteDeviceOptions = z.infer<typeof deleteDeviceQuerySchema>;

// ----- identity ------------------------------------------------------------------------------------------------

const noControl = /^[^\u0000-\u001f\u007f]+$/;

export const externalIdInputSchema = z.object({
  type: z.string().trim().min(1, "Enter a type").max(200).regex(noControl, "Contains control characters"),
  externalId: z
    .string()
    .trim()
    .min(1, "Enter the external id")
    .max(1000)
    .regex(noControl, "Contains control characters"),
});
export type ExternalIdInput = z.infer<typeof externalIdInputSchema>;

export const externalIdDtoSchema = z.object({ type: z.string(), externalId: z.string() });
export type ExternalIdDto = z.infer<typeof externalIdDtoSchema>;
export const externalIdListDtoSchema = z.object({ items: z.array(externalIdDtoSchema) });
export type ExternalIdListDto = z.infer<typeof externalIdListDtoSchema>;

// ----- children ------------------------------------------------------------------------------------------------

/** childDevices = device topology (operations route through the agent), childAssets = grouping. */
export const childKindSchema = z.enum(["devices", "assets"]);
export type ChildKind = z.infer<typeof childKindSchema>;

export const objectSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  isDevice: z.boolean(),
  isAgent: z.boolean(),
  isGroup: z.boolean(),
  owner: z.string().nullable(),
});
export type ObjectSummary = z.infer<typeof objectSummarySchema>;

export const CHILD_PAGE_SIZES = [10, 25, 50] as const;

export const childListQuerySchema = z.object({
  kind: childKindSchema.default("devices"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(10),
});
export type ChildListQuery = z.infer<typeof childListQuerySchema>;

export const childListDtoSchema = z.object({
  kind: childKindSchema,
  items: z.array(objectSummarySchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** null when the platform did not count (restricted users may see no totals). */
  total: z.number().int().nullable(),
  hasNext: z.boolean(),
});
export type ChildListDto = z.infer<typeof childListDtoSchema>;

export const linkChildRequestSchema = z.object({ kind: childKindSchema, childId: managedObjectIdSchema });
export type LinkChildRequest = z.infer<typeof linkChildRequestSchema>;
export const linkChildResultSchema = z.object({
  kind: childKindSchema,
  childId: z.string(),
  /** It was a child already; nothing changed (treated as success, docs/platform-api.md §0a). */
  alreadyLinked: z.boolean(),
});
export type LinkChildResult = z.infer<typeof linkChildResultSchema>;

export const unlinkChildQuerySchema = z.object({ kind: childKindSchema });

export const candidateQuerySchema = z.object({ q: z.string().trim().min(1, "Enter a name or id").max(100) });
export const candidateListDtoSchema = z.object({ items: z.array(objectSummarySchema) });
export type CandidateListDto = z.infer<typeof candidateListDtoSchema>;
