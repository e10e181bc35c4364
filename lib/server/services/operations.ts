import "server-only";
import {
  DEFAULT_STALE_AFTER,
  KIND_FRAGMENTS,
  OPERATION_BASE_FIELDS,
  OPERATION_KINDS,
  operationPrototypeOf,
  operationStatusSchema,
  operationTypeOf,
  type CreateOperation,
  type DeviceOperationContext,
  type InstalledSoftware,
  type OperationDto,
  type OperationListDto,
  type OperationListQuery,
  type OperationStatus,
  type SoftwareItem,
  type StaleAfter,
} from "@/lib/schemas/operations";
import { ApiError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

export type UpstreamOperation = components["schemas"]["Operation"];
type UpstreamManagedObject = components["schemas"]["ManagedObject"];
type Json = OperationDto["fragments"][string];

/**
 * Operations for the console (docs/platform-api.md §5.4, §6; docs/operations-ui.md). Every upstream operation
 * becomes an OperationDto here and nowhere else: the REST routes and the live events (docs/live-updates.md) hand
 * the browser the same DTO. Its history (each status with its time and who set it) is not part of it: the
 * platform's audit records hold that, read on demand (`services/audit.ts`).
 */

// ----- configuration -------------------------------------------------------------------------------------------

function minutesFromEnv(name: string, fallbackMs: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 60_000) : fallbackMs;
}

/** OPERATION_STALE_PENDING_MINUTES (5) and OPERATION_STALE_EXECUTING_MINUTES (10). */
export function staleAfter(): StaleAfter {
  return {
    PENDING: minutesFromEnv("OPERATION_STALE_PENDING_MINUTES", DEFAULT_STALE_AFTER.PENDING),
    EXECUTING: minutesFromEnv("OPERATION_STALE_EXECUTING_MINUTES", DEFAULT_STALE_AFTER.EXECUTING),
  };
}

// ----- mapping -------------------------------------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function isStatus(v: unknown): v is OperationStatus {
  return operationStatusSchema.safeParse(v).success;
}

/** The status the console shows: one the contract does not list would break every badge, so it reads PENDING. */
export function operationStatusOf(op: Pick<UpstreamOperation, "status">): OperationStatus {
  return isStatus(op.status) ? op.status : "PENDING";
}

const idOf = (v: unknown): string | null =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;

/**
 * An operation pushed over the realtime endpoint is free-form JSON: the fields `toOperationDto` relies on are
 * checked here (numeric ids read as strings, docs/platform-api.md §0a); null when it is not an operation.
 */
export function readUpstreamOperation(raw: unknown): UpstreamOperation | null {
  if (!isObject(raw)) return null;
  const id = idOf(raw.id);
  const deviceId = idOf(raw.deviceId);
  if (!id || !deviceId || typeof raw.creationTime !== "string" || typeof raw.status !== "string") return null;
  return { ...raw, id, deviceId } as UpstreamOperation;
}

/** The command fragments of an operation (everything but the platform's fields). */
function fragmentsOf(op: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(op))
    if (!OPERATION_BASE_FIELDS.has(key) && value !== undefined) out[key] = value as Json;
  return out;
}

/** The one place an upstream operation becomes a DTO (docs/style.md rule 4). */
export function toOperationDto(op: UpstreamOperation): OperationDto {
  const status = operationStatusOf(op);
  const fragments = fragmentsOf(op);
  const cmd = op.c8y_Command;
  return {
    id: op.id,
    deviceId: op.deviceId,
    deviceName: str(op.deviceName),
    agentId: str(op.agentId),
    status,
    creationTime: op.creationTime,
    description: str(op.description),
    failureReason: str(op.failureReason),
    type: operationTypeOf(fragments),
    command:
      isObject(cmd) && typeof cmd.text === "string" ? { text: cmd.text, result: str(cmd.result) } : null,
    fragments,
    bulkOperationId: typeof op.bulkOperationId === "number" ? op.bulkOperationId : null,
  };
}

// ----- reading -------------------------------------------------------------------------------------------------

/** The start of the range that makes `revert` legal on a real tenant: before any operation can exist. */
const EPOCH = "1970-01-01T00:00:00.000Z";
const DAY_MS = 24 * 3600 * 1000;

/**
 * One page, newest first. The platform lists oldest first; `revert=true` reverses it, but on a real tenant only
 * together with a date range (docs/platform-api.md §5.4), so the range is always sent: from 1970 to a day ahead (a
 * device clock or a tenant in another zone may stamp a little into the future).
 */
export async function listOperations(
  platform: PlatformClient,
  query: OperationListQuery,
  now: number = Date.now(),
): Promise<OperationListDto> {
  const page = body(
    await platform.GET("/devicecontrol/operations", {
      params: {
        query: {
          ...(query.deviceId ? { deviceId: query.deviceId } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.type ? { fragmentType: query.type } : {}),
          dateFrom: EPOCH,
          dateTo: new Date(now + DAY_MS).toISOString(),
          revert: true,
          pageSize: query.pageSize,
          currentPage: query.page,
          withTotalElements: true,
        },
      },
    }),
  );
  const total = page.statistics?.totalElements;
  return {
    items: page.operations.map((op) => toOperationDto(op)),
    page: query.page,
    pageSize: query.pageSize,
    total: typeof total === "number" ? total : null,
    staleAfter: staleAfter(),
  };
}

