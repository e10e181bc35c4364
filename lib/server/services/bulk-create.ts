import "server-only";
import {
  DEFAULT_CREATION_RAMP_S,
  MAX_SELECTION_QUERY,
  filterOf,
  fitsOneSelection,
  idsFilter,
  queryLiteral,
  selectionQuery,
  type BulkCreate,
  type BulkDryRun,
  type BulkDryRunDto,
  type BulkField,
  type BulkTarget,
  type OperationPrototype,
} from "@/lib/schemas/bulk-create";
import { operationTypeOf } from "@/lib/schemas/operations";
import { mapLimit } from "../concurrency";
import { ApiError, UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";

/**
 * Starting bulk operations (docs/bulk-start.md; the platform's side in docs/platform-fleet.md §1 and
 * docs/emulator-bulk-operations.md). A selection of devices or a search becomes a hidden dynamic group the way the
 * vendor's console does it; a group is targeted directly; a retry names the failed parent. The dry run counts
 * with the platform's totals (`pageSize=1&withTotalPages=true`), never by reading the devices.
 */

/** Ids per query term list: keeps each counting URL short on any tenant. Disjoint chunks add up exactly. */
const IDS_PER_QUERY = 100;
/** Counting calls in flight at once. */
const PARALLEL = 6;
/** Operations read per page when collecting the failed devices of a retry (the platform's maximum). */
const OPERATION_PAGE = 2000;
/** Pages of failed operations read at most (100,000 devices): beyond a real fleet's bulk operation. */
const MAX_OPERATION_PAGES = 50;
/** Groups and assets below a group, at most: a guard against a hierarchy far beyond real ones. */
const MAX_CONTAINERS = 5000;

export const HIDDEN_GROUP_NAME = "Bulk operations group";

// ----- the hidden group ------------------------------------------------------------------------------------------

async function createHiddenGroup(client: PlatformClient, query: string): Promise<string> {
  const created = body(
    await client.POST("/inventory/managedObjects", {
      body: {
        name: HIDDEN_GROUP_NAME,
        type: "c8y_DynamicGroup",
        c8y_IsDynamicGroup: { invisible: {} },
        c8y_DeviceQueryString: query,
      },
    }),
  );
  if (!("id" in created)) throw new ApiError("internal", "The platform did not answer with the new group.");
  return created.id;
}

/**
 * The vendor console's way to run a bulk operation on chosen devices (docs/platform-fleet.md §1): a hidden dynamic
 * group ("Bulk operations group", type c8y_DynamicGroup, `c8y_IsDynamicGroup: {invisible: {}}`) whose
 * c8y_DeviceQueryString selects exactly these devices. Returns the group's id.
 */
export async function createDeviceSelectionGroup(
  client: PlatformClient,
  deviceIds: string[],
): Promise<string> {
  const ids = [...new Set(deviceIds)];
  if (ids.length === 0) throw new ApiError("invalid_input", "No devices to select.");
  if (!fitsOneSelection(ids))
    throw new ApiError(
      "invalid_input",
      `${ids.length} devices are too many for one device selection (its query would exceed ${MAX_SELECTION_QUERY} characters).`,
    );
  return createHiddenGroup(client, selectionQuery(ids));
}

/** Best effort: a group left behind is invisible and harmless, and the original error is what the operator needs. */
async function deleteQuietly(client: PlatformClient, id: string): Promise<void> {
  try {
    await client.DELETE("/inventory/managedObjects/{id}", { params: { path: { id } } });
  } catch (err) {
    console.warn(
      `[bff] hidden group ${id} could not be removed (${err instanceof Error ? err.name : "error"})`,
    );
  }
}

// ----- refusals --------------------------------------------------------------------------------------------------

/** Which field a platform refusal is about, from the words of its message; null when it names none. */
export function fieldOfRefusal(message: string): BulkField | null {
  if (/startDate|start date|date-time/i.test(message)) return "startDate";
  if (/creationRamp|ramp|delay/i.test(message)) return "creationRamp";
  if (/operationPrototype|prototype|fragment/i.test(message)) return "operation";
  if (/group|failedParentId|bulk operation|device|query/i.test(message)) return "target";
  return null;
}

/** A platform 4xx (other than 401/403/404) becomes our envelope with the field it is about. */
function refusal(err: unknown, fallback: BulkField | null = null): unknown {
  if (!(err instanceof UpstreamError) || err.status < 400 || err.status >= 500) return err;
  if (err.status === 401 || err.status === 403) return err;
  const message = err.message || `The platform refused it (${err.status}).`;
  const field = fieldOfRefusal(message) ?? fallback;
  return new ApiError(err.status === 404 ? "not_found" : "upstream_rejected", message, {
    status: err.status === 404 ? 422 : err.status,
    ...(field ? { fields: { [field]: message }, extra: { details: { field } } } : {}),
  });
}

async function readParentPrototype(client: PlatformClient, parentId: string): Promise<OperationPrototype> {
  try {
    const parent = body(
      await client.GET("/devicecontrol/bulkoperations/{bulkOperationId}", {
        params: { path: { bulkOperationId: parentId } },
      }),
    );
    return parent.operationPrototype as OperationPrototype;
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404)
      throw new ApiError("invalid_input", `Bulk operation ${parentId} does not exist.`, {
        fields: { target: `Bulk operation ${parentId} does not exist.` },
        extra: { details: { field: "target" } },
      });
    throw err;
  }
}

