import { z } from "zod";

/**
 * Schemas of the operations BFF (`/api/operations/**`, `/api/devices/[id]/operations/**`), shared by the route
 * handlers and the browser, plus the few pure helpers both sides need (which fragment names an operation, its
 * label). docs/operations-ui.md describes the routes.
 */

// ----- statuses ------------------------------------------------------------------------------------------------

export const operationStatusSchema = z.enum(["PENDING", "EXECUTING", "SUCCESSFUL", "FAILED"]);
export type OperationStatus = z.infer<typeof operationStatusSchema>;
export const OPERATION_STATUSES = operationStatusSchema.options;

/**
 * How far along its life an operation is: PENDING → EXECUTING → SUCCESSFUL | FAILED, the last two final
 * (docs/platform-api.md §5.4, §0a). They rank equal: an operation ends one way, and a copy saying the other is
 * not "newer". The console's one ranking: the server orders live events by it, the browser its cache.
 */
const STATUS_RANK: Record<OperationStatus, number> = { PENDING: 0, EXECUTING: 1, SUCCESSFUL: 2, FAILED: 2 };
const FINAL_RANK = 2;

export const statusRank = (s: OperationStatus): number => STATUS_RANK[s];
/** Statuses an operation never leaves. */
export const isFinalStatus = (s: OperationStatus): boolean => statusRank(s) === FINAL_RANK;

/**
 * Whether a copy of an operation in status `incoming` may replace one known in `known` (nothing known: yes).
 * The same status may (its other fields can still change: a shell command's result); a further one may; an
 * earlier one arriving late may not, so a final status never goes back; and neither final status replaces the
 * other.
 */
export function supersedes(incoming: OperationStatus, known: OperationStatus | undefined): boolean {
  return known === undefined || incoming === known || statusRank(incoming) > statusRank(known);
}

// ----- operation types -----------------------------------------------------------------------------------------

/** Fields of an operation that are not command fragments (docs/platform-api.md §5.4). */
export const OPERATION_BASE_FIELDS = new Set([
  "id",
  "self",
  "creationTime",
  "deviceId",
  "deviceName",
  "agentId",
  "status",
  "failureReason",
  "description",
  "bulkOperationId",
  "deviceExternalIDs",
  "delivery",
  "externalSource",
]);

/** Standard operation fragments (docs/platform-api.md §6) with the name the console shows. */
export const OPERATION_TYPE_LABELS: Record<string, string> = {
  c8y_Restart: "Restart",
  c8y_Configuration: "Configuration",
  c8y_SoftwareUpdate: "Software update",
  c8y_SoftwareList: "Software list",
  c8y_Firmware: "Firmware",
  c8y_Command: "Shell command",
  c8y_Relay: "Relay",
  c8y_RelayArray: "Relays",
  c8y_SendConfiguration: "Upload configuration",
  c8y_UploadConfigFile: "Upload configuration file",
  c8y_DownloadConfigFile: "Download configuration file",
};
export const KNOWN_OPERATION_TYPES = Object.keys(OPERATION_TYPE_LABELS);

export function operationTypeLabel(type: string | null): string {
  if (type === null) return "Operation";
  return OPERATION_TYPE_LABELS[type] ?? type;
}

/**
 * The fragment that names an operation: a standard one first, else the first other object-valued key (how
 * agents pick the handler). null when the operation carries no command at all.
 */
export function operationTypeOf(fragments: Record<string, unknown>): string | null {
  const known = KNOWN_OPERATION_TYPES.find((t) => fragments[t] !== undefined && fragments[t] !== null);
  if (known) return known;
  return (
    Object.keys(fragments).find(
      (k) => !OPERATION_BASE_FIELDS.has(k) && typeof fragments[k] === "object" && fragments[k] !== null,
    ) ?? null
  );
}

/**
 * A fragment name as a filter or path value: what operation fragments look like (c8y_Restart, acme_Reset). The
 * emulator accepts more, but these travel safely in URLs and Bayeux channel names alike.
 */