async function readOperation(platform: PlatformClient, id: string): Promise<UpstreamOperation> {
  return body(
    await platform.GET("/devicecontrol/operations/{operationId}", { params: { path: { operationId: id } } }),
  );
}

export async function getOperation(platform: PlatformClient, id: string): Promise<OperationDto> {
  return toOperationDto(await readOperation(platform, id));
}

// ----- the device's side ---------------------------------------------------------------------------------------

/** Ancestor levels followed to find the agent: far beyond real hierarchies, a guard against reference loops. */
const MAX_AGENT_DEPTH = 8;
const isAgent = (mo: Record<string, unknown>) =>
  mo.com_cumulocity_model_Agent !== undefined && mo.com_cumulocity_model_Agent !== null;

async function readObject(platform: PlatformClient, id: string): Promise<UpstreamManagedObject> {
  return body(
    await platform.GET("/inventory/managedObjects/{id}", {
      params: { path: { id }, query: { withChildren: false } },
    }),
  );
}

/**
 * The agent operations for this device are routed to: the device itself or the nearest
 * `com_cumulocity_model_Agent` above it over childDevices (docs/platform-api.md §5.4, docs/startup-phase.md step 2). Walked level by
 * level over the direct `deviceParents`, which every managed object carries, so the nearest one is found.
 */
async function findAgent(
  platform: PlatformClient,
  device: UpstreamManagedObject,
): Promise<DeviceOperationContext["agent"]> {
  if (isAgent(device)) return { id: device.id, name: str(device.name), isSelf: true };
  const seen = new Set([device.id]);
  let level = (device.deviceParents?.references ?? []).map((r) => r.managedObject.id);
  for (let depth = 0; depth < MAX_AGENT_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const id of level) {
      if (seen.has(id)) continue;
      seen.add(id);
      const parent = await readObject(platform, id);
      if (isAgent(parent)) return { id: parent.id, name: str(parent.name), isSelf: false };
      next.push(...(parent.deviceParents?.references ?? []).map((r) => r.managedObject.id));
    }
    level = next;
  }
  return null;
}

/** Installed software from `c8y_SoftwareList` (a list) or the older `c8y_Software` map (name → version). */
function installedSoftware(mo: Record<string, unknown>): InstalledSoftware[] {
  if (Array.isArray(mo.c8y_SoftwareList))
    return mo.c8y_SoftwareList.filter(isObject).flatMap((s) =>
      typeof s.name === "string"
        ? [
            {
              name: s.name,
              version: str(s.version) ?? "",
              url: str(s.url) || null,
              softwareType: str(s.softwareType) || null,
            },
          ]
        : [],
    );
  if (isObject(mo.c8y_Software))
    return Object.entries(mo.c8y_Software).map(([name, version]) => ({
      name,
      version: str(version) ?? "",
      url: null,
      softwareType: null,
    }));
  return [];
}

function contextOf(device: UpstreamManagedObject, agent: DeviceOperationContext["agent"]) {
  const supported = Array.isArray(device.c8y_SupportedOperations)
    ? device.c8y_SupportedOperations.filter((s): s is string => typeof s === "string")
    : [];
  const config = isObject(device.c8y_Configuration) ? str(device.c8y_Configuration.config) : null;
  const fw = isObject(device.c8y_Firmware) ? device.c8y_Firmware : null;
  const context: DeviceOperationContext = {
    deviceId: device.id,
    name: str(device.name),
    supportedOperations: supported,
    agent,
    offers: OPERATION_KINDS.map((kind) => {
      const fragment = KIND_FRAGMENTS[kind].find((f) => supported.includes(f));
      return { kind, fragment: fragment ?? KIND_FRAGMENTS[kind][0]!, supported: fragment !== undefined };
    }),
    current: {
      configuration: config,
      firmware:
        fw && typeof fw.name === "string"
          ? { name: fw.name, version: str(fw.version) ?? "", url: str(fw.url) || null }
          : null,
      software: installedSoftware(device),
    },
  };
  return context;
}

/** What the send dialogs need: supported operations, the agent above, and current configuration/software. */
export async function getDeviceOperationContext(
  platform: PlatformClient,
  deviceId: string,
): Promise<DeviceOperationContext> {
  const device = await readObject(platform, deviceId);
  return contextOf(device, await findAgent(platform, device));
}

// ----- writing -------------------------------------------------------------------------------------------------