// ----- create ----------------------------------------------------------------------------------------------------

/**
 * Creates the bulk operation. A hidden group made for it is deleted again when the platform refuses the bulk
 * operation, so a refusal leaves nothing behind.
 */
export async function createBulkOperation(
  client: PlatformClient,
  input: BulkCreate,
): Promise<{ id: string }> {
  const { target } = input;
  const operation =
    input.operation ??
    ("failedParentId" in target ? await readParentPrototype(client, target.failedParentId) : {});
  let hidden: string | null = null;
  try {
    if ("deviceIds" in target) hidden = await createDeviceSelectionGroup(client, target.deviceIds);
    else if ("query" in target) hidden = await createHiddenGroup(client, target.query);
  } catch (err) {
    throw refusal(err, "target");
  }
  const ref =
    "failedParentId" in target
      ? { failedParentId: target.failedParentId }
      : { groupId: hidden ?? (target as { groupId: string }).groupId };
  try {
    const created = body(
      await client.POST("/devicecontrol/bulkoperations", {
        body: {
          ...ref,
          startDate: input.startDate ?? new Date().toISOString(),
          creationRamp: input.creationRamp ?? DEFAULT_CREATION_RAMP_S,
          operationPrototype: operation,
          ...(input.note ? { note: input.note } : {}),
        },
      }),
    );
    return { id: created.id };
  } catch (err) {
    if (hidden !== null) await deleteQuietly(client, hidden);
    throw refusal(err);
  }
}

// ----- dry run ---------------------------------------------------------------------------------------------------