export const fragmentTypeSchema = z
  .string()
  .trim()
  .min(1)
  .max(128, "At most 128 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "Letters, digits, “_” and “-”, starting with a letter");

/** Operation and device ids: opaque strings that must travel as one path segment (docs/platform-api.md §0a). */
export const operationIdSchema = z
  .string()
  .min(1, "Empty id")
  .max(64, "Longer than 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Not an operation id");
export const deviceRefSchema = operationIdSchema.clone();

// ----- DTOs ----------------------------------------------------------------------------------------------------

/**
 * An operation as the REST routes and the live events hand it to the browser. Its history (each status with its
 * time and who set it) is a resource of its own, `/api/operations/[id]/history` (lib/schemas/audit.ts).
 */
export const operationDtoSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  /** The agent the operation is routed to, where the platform says so. */
  agentId: z.string().nullable(),
  status: operationStatusSchema,
  creationTime: z.string(),
  description: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** The fragment naming the command (c8y_Restart, …); null when there is none. */
  type: z.string().nullable(),
  /** Shell commands: the text sent and the device's output once it is back. */
  command: z.object({ text: z.string(), result: z.string().nullable() }).nullable(),
  /** Every command fragment as stored (the base fields apart). */
  fragments: z.record(z.string(), z.json()),
  bulkOperationId: z.number().nullable(),
});
export type OperationDto = z.infer<typeof operationDtoSchema>;

/** Page sizes the list offers; the platform's own maximum is far above these. */
export const OPERATION_PAGE_SIZES = [10, 25, 50, 100] as const;

export const operationListQuerySchema = z.object({
  status: operationStatusSchema.optional(),
  deviceId: deviceRefSchema.optional(),
  type: fragmentTypeSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type OperationListQuery = z.infer<typeof operationListQuerySchema>;

/** How long an operation may stay PENDING / EXECUTING before the console calls it stale (ms). */
export const staleAfterSchema = z.object({ PENDING: z.number().int(), EXECUTING: z.number().int() });
export type StaleAfter = z.infer<typeof staleAfterSchema>;
export const DEFAULT_STALE_AFTER: StaleAfter = { PENDING: 5 * 60_000, EXECUTING: 10 * 60_000 };

export const operationListDtoSchema = z.object({
  items: z.array(operationDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Operations matching the filters; null when the platform did not say. */
  total: z.number().int().nullable(),
  staleAfter: staleAfterSchema,
});
export type OperationListDto = z.infer<typeof operationListDtoSchema>;

export const operationDetailDtoSchema = z.object({
  operation: operationDtoSchema,
  staleAfter: staleAfterSchema,
});
export type OperationDetailDto = z.infer<typeof operationDetailDtoSchema>;

// ----- sending -------------------------------------------------------------------------------------------------

/** What the console sends, and the fragment each kind becomes (docs/platform-api.md §6). */
export const operationKindSchema = z.enum(["restart", "configuration", "software", "firmware", "shell"]);
export type OperationKind = z.infer<typeof operationKindSchema>;
export const OPERATION_KINDS = operationKindSchema.options;

/** The fragments a device may list for each kind; the first one it supports is used. */
export const KIND_FRAGMENTS: Record<OperationKind, readonly string[]> = {
  restart: ["c8y_Restart"],
  configuration: ["c8y_Configuration"],
  software: ["c8y_SoftwareUpdate", "c8y_SoftwareList"],
  firmware: ["c8y_Firmware"],
  shell: ["c8y_Command"],
};

export const KIND_LABELS: Record<OperationKind, string> = {
  restart: "Restart",
  configuration: "Configuration",
  software: "Software update",
  firmware: "Firmware update",
  shell: "Shell command",
};

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const label = (max: number) =>
  z.string().trim().max(max, `At most ${max} characters`).regex(NO_CONTROL, "Contains control characters");
const required = (max: number, what: string) => label(max).min(1, `Enter ${what}`);

/** http(s) URLs only: a device downloads from it, so nothing that reads local files (file:, data:). */
export const downloadUrlSchema = z
  .string()
  .trim()
  .max(2048, "At most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL");

export const softwareItemSchema = z
  .object({
    action: z.enum(["install", "delete"]),
    name: required(256, "the package name"),
    version: label(128).default(""),
    url: z.union([z.literal(""), downloadUrlSchema]).default(""),
    softwareType: label(64).default(""),
  })
  .refine((i) => i.action === "delete" || i.version !== "", {
    path: ["version"],
    message: "Enter the version to install",
  });
export type SoftwareItem = z.infer<typeof softwareItemSchema>;

/** Largest configuration text: well inside the BFF's JSON limit, far above real agent configurations. */
export const MAX_CONFIG_CHARS = 128 * 1024;
export const MAX_SHELL_CHARS = 4000;

/** `force`: send although the device does not list the operation, or has no agent above it. */
const force = z.boolean().default(false);

export const createOperationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("restart"), force }),
  z.object({
    kind: z.literal("configuration"),
    config: z.string().max(MAX_CONFIG_CHARS, `At most ${MAX_CONFIG_CHARS} characters`),
    force,
  }),
  z.object({
    kind: z.literal("software"),
    items: z.array(softwareItemSchema).min(1, "Add at least one package").max(200, "At most 200 packages"),
    force,
  }),
  z.object({
    kind: z.literal("firmware"),
    name: required(256, "the firmware name"),
    version: required(128, "the firmware version"),
    url: downloadUrlSchema,
    force,
  }),
  z.object({
    kind: z.literal("shell"),
    command: z
      .string()
      .trim()
      .min(1, "Enter a command")
      .max(MAX_SHELL_CHARS, `At most ${MAX_SHELL_CHARS} characters`)
      .refine((c) => !c.includes("\u0000"), "Contains a NUL character"),
    force,
  }),
]);
export type CreateOperationInput = z.input<typeof createOperationSchema>;
export type CreateOperation = z.infer<typeof createOperationSchema>;

