import "server-only";
import {
  registrationStatusSchema,
  type BulkRegistrationResult,
  type RegistrationDto,
  type RegistrationListDto,
  type RegistrationListQuery,
  type RegistrationStatus,
  type RowResult,
} from "@/lib/schemas/registrations";
import { mapLimit } from "../concurrency";
import { UpstreamError, UpstreamUnavailableError, fromUpstream } from "../errors";
import type { RegistrationsView, ViewEntry } from "../registrations-view";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

type UpstreamBulkResult = components["schemas"]["BulkNewDeviceRequestResult"];

/** Platform calls in flight for one bulk action. */
const CONCURRENCY = 8;

const STATUSES = registrationStatusSchema.options;

const toDto = (e: ViewEntry): RegistrationDto => ({ ...e, deviceId: null });

/**
 * One page of registrations for the table: grouped by status (counts over everything), filtered by status and
 * id substring, sorted by creation time, paged here because the platform cannot do any of it. The requests come
 * from the credential's shared view (lib/server/registrations-view.ts), which reads the platform rarely;
 * `fresh` asks for a whole read that starts now (a page load).
 */
export async function listRegistrations(
  view: RegistrationsView,
  platform: PlatformClient,
  query: RegistrationListQuery,
  options: { fresh?: boolean } = {},
): Promise<RegistrationListDto> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RegistrationStatus, number>;
  const rows: ViewEntry[] = [];
  const needle = query.search?.toLowerCase();
  // In the view's order (creation time, ties by id); a status this console does not know is not in the view.
  for (const r of await view.sorted(query.sort, options.fresh)) {
    counts[r.status]++;
    if (query.status && r.status !== query.status) continue;
    if (needle && !r.id.toLowerCase().includes(needle)) continue;
    rows.push(r);
  }
  const start = (query.page - 1) * query.pageSize;
  const items = rows.slice(start, start + query.pageSize).map(toDto);
  await resolveDeviceIds(view, platform, items);
  return { items, counts, total: rows.length, page: query.page, pageSize: query.pageSize };
}

/**
 * An accepted device usually exists already with its serial as external id (startup phase step 1); linking to
 * it costs one identity look-up per ACCEPTED row on the page, so only those are resolved. Misses stay null.
 */
async function resolveDeviceIds(
  view: RegistrationsView,
  platform: PlatformClient,
  items: RegistrationDto[],
): Promise<void> {
  const accepted: RegistrationDto[] = [];
  for (const item of items) {
    if (item.status !== "ACCEPTED") continue;
    // Found (or not) by an earlier list call of this credential: no second look-up.
    const known = view.knownDevice(item);
    if (known === undefined) accepted.push(item);
    else item.deviceId = known;
  }
  await mapLimit(accepted, CONCURRENCY, async (item) => {
    try {
      const ext = body(
        await platform.GET("/identity/externalIds/{type}/{externalId}", {
          params: { path: { type: "c8y_Serial", externalId: item.id } },
        }),
      );
      item.deviceId = ext.managedObject.id;
      view.rememberDevice(item, item.deviceId);
    } catch (err) {
      // An ended session must still end the request; anything else just leaves the link out.
      if (err instanceof UpstreamError && err.status === 401) throw err;
      if (err instanceof UpstreamError && err.status === 404) view.rememberDevice(item, null);
    }
  });
}

/** A failed row in the BFF's words; an upstream 401 is not a row problem: it ends the session. */
function rowFailure(id: string, err: unknown): RowResult {
  if (err instanceof UpstreamError) {
    if (err.status === 401) throw err;
    const mapped = fromUpstream(err);
    return { id, ok: false, code: mapped.code, error: mapped.message };
  }
  if (err instanceof UpstreamUnavailableError)
    return { id, ok: false, code: "upstream_unavailable", error: "The platform could not be reached." };
  throw err;
}

const unique = (ids: readonly string[]) => [...new Set(ids)];

/**
 * Registers each id (POST newDeviceRequests); an id with a request already is "already registered". The view
 * takes the platform's answers at once; without an answer body it reads the list again.
 */