/** How many devices match: one object per page, so the page count is the device count. */
async function countDevices(client: PlatformClient, filter: string): Promise<number> {
  const page = body(
    await client.GET("/inventory/managedObjects", {
      params: {
        query: {
          query: `$filter=(has(c8y_IsDevice) and (${filter}))`,
          pageSize: 1,
          withTotalPages: true,
          withChildren: false,
        },
      },
    }),
  );
  const stats = page.statistics;
  if (typeof stats?.totalElements === "number") return stats.totalElements;
  if (typeof stats?.totalPages === "number") return stats.totalPages;
  throw new ApiError("internal", "The platform did not count the devices.");
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Distinct ids as id filters; the chunks are disjoint, so their counts add up. */
const idFilters = (ids: readonly string[]) => chunks([...new Set(ids)], IDS_PER_QUERY).map(idsFilter);

/**
 * A static group's bulk targets are the devices in its asset hierarchy, the walk stopping at devices
 * (docs/emulator-bulk-operations.md, "Targets"): the direct child assets of the group and of every non-device
 * object below it. Only those containers are read (groups, subgroups, other assets), never the devices.
 */
async function containersBelow(client: PlatformClient, groupId: string): Promise<string[]> {
  const seen = new Set([groupId]);
  let level = [groupId];
  while (level.length > 0 && seen.size <= MAX_CONTAINERS) {
    const next: string[] = [];
    for (const part of chunks(level, IDS_PER_QUERY)) {
      for (let page = 1; ; page++) {
        const found = body(
          await client.GET("/inventory/managedObjects", {
            params: {
              query: {
                query: `$filter=(bygroupid(${part.join(",")}) and not has(c8y_IsDevice))`,
                pageSize: OPERATION_PAGE,
                currentPage: page,
                withChildren: false,
              },
            },
          }),
        ).managedObjects;
        for (const mo of found)
          if (!seen.has(mo.id)) {
            seen.add(mo.id);
            next.push(mo.id);
          }
        if (found.length < OPERATION_PAGE) break;
      }
    }
    level = next;
  }
  return [...seen];
}

/** Devices whose operation failed in that bulk operation, from its FAILED children (the operations, not devices). */
async function failedDevices(client: PlatformClient, parentId: string): Promise<string[]> {
  const ids = new Set<string>();
  for (let page = 1; page <= MAX_OPERATION_PAGES; page++) {
    const ops = body(
      await client.GET("/devicecontrol/operations", {
        params: {
          query: {
            bulkOperationId: Number(parentId),
            status: "FAILED",
            pageSize: OPERATION_PAGE,
            currentPage: page,
          },
        },
      }),
    ).operations;
    for (const op of ops) ids.add(op.deviceId);
    if (ops.length < OPERATION_PAGE) break;
  }
  return [...ids];
}

/**
 * The target as filters of the query language whose device counts add up to the target's. A static group with
 * more than 100 containers is counted per 100: a device filed in two containers of different chunks counts twice
 * (docs/bulk-start.md).
 */
async function targetFilters(client: PlatformClient, target: BulkTarget): Promise<string[]> {
  if ("deviceIds" in target) return idFilters(target.deviceIds);
  if ("query" in target) return [filterOf(target.query) || "has(c8y_IsDevice)"];
  if ("failedParentId" in target) {
    const ids = await failedDevices(client, target.failedParentId);
    return ids.length === 0 ? [] : idFilters(ids);
  }
  let group;
  try {
    group = body(
      await client.GET("/inventory/managedObjects/{id}", {
        params: { path: { id: target.groupId }, query: { withChildren: false } },
      }),
    );
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404)
      throw new ApiError("invalid_input", `Group ${target.groupId} does not exist.`, {
        fields: { target: `Group ${target.groupId} does not exist.` },
        extra: { details: { field: "target" } },
      });
    throw err;
  }
  const g = group as Record<string, unknown>;
  if (g.c8y_IsDynamicGroup !== undefined || g.type === "c8y_DynamicGroup") {
    const query = typeof g.c8y_DeviceQueryString === "string" ? g.c8y_DeviceQueryString : "";
    return [filterOf(query) || "has(c8y_IsDevice)"];
  }
  if (g.c8y_IsDeviceGroup === undefined) {
    const message = `${typeof g.name === "string" ? g.name : target.groupId} is not a group.`;
    throw new ApiError("invalid_input", message, {
      fields: { target: message },
      extra: { details: { field: "target" } },
    });
  }
  const containers = await containersBelow(client, target.groupId);
  return chunks(containers, IDS_PER_QUERY).map((ids) => `bygroupid(${ids.join(",")})`);
}

/**
 * Before sending: how many devices the bulk operation would reach, how many of them are connected
 * (`c8y_Connection.status`, docs/emulator-presence.md) and how many list the operation's fragment in
 * `c8y_SupportedOperations`. Three counts per filter, each a one-row page with the platform's total.
 */
export async function dryRunBulkOperation(client: PlatformClient, input: BulkDryRun): Promise<BulkDryRunDto> {
  const operation =
    input.operation ??
    ("failedParentId" in input.target ? await readParentPrototype(client, input.target.failedParentId) : {});
  const fragment = operationTypeOf(operation);
  let filters: string[];
  try {
    filters = await targetFilters(client, input.target);
  } catch (err) {
    throw refusal(err, "target");
  }
  const supports = fragment ? `c8y_SupportedOperations eq ${queryLiteral(fragment)}` : null;
  const jobs = filters.flatMap((f) => [
    { kind: "devices" as const, filter: f },
    { kind: "connected" as const, filter: `(${f}) and c8y_Connection.status eq 'CONNECTED'` },
    ...(supports ? [{ kind: "supporting" as const, filter: `(${f}) and ${supports}` }] : []),
  ]);
  let counts: number[];
  try {
    counts = await mapLimit(jobs, PARALLEL, (job) => countDevices(client, job.filter));
  } catch (err) {
    throw refusal(err, "target");
  }
  const total = { devices: 0, connected: 0, supporting: 0 };
  jobs.forEach((job, i) => (total[job.kind] += counts[i] ?? 0));
  return total;
}