export const cancelOperationSchema = z.object({ reason: label(500).optional() });
export const failOperationSchema = z.object({ reason: required(2000, "why the operation failed") });

// ----- the device's side ---------------------------------------------------------------------------------------

export const operationOfferSchema = z.object({
  kind: operationKindSchema,
  /** The fragment that will be sent. */
  fragment: z.string(),
  /** The device lists it in c8y_SupportedOperations. */
  supported: z.boolean(),
});
export type OperationOffer = z.infer<typeof operationOfferSchema>;

export const installedSoftwareSchema = z.object({
  name: z.string(),
  version: z.string(),
  url: z.string().nullable(),
  softwareType: z.string().nullable(),
});
export type InstalledSoftware = z.infer<typeof installedSoftwareSchema>;

/** What the send dialogs need to know about a device. */
export const deviceOperationContextSchema = z.object({
  deviceId: z.string(),
  name: z.string().nullable(),
  supportedOperations: z.array(z.string()),
  /** The agent operations for this device go to (itself, or the nearest agent above it); null: none. */
  agent: z.object({ id: z.string(), name: z.string().nullable(), isSelf: z.boolean() }).nullable(),
  offers: z.array(operationOfferSchema),
  current: z.object({
    configuration: z.string().nullable(),
    firmware: z.object({ name: z.string(), version: z.string(), url: z.string().nullable() }).nullable(),
    software: z.array(installedSoftwareSchema),
  }),
});
export type DeviceOperationContext = z.infer<typeof deviceOperationContextSchema>;

// ----- the operation a send form builds --------------------------------------------------------------------------

const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function softwareSummary(items: SoftwareItem[]): string {
  const parts = items.map((i) =>
    i.action === "install" ? `install ${i.name} ${i.version}`.trim() : `remove ${i.name}`,
  );
  return clip(`Software update: ${parts.join(", ")}`);
}

/**
 * The operation a send form's input becomes: its fragment and a `description` every UI shows (docs/platform-api.md
 * §6). Software as `c8y_SoftwareUpdate` (install / delete per package); a device that only lists
 * `c8y_SoftwareList` gets that form instead (lib/server/services/operations.ts).
 */
/** An operation's body before it has a device: a description and its fragments. */
export type OperationPrototypeBody = { description: string } & Record<string, z.core.util.JSONType>;

export function operationPrototypeOf(input: CreateOperation): OperationPrototypeBody {
  switch (input.kind) {
    case "restart":
      return { description: "Restart device", c8y_Restart: {} };
    case "configuration":
      return { description: "Update configuration", c8y_Configuration: { config: input.config } };
    case "firmware":
      return {
        description: clip(`Update firmware to ${input.name} ${input.version}`),
        c8y_Firmware: { name: input.name, version: input.version, url: input.url },
      };
    case "shell":
      return {
        description: clip(`Execute shell command: ${input.command}`),
        c8y_Command: { text: input.command },
      };
    case "software":
      return {
        description: softwareSummary(input.items),
        c8y_SoftwareUpdate: input.items.map((i) => ({
          name: i.name,
          version: i.version,
          url: i.url,
          ...(i.softwareType ? { softwareType: i.softwareType } : {}),
          action: i.action,
        })),
      };
  }
}