export async function registerDevices(
  view: RegistrationsView,
  platform: PlatformClient,
  ids: readonly string[],
): Promise<RowResult[]> {
  const made: ViewEntry[] = [];
  let unknown = false;
  const results = await mapLimit(unique(ids), CONCURRENCY, async (id): Promise<RowResult> => {
    try {
      const { data } = await platform.POST("/devicecontrol/newDeviceRequests", { body: { id } });
      const status = registrationStatusSchema.safeParse(data?.status);
      if (data && status.success)
        made.push({
          id: data.id,
          status: status.data,
          owner: data.owner ?? null,
          creationTime: data.creationTime ?? null,
          groupId: data.groupId ?? null,
          type: data.type ?? null,
        });
      else unknown = true;
      return { id, ok: true, status: status.success ? status.data : "WAITING_FOR_CONNECTION" };
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 409)
        return { id, ok: false, code: "conflict", error: "already registered" };
      // A refused or failed POST may still have reached the platform.
      if (!(err instanceof UpstreamError && err.status === 409)) unknown = true;
      return rowFailure(id, err);
    }
  }).finally(() => {
    view.registered(made);
    if (unknown) view.invalidate();
  });
  return results;
}

const NOT_ACCEPTABLE: Record<Exclude<RegistrationStatus, "PENDING_ACCEPTANCE">, string> = {
  WAITING_FOR_CONNECTION:
    "The device has not connected yet; it can be accepted once it has asked for its credentials.",
  ACCEPTED: "Already accepted.",
  BLOCKED: "Blocked: delete the request and register the device again.",
};

/**
 * Accepts each request that is PENDING_ACCEPTANCE, the only state the platform accepts from (§0a). Other states
 * are refused per row with code `conflict` before the platform is asked, because a real tenant's answer to an
 * early accept is not documented.
 */
export async function acceptRegistrations(
  view: RegistrationsView,
  platform: PlatformClient,
  ids: readonly string[],
): Promise<RowResult[]> {
  const accepted: string[] = [];
  let unknown = false;
  return mapLimit(unique(ids), CONCURRENCY, async (id): Promise<RowResult> => {
    try {
      const current = body(
        await platform.GET("/devicecontrol/newDeviceRequests/{requestId}", {
          params: { path: { requestId: id } },
        }),
      );
      const status = registrationStatusSchema.safeParse(current.status);
      if (!status.success) return { id, ok: false, code: "conflict", error: "Unknown registration state." };
      if (status.data !== "PENDING_ACCEPTANCE")
        return { id, ok: false, code: "conflict", status: status.data, error: NOT_ACCEPTABLE[status.data] };
      await platform.PUT("/devicecontrol/newDeviceRequests/{requestId}", {
        params: { path: { requestId: id } },
        body: { status: "ACCEPTED" },
      });
      accepted.push(id);
      return { id, ok: true, status: "ACCEPTED" };
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) {
        // Gone on the platform, maybe still in the view.
        unknown = true;
        return { id, ok: false, code: "not_found", error: "No registration request with this id." };
      }
      unknown = true;
      return rowFailure(id, err);
    }
  }).finally(() => {
    view.accepted(accepted);
    if (unknown) view.invalidate();
  });
}

/** Deletes a request (also how a BLOCKED one is reset). A missing id is the platform's 404. */
export async function deleteRegistration(
  view: RegistrationsView,
  platform: PlatformClient,
  id: string,
): Promise<void> {
  try {
    await platform.DELETE("/devicecontrol/newDeviceRequests/{requestId}", {
      params: { path: { requestId: id } },
    });
  } catch (err) {
    // A 404 says it is gone too; anything else may or may not have happened.
    if (err instanceof UpstreamError && err.status === 404) view.removed(id);
    else view.invalidate();
    throw err;
  }
  view.removed(id);
}

/** Forwards a CSV to the platform's bulk registration as multipart `file` (docs/platform-api.md §5.3). */
export async function bulkRegister(
  view: RegistrationsView,
  platform: PlatformClient,
  csv: { text: string; name: string },
): Promise<BulkRegistrationResult> {
  // The answer counts what was made but does not list it: the view reads the list again, even after a failure.
  const result: UpstreamBulkResult = body(
    await platform
      .POST("/devicecontrol/bulkNewDeviceRequests", {
        body: { file: csv.text },
        bodySerializer: (b) => {
          const form = new FormData();
          form.set("file", new Blob([b.file], { type: "text/csv;charset=utf-8" }), csv.name);
          return form;
        },
      })
      .finally(() => view.invalidate()),
  );
  return {
    numberOfAll: result.numberOfAll,
    numberOfCreated: result.numberOfCreated,
    numberOfFailed: result.numberOfFailed,
    numberOfSuccessful: result.numberOfSuccessful,
    failed: result.failedCreationList.map((f) => ({
      id: f.deviceId ?? "",
      reason: f.failureReason,
      ...(f.line !== undefined ? { line: f.line } : {}),
    })),
  };
}
