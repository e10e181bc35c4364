import { z } from "zod";
import { managedObjectIdSchema } from "./device-tree";
import {
  OPERATION_BASE_FIELDS,
  operationTypeOf,
  operationPrototypeOf,
  type CreateOperation,
} from "./operations";
import type { SessionUserDto } from "./session";

/**
 * Starting a bulk operation (docs/bulk-start.md): the body of `POST /api/bulk-operations` and
 * `POST /api/bulk-operations/dry-run`, the dry run's answer, and the pure helpers both sides need (the device query
 * of a selection, the operation prototype of a send form's input).
 */

/**
 * creationRamp bounds, seconds: what the vendor's console offers (docs/platform-fleet.md §1, tenant options
 * `bulkoperation.creationramp` / `…maxcreationramp`). The emulator also takes 0 ("all at once",
 * docs/emulator-bulk-operations.md), a real tenant's options may not: the console stays inside the vendor's bounds.
 */
export const MIN_CREATION_RAMP_S = 0.001;
export const MAX_CREATION_RAMP_S = 3600;
/** The vendor console's default delay between two devices. */
export const DEFAULT_CREATION_RAMP_S = 1;

/**
 * Devices one selection may hold. Each becomes a term of the hidden group's query; the platform's query language
 * is bounded in length (the emulator refuses more than 8192 characters, a real tenant has similar limits), so a
 * larger set belongs in a group.
 */
export const MAX_SELECTED_DEVICES = 250;
/** A query target's length: the emulator's query limit, less room for the conditions the dry run adds. */
export const MAX_TARGET_QUERY_CHARS = 7000;
export const MAX_NOTE_CHARS = 2000;

const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/** A bulk operation id: platform ids are digits; numbers are accepted as the vendor's client sends them. */
export const bulkOperationIdSchema = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[0-9]{1,19}$/, "Not a bulk operation id"));

export const targetSchema = z
  .object({
    deviceIds: z
      .array(managedObjectIdSchema)
      .min(1, "Select at least one device")
      .max(MAX_SELECTED_DEVICES, `At most ${MAX_SELECTED_DEVICES} devices: run it on their group instead`)
      .optional(),
    groupId: managedObjectIdSchema.optional(),
    query: z
      .string()
      .trim()
      .min(1, "Empty query")
      .max(MAX_TARGET_QUERY_CHARS, `At most ${MAX_TARGET_QUERY_CHARS} characters`)
      .regex(NO_CONTROL, "Contains control characters")
      .optional(),
    failedParentId: bulkOperationIdSchema.optional(),
  })
  .strict()
  .refine((t) => Object.values(t).filter((v) => v !== undefined).length === 1, {
    message: "Give exactly one of deviceIds, groupId, query, failedParentId",
  })
  .transform((t): BulkTarget => {
    if (t.deviceIds) return { deviceIds: [...new Set(t.deviceIds)] };
    if (t.groupId) return { groupId: t.groupId };
    if (t.query) return { query: t.query };
    return { failedParentId: t.failedParentId! };
  });
export type BulkTarget =
  { deviceIds: string[] } | { groupId: string } | { query: string } | { failedParentId: string };

/** What every device gets: fragments (c8y_Restart, …) and a description; nothing of the platform's own fields. */
export const operationPrototypeSchema = z
  .record(
    z
      .string()
      .max(128, "A fragment name of at most 128 characters")
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "Not a fragment name"),
    z.json(),
  )
  .superRefine((op, ctx) => {
    for (const key of Object.keys(op))
      if (key !== "description" && OPERATION_BASE_FIELDS.has(key))
        ctx.addIssue({ code: "custom", path: [key], message: `${key} is set by the platform` });
    if (op.description !== undefined && typeof op.description !== "string")
      ctx.addIssue({ code: "custom", path: ["description"], message: "The description is text" });
    if (operationTypeOf(op) === null)
      ctx.addIssue({ code: "custom", message: "Name an operation fragment, e.g. c8y_Restart" });
  });
export type OperationPrototype = z.infer<typeof operationPrototypeSchema>;

const bodyShape = {
  target: targetSchema,
  operation: operationPrototypeSchema.optional(),
};

const needsOperation = (b: { target: BulkTarget; operation?: unknown }, ctx: z.RefinementCtx) => {
  if (b.operation === undefined && !("failedParentId" in b.target))
    ctx.addIssue({ code: "custom", path: ["operation"], message: "Choose the operation to send" });
};

export const bulkCreateSchema = z
  .object({
    ...bodyShape,
    startDate: z.iso
      .datetime({ offset: true, message: "Not a date-time with a zone (e.g. 2026-05-01T22:00:00Z)" })
      .optional(),
    creationRamp: z
      .number("A number of seconds")
      .min(MIN_CREATION_RAMP_S, `At least ${MIN_CREATION_RAMP_S} s`)
      .max(MAX_CREATION_RAMP_S, `At most ${MAX_CREATION_RAMP_S} s`)
      .optional(),
    note: z
      .string()
      .max(MAX_NOTE_CHARS, `At most ${MAX_NOTE_CHARS} characters`)
      .regex(NO_CONTROL, "Contains control characters")
      .optional(),
  })
  .superRefine(needsOperation);