/** `c8y_SoftwareList` is the complete desired set: what is installed, minus removals, plus installs. */
function desiredSoftwareList(installed: InstalledSoftware[], items: SoftwareItem[]) {
  const byName = new Map(installed.map((s) => [s.name, s]));
  for (const item of items) {
    if (item.action === "delete") byName.delete(item.name);
    else
      byName.set(item.name, {
        name: item.name,
        version: item.version,
        url: item.url || null,
        softwareType: item.softwareType || null,
      });
  }
  return [...byName.values()].map((s) => ({
    name: s.name,
    version: s.version,
    url: s.url ?? "",
    ...(s.softwareType ? { softwareType: s.softwareType } : {}),
  }));
}

/**
 * The upstream body for one kind: the form's operation (operationPrototypeOf), except that a device listing only
 * `c8y_SoftwareList` gets its complete desired list instead of per-package updates (§6).
 */
function operationBody(
  input: CreateOperation,
  fragment: string,
  context: DeviceOperationContext,
): Record<string, unknown> {
  const prototype = operationPrototypeOf(input);
  if (input.kind === "software" && fragment === "c8y_SoftwareList")
    return {
      description: prototype.description,
      c8y_SoftwareList: desiredSoftwareList(context.current.software, input.items),
    };
  return prototype;
}

/**
 * Sends an operation to a device. Without `force` it is refused (409) when the device does not list the
 * fragment in c8y_SupportedOperations, or when no agent is above it to pick the operation up: the platform
 * itself accepts both (docs/platform-api.md §0a), and the operation would only fail or wait forever.
 */
export async function createOperation(
  platform: PlatformClient,
  deviceId: string,
  input: CreateOperation,
): Promise<OperationDto> {
  const context = await getDeviceOperationContext(platform, deviceId);
  const offer = context.offers.find((o) => o.kind === input.kind)!;
  const name = context.name ?? `Device ${deviceId}`;
  if (!input.force && !offer.supported)
    throw new ApiError(
      "conflict",
      `${name} does not list ${KIND_FRAGMENTS[input.kind].join(" or ")} among its supported operations.`,
    );
  if (!input.force && context.agent === null)
    throw new ApiError("conflict", `${name} has no agent above it: nothing would pick the operation up.`);
  const created = body(
    await platform.POST("/devicecontrol/operations", {
      body: { deviceId, ...operationBody(input, offer.fragment, context) },
    }),
  );
  return toOperationDto(created);
}

async function finish(
  platform: PlatformClient,
  id: string,
  from: OperationStatus,
  failureReason: string,
): Promise<OperationDto> {
  const current = await readOperation(platform, id);
  if (current.status !== from)
    throw new ApiError(
      "conflict",
      from === "PENDING"
        ? `Only pending operations can be cancelled; operation ${id} is ${current.status}.`
        : `Only executing operations can be marked failed; operation ${id} is ${current.status}.`,
    );
  // The platform has no conditional update: an agent moving the operation on between this read and the PUT
  // wins or loses by a round trip (docs/operations-ui.md, "Cancel and fail").
  const updated = body(
    await platform.PUT("/devicecontrol/operations/{operationId}", {
      params: { path: { operationId: id } },
      body: { status: "FAILED", failureReason },
    }),
  );
  return toOperationDto(updated);
}

/** PENDING → FAILED "Cancelled by <user>[: reason]" (docs/platform-api.md §0a: the operator's cancel). */
export function cancelOperation(
  platform: PlatformClient,
  id: string,
  user: string,
  reason?: string,
): Promise<OperationDto> {
  return finish(platform, id, "PENDING", `Cancelled by ${user}${reason ? `: ${reason}` : ""}`);
}

/** EXECUTING → FAILED, for operations the device will never finish (it lost its state, or died). */
export function failOperation(
  platform: PlatformClient,
  id: string,
  user: string,
  reason: string,
): Promise<OperationDto> {
  return finish(platform, id, "EXECUTING", `Marked failed by ${user}: ${reason}`);
}

/** Fragments the device wrote back into an operation: a new run starts without them. */
function withoutResults(fragments: Record<string, Json>): Record<string, Json> {
  const out = { ...fragments };
  const cmd = out.c8y_Command;
  if (isObject(cmd) && "result" in cmd) {
    const { result: _result, ...rest } = cmd;
    out.c8y_Command = rest;
  }
  return out;
}

/** A new operation with the same device, description and command as a FAILED one. */
export async function rerunOperation(platform: PlatformClient, id: string): Promise<OperationDto> {
  const original = await readOperation(platform, id);
  if (original.status !== "FAILED")
    throw new ApiError(
      "conflict",
      `Only failed operations can be run again; operation ${id} is ${original.status}.`,
    );
  const fragments = withoutResults(fragmentsOf(original));
  if (operationTypeOf(fragments) === null)
    throw new ApiError("conflict", `Operation ${id} carries no command to run again.`);
  const created = body(
    await platform.POST("/devicecontrol/operations", {
      body: {
        deviceId: original.deviceId,
        ...(typeof original.description === "string" ? { description: original.description } : {}),
        ...fragments,
      },
    }),
  );
  return toOperationDto(created);
}
