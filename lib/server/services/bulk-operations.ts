import "server-only";
import {
  allCreated,
  normaliseGeneralStatus,
  parseRetryNote,
  retryNote,
  type BulkChildDto,
  type BulkChildrenDto,
  type BulkChildrenQuery,
  type BulkListDto,
  type BulkListQuery,
  type BulkOperationDto,
  type FailureGroup,
  type FailureGroupsDto,
  type RetriesDto,
  type ScheduleUpdate,
} from "@/lib/schemas/bulk-operations";
import { operationTypeOf, type OperationStatus } from "@/lib/schemas/operations";
import { ApiError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import { createDeviceSelectionGroup } from "./bulk-create";
import type { components } from "../upstream/platform";
import { operationStatusOf, type UpstreamOperation } from "./operations";

/**
 * Bulk operations for the console (docs/platform-fleet.md §1; docs/bulk-operations-ui.md). Every upstream bulk
 * operation becomes a BulkOperationDto here and nowhere else: the REST routes and the live events hand the browser
 * the same DTO.
 */

export type UpstreamBulkOperation = components["schemas"]["BulkOperation"];
type Json = BulkOperationDto["prototype"][string];

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;
const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

// ----- mapping -------------------------------------------------------------------------------------------------

/**
 * A bulk operation pushed on `/bulkOperations/*` is free-form JSON: the fields the mapper relies on are checked
 * here (numeric ids read as strings); null when it is not a bulk operation.
 */
export function readUpstreamBulkOperation(raw: unknown): UpstreamBulkOperation | null {
  if (!isObject(raw)) return null;
  const id = idOf(raw.id);
  if (!id || typeof raw.startDate !== "string" || !isObject(raw.progress)) return null;
  const groupId = idOf(raw.groupId);
  const failedParentId = idOf(raw.failedParentId);
  return {
    ...raw,
    id,
    ...(groupId ? { groupId } : {}),
    ...(failedParentId ? { failedParentId } : {}),
  } as UpstreamBulkOperation;
}

/** The one place an upstream bulk operation becomes a DTO (docs/style.md rule 4). */
export function toBulkOperationDto(op: UpstreamBulkOperation): BulkOperationDto {
  const raw = op as unknown as Record<string, unknown>;
  const progressRaw = isObject(raw.progress) ? raw.progress : {};
  const progress = {
    pending: count(progressRaw.pending),
    executing: count(progressRaw.executing),
    successful: count(progressRaw.successful),
    failed: count(progressRaw.failed),
    all: count(progressRaw.all),
  };
  const prototype: Record<string, Json> = isObject(raw.operationPrototype)
    ? (raw.operationPrototype as Record<string, Json>)
    : {};
  const ramp = typeof raw.creationRamp === "number" && raw.creationRamp >= 0 ? raw.creationRamp : 0;
  const start = Date.parse(op.startDate);
  const failedParentId = idOf(raw.failedParentId);
  const note = str(raw.note);
  const fromNote = parseRetryNote(note);
  const status = str(raw.status) ?? "ACTIVE";
  // An unknown general status (the client enum's INCORRECT, say) is shown by what `status` implies.
  const generalStatus =
    normaliseGeneralStatus(raw.generalStatus) ??
    (status === "DELETED" ? "CANCELED" : status === "ACTIVE" ? "SCHEDULED" : "EXECUTING");
  const created = allCreated(progress);
  const running = generalStatus === "EXECUTING" || generalStatus === "EXECUTING_WITH_ERROR";
  return {
    id: op.id,
    groupId: idOf(raw.groupId),
    failedParentId,
    retryOf: failedParentId
      ? { id: failedParentId, reason: fromNote?.parentId === failedParentId ? fromNote.reason : null }
      : fromNote
        ? { id: fromNote.parentId, reason: fromNote.reason }
        : null,
    description: str(prototype.description),
    type: operationTypeOf(prototype),
    prototype,
    note,
    startDate: op.startDate,
    creationRamp: ramp,
    estimatedEnd: Number.isNaN(start)
      ? op.startDate
      : new Date(start + ramp * progress.all * 1000).toISOString(),
    status,
    generalStatus,
    progress,
    can: {
      // The vendor UI's rule (docs/platform-fleet.md §1): while SCHEDULED, or executing and not all created yet.
      cancel: generalStatus === "SCHEDULED" || (running && !created),
      editSchedule: generalStatus === "SCHEDULED",
      // Only once every single operation exists (docs/emulator-bulk-operations.md, "Mark successful").
      markSuccessful: created && generalStatus !== "SUCCESSFUL" && generalStatus !== "CANCELED",
    },
  };
}

// ----- reading -------------------------------------------------------------------------------------------------

/**
 * One page of bulk operations, in the platform's order (ascending id). The "executing with errors" filter is
 * sent in the spelling the vendor UI sends (docs/platform-fleet.md §1).
 */
export async function listBulkOperations(
  platform: PlatformClient,
  query: BulkListQuery,
): Promise<BulkListDto> {
  const page = body(
    await platform.GET("/devicecontrol/bulkoperations", {
      params: {
        query: {
          ...(query.generalStatus.length ? { generalStatus: query.generalStatus } : {}),
          ...(query.dateFrom ? { dateFrom: query.dateFrom } : {}),
          ...(query.dateTo ? { dateTo: query.dateTo } : {}),
          ...(query.withDeleted ? { withDeleted: true } : {}),
          pageSize: query.pageSize,
          currentPage: query.page,
          withTotalElements: true,
        },
      },
    }),
  );
  const total = page.statistics?.totalElements;
  return {
    items: page.bulkOperations.map(toBulkOperationDto),
    page: query.page,
    pageSize: query.pageSize,
    total: typeof total === "number" ? total : null,
  };
}

async function readBulk(platform: PlatformClient, id: string): Promise<UpstreamBulkOperation> {
  return body(
    await platform.GET("/devicecontrol/bulkoperations/{bulkOperationId}", {
      params: { path: { bulkOperationId: id } },
    }),
  );
}

export async function getBulkOperation(platform: PlatformClient, id: string): Promise<BulkOperationDto> {
  return toBulkOperationDto(await readBulk(platform, id));
}

/** The platform's `bulkOperationId` query parameter is an integer (docs/platform-fleet.md §1). */
function numericId(id: string): number {
  if (!/^\d{1,15}$/.test(id))
    throw new ApiError("not_found", `Bulk operation ${id} does not exist: bulk operation ids are numbers.`);
  return Number(id);
}

function toChildDto(op: UpstreamOperation): BulkChildDto {
  return {
    id: op.id,
    deviceId: op.deviceId,
    deviceName: str(op.deviceName),
    status: operationStatusOf(op),
    failureReason: str(op.failureReason),
    creationTime: op.creationTime,
  };
}

async function childrenPage(
  platform: PlatformClient,
  id: string,
  status: OperationStatus | undefined,
  page: number,
  pageSize: number,
) {
  return body(
    await platform.GET("/devicecontrol/operations", {
      params: {
        query: {
          bulkOperationId: numericId(id),
          ...(status ? { status } : {}),
          pageSize,
          currentPage: page,
          withTotalElements: true,
        },
      },
    }),
  );
}

/** One page of a bulk operation's single operations (ascending id, each with its device's name). */
export async function listBulkChildren(
  platform: PlatformClient,
  id: string,
  query: BulkChildrenQuery,
): Promise<BulkChildrenDto> {
  // The platform answers an empty page for an unknown bulk operation: reading it too makes that a 404.
  const [, page] = await Promise.all([
    readBulk(platform, id),
    childrenPage(platform, id, query.status, query.page, query.pageSize),
  ]);
  const total = page.statistics?.totalElements;
  return {
    items: page.operations.map(toChildDto),
    page: query.page,
    pageSize: query.pageSize,
    total: typeof total === "number" ? total : null,
  };
}

/** Failed single operations read for the triage: at most FAILURE_PAGES pages of FAILURE_PAGE_SIZE (20,000). */
export const FAILURE_PAGE_SIZE = 2000;
export const FAILURE_PAGES = 10;

/**
 * The failed single operations grouped by failure reason, largest group first (ties by reason). The platform has
 * no grouping, so the FAILED children are read page by page at the platform's largest page size, at most
 * FAILURE_PAGES pages; beyond that the answer says `truncated` and the groups cover what was read. A device
 * appears once per group (its newest failed operation).
 */
export async function getFailureGroups(
  platform: PlatformClient,
  id: string,
  limits: { pageSize?: number; pages?: number } = {},
): Promise<FailureGroupsDto> {
  const pageSize = limits.pageSize ?? FAILURE_PAGE_SIZE;
  const pages = limits.pages ?? FAILURE_PAGES;
  const bulk = toBulkOperationDto(await readBulk(platform, id));
  const groups = new Map<string, FailureGroup>();
  let read = 0;
  let truncated = false;
  for (let page = 1; ; page++) {
    const answer = await childrenPage(platform, id, "FAILED", page, pageSize);
    for (const op of answer.operations) {
      read += 1;
      const reason = str(op.failureReason) ?? "";
      let group = groups.get(reason);
      if (!group) groups.set(reason, (group = { reason, count: 0, devices: [] }));
      const device = { id: op.deviceId, name: str(op.deviceName), operationId: op.id };
      const at = group.devices.findIndex((d) => d.id === op.deviceId);
      if (at >= 0) group.devices[at] = device;
      else {
        group.devices.push(device);
        group.count += 1;
      }
    }
    if (answer.operations.length < pageSize) break;
    if (page >= pages) {
      truncated = true;
      break;
    }
  }
  return {
    groups: [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    failed: bulk.progress.failed,
    read,
    truncated: truncated || read < bulk.progress.failed,
  };
}

/** Bulk operations read to find retries: at most RETRY_SCAN_PAGES pages of 2,000. */
const RETRY_SCAN_PAGE_SIZE = 2000;
const RETRY_SCAN_PAGES = 5;

/**
 * The retries of a bulk operation. A real tenant has no "retries of" filter, so every bulk operation (cancelled
 * ones too) is read, page by page and bounded, and those naming this one as `failedParentId` or in their retry
 * note are kept.
 */
export async function listRetries(platform: PlatformClient, id: string): Promise<RetriesDto> {
  await readBulk(platform, id); // an unknown id is a 404, not an empty list
  const items: BulkOperationDto[] = [];
  for (let page = 1; page <= RETRY_SCAN_PAGES; page++) {
    const answer = body(
      await platform.GET("/devicecontrol/bulkoperations", {
        params: { query: { withDeleted: true, pageSize: RETRY_SCAN_PAGE_SIZE, currentPage: page } },
      }),
    );
    for (const op of answer.bulkOperations) {
      const dto = toBulkOperationDto(op);
      if (dto.retryOf?.id === id) items.push(dto);
    }
    if (answer.bulkOperations.length < RETRY_SCAN_PAGE_SIZE) return { items, truncated: false };
  }
  return { items, truncated: true };
}

// ----- writing -------------------------------------------------------------------------------------------------

/** DELETE cancels; only while SCHEDULED, or executing with single operations still to create. */
export async function cancelBulkOperation(platform: PlatformClient, id: string): Promise<BulkOperationDto> {
  const current = await getBulkOperation(platform, id);
  if (!current.can.cancel)
    throw new ApiError(
      "conflict",
      current.generalStatus === "CANCELED"
        ? `Bulk operation ${id} is already cancelled.`
        : `Bulk operation ${id} can no longer be cancelled: every single operation has been created.`,
    );
  await platform.DELETE("/devicecontrol/bulkoperations/{bulkOperationId}", {
    params: { path: { bulkOperationId: id } },
  });
  return getBulkOperation(platform, id);
}

/**
 * "Edit schedule" (docs/platform-fleet.md §1): only while SCHEDULED, where the platform changes it in place. A PUT on a
 * started one would cancel it and create another, which is not what an operator editing a schedule means.
 */
export async function updateSchedule(
  platform: PlatformClient,
  id: string,
  schedule: ScheduleUpdate,
): Promise<BulkOperationDto> {
  const current = await getBulkOperation(platform, id);
  if (!current.can.editSchedule)
    throw new ApiError(
      "conflict",
      `Only scheduled bulk operations can be rescheduled; bulk operation ${id} has already started.`,
    );
  const updated = body(
    await platform.PUT("/devicecontrol/bulkoperations/{bulkOperationId}", {
      params: { path: { bulkOperationId: id } },
      headers: { accept: "application/json" },
      body: {
        startDate: new Date(schedule.startDate).toISOString(),
        creationRamp: schedule.creationRamp,
      },
    }),
  );
  return toBulkOperationDto(updated);
}

/** "Set to SUCCESSFUL": `PUT {generalStatus: SUCCESSFUL}` (docs/platform-fleet.md §1), once every operation exists. */
export async function markSuccessful(platform: PlatformClient, id: string): Promise<BulkOperationDto> {
  const current = await getBulkOperation(platform, id);
  if (!current.can.markSuccessful)
    throw new ApiError(
      "conflict",
      current.generalStatus === "SUCCESSFUL"
        ? `Bulk operation ${id} is already successful.`
        : `Bulk operation ${id} cannot be marked successful before all its operations exist.`,
    );
  const updated = body(
    await platform.PUT("/devicecontrol/bulkoperations/{bulkOperationId}", {
      params: { path: { bulkOperationId: id } },
      headers: { accept: "application/json" },
      body: { generalStatus: "SUCCESSFUL" },
    }),
  );
  return toBulkOperationDto(updated);
}

/**
 * A new bulk operation for failed devices of `id`, starting now with the parent's prototype and ramp:
 * - no reason: every failed device, with `failedParentId` (the platform picks the devices);
 * - a reason: exactly the devices of that failure group, through a selection group, noted "Retry of #id: reason".
 */
export async function retryBulkOperation(
  platform: PlatformClient,
  id: string,
  reason: string | undefined,
  now: number = Date.now(),
): Promise<BulkOperationDto> {
  const parent = await readBulk(platform, id);
  const dto = toBulkOperationDto(parent);
  if (dto.progress.failed === 0)
    throw new ApiError("conflict", `Bulk operation ${id} has no failed operations to retry.`);
  const common = {
    startDate: new Date(now).toISOString(),
    creationRamp: dto.creationRamp,
    operationPrototype: parent.operationPrototype,
  };
  let input: components["schemas"]["BulkOperationInput"];
  if (reason === undefined) {
    input = { ...common, failedParentId: id, note: retryNote(id, null) };
  } else {
    const groups = await getFailureGroups(platform, id);
    const group = groups.groups.find((g) => g.reason === reason);
    if (!group)
      throw new ApiError(
        "conflict",
        `No failed operation of bulk operation ${id} has this failure reason now.`,
      );
    const groupId = await createDeviceSelectionGroup(
      platform,
      group.devices.map((d) => d.id),
    );
    input = { ...common, groupId, note: retryNote(id, reason) };
  }
  const created = body(
    await platform.POST("/devicecontrol/bulkoperations", {
      headers: { accept: "application/json" },
      body: input,
    }),
  );
  return toBulkOperationDto(created);
}