export type BulkCreateInput = z.input<typeof bulkCreateSchema>;
export type BulkCreate = z.infer<typeof bulkCreateSchema>;

/** The dry run takes the same body; the schedule and the note, if sent, are ignored. */
export const bulkDryRunSchema = z.object(bodyShape).superRefine(needsOperation);
export type BulkDryRunInput = z.input<typeof bulkDryRunSchema>;
export type BulkDryRun = z.infer<typeof bulkDryRunSchema>;

export const bulkCreatedDtoSchema = z.object({ id: z.string() });
export type BulkCreatedDto = z.infer<typeof bulkCreatedDtoSchema>;

/** How many devices a bulk operation would reach, and of those how many are connected and support it. */
export const bulkDryRunDtoSchema = z.object({
  devices: z.number().int().min(0),
  connected: z.number().int().min(0),
  supporting: z.number().int().min(0),
});
export type BulkDryRunDto = z.infer<typeof bulkDryRunDtoSchema>;

/** Fields a platform refusal can be about; the dialog shows the reason next to that field. */
export const BULK_FIELDS = ["target", "operation", "startDate", "creationRamp"] as const;
export type BulkField = (typeof BULK_FIELDS)[number];

// ----- query language ------------------------------------------------------------------------------------------

/** A string literal of the inventory query language: quotes doubled (docs/platform-api.md §4.3). */
export const queryLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The filter selecting exactly these objects by id (no `in` operator exists: one `eq` per id). */
export const idsFilter = (ids: readonly string[]) =>
  ids.map((id) => `id eq ${queryLiteral(id)}`).join(" or ");

/**
 * The hidden group's c8y_DeviceQueryString for a selection of devices, in the query language's `$filter=` form
 * as the vendor console stores its grid's query (docs/platform-fleet.md §1).
 */
export const selectionQuery = (ids: readonly string[]) => `$filter=(${idsFilter(ids)})`;

/**
 * Longest device query a selection group gets: the emulator's parser stops at 8,192 characters
 * (docs/bulk-operations-ui.md). Roughly 400 devices with 7-digit ids.
 */
export const MAX_SELECTION_QUERY = 8000;

/** Whether these devices fit one hidden selection group; a larger set is refused before anything is written. */
export const fitsOneSelection = (ids: readonly string[]) =>
  selectionQuery([...new Set(ids)]).length <= MAX_SELECTION_QUERY;

/**
 * The devices a tree search finds: a part of the name (as the search matches it, case-insensitive) or the
 * objects it matched by id or external id. Wildcards the operator typed are taken out, as the search does.
 */
export function searchResultsQuery(text: string, exactIds: readonly string[] = []): string {
  const parts = [
    `name eq ${queryLiteral(`*${text.replaceAll("*", "")}*`)}`,
    ...exactIds.map((id) => `id eq ${queryLiteral(id)}`),
  ];
  return `$filter=(${parts.join(" or ")})`;
}

/**
 * The filter part of a query-language string (`$filter=(…) $orderby=…` → `(…)`), so it can be combined with
 * more conditions; "" when it selects everything. Quoted text is skipped, so a literal holding "$orderby=" stays.
 */
export function filterOf(query: string): string {
  let end = query.length;
  let inString = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === "$" && query.slice(i, i + 9).toLowerCase() === "$orderby=") {
      end = i;
      break;
    }
  }
  let filter = query.slice(0, end).trim();
  if (filter.toLowerCase().startsWith("$filter=")) filter = filter.slice(8).trim();
  return filter;
}

// ----- the operation ---------------------------------------------------------------------------------------------

/**
 * The operation every device gets for a send form's input: the same fragments and descriptions as for one device
 * (operationPrototypeOf). Software goes as `c8y_SoftwareUpdate` (install / delete per package): the other form,
 * `c8y_SoftwareList`, is one device's complete desired list and means nothing across a fleet.
 */
export function bulkPrototypeOf(input: CreateOperation): OperationPrototype {
  return operationPrototypeOf(input);
}

// ----- who may ---------------------------------------------------------------------------------------------------

/**
 * Why this operator cannot start a bulk operation on this kind of target, or null when they can. Creating one
 * needs BULK_OPERATION_ADMIN (docs/platform-fleet.md §1); a selection or a search also creates the hidden group, an
 * inventory object.
 */
export function bulkStartBlocker(
  user: Pick<SessionUserDto, "roles">,
  target: "group" | "selection",
): string | null {
  const has = (role: string) => user.roles.includes(role);
  if (!has("ROLE_BULK_OPERATION_ADMIN"))
    return "Starting a bulk operation needs the role Bulk operations admin (ROLE_BULK_OPERATION_ADMIN). Ask your tenant administrator for it.";
  if (target === "selection" && !has("ROLE_INVENTORY_ADMIN") && !has("ROLE_INVENTORY_CREATE"))
    return "Running on selected devices creates a hidden device group, which needs the inventory admin or create role.";
  return null;
}
