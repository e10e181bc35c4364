import "server-only";
import { isFragmentKey } from "@/lib/fragments/known";
import type { DeleteDeviceOptions, DeviceDto, ObjectRef, ObjectSummary } from "@/lib/schemas/device";
import { ApiError } from "../errors";
import { toConnection } from "./connection";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

type UpstreamManagedObject = components["schemas"]["ManagedObject"];
type UpstreamReferences = components["schemas"]["EmbeddedReferenceCollection"] | undefined;

const refs = (coll: UpstreamReferences): ObjectRef[] =>
  (coll?.references ?? []).map((r) => ({ id: r.managedObject.id, name: r.managedObject.name ?? null }));

const has = (mo: Record<string, unknown>, key: string) => mo[key] !== undefined && mo[key] !== null;

/** The platform's object → the page's DTO: base fields apart, every other top-level key is a fragment. */
export function toDeviceDto(mo: UpstreamManagedObject): DeviceDto {
  const fragments: DeviceDto["fragments"] = {};
  for (const [key, value] of Object.entries(mo))
    if (isFragmentKey(key) && value !== undefined) fragments[key] = value as DeviceDto["fragments"][string];
  return {
    id: mo.id,
    name: mo.name ?? null,
    type: mo.type ?? null,
    owner: mo.owner ?? null,
    creationTime: mo.creationTime ?? null,
    lastUpdated: mo.lastUpdated,
    isDevice: has(mo, "c8y_IsDevice"),
    isAgent: has(mo, "com_cumulocity_model_Agent"),
    isGroup: has(mo, "c8y_IsDeviceGroup"),
    deviceParents: refs(mo.deviceParents),
    assetParents: refs(mo.assetParents),
    // Counts are only sent when there are children (docs/platform-api.md §4.4).
    childCounts: {
      devices: mo.childDevices?.count ?? 0,
      assets: mo.childAssets?.count ?? 0,
      additions: mo.childAdditions?.count ?? 0,
    },
    connection: toConnection(mo),
    fragments,
  };
}

export function toObjectSummary(mo: UpstreamManagedObject): ObjectSummary {
  return {
    id: mo.id,
    name: mo.name ?? null,
    type: mo.type ?? null,
    isDevice: has(mo, "c8y_IsDevice"),
    isAgent: has(mo, "com_cumulocity_model_Agent"),
    isGroup: has(mo, "c8y_IsDeviceGroup"),
    owner: mo.owner ?? null,
  };
}

/**
 * One object with child counts but without the child reference lists: a gateway may have thousands of children,
 * and the page lists them paged (children service) instead.
 */
export async function getDevice(platform: PlatformClient, id: string): Promise<DeviceDto> {
  const mo = body(
    await platform.GET("/inventory/managedObjects/{id}", {
      params: { path: { id }, query: { withChildren: false, withChildrenCount: true } },
    }),
  );
  return toDeviceDto(mo);
}

/** Same instant, whatever the notation (a real tenant may answer with an offset instead of Z). */
export function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && ta === tb;
}

/** 409 with the object as it is now, so a client can show what changed without another call. */
class DeviceConflict extends ApiError {
  constructor(
    readonly current: DeviceDto,
    expectedLastUpdated: string,
  ) {
    super(
      "conflict",
      `The device was changed by someone else (last updated ${current.lastUpdated}, you loaded ${expectedLastUpdated}). Review the changes, then reload or overwrite.`,
      { fields: { lastUpdated: current.lastUpdated }, extra: { current } },
    );
  }
}

/**
 * Writes only the given top-level keys and answers the object as it is then. The platform has no conditional PUT
 * (no If-Match), so the object is read again first and the update refused with a DeviceConflict when its
 * `lastUpdated` is not the one the operator edited against (unless `force`). A change landing between that read and the PUT still goes unnoticed: the window is one round trip
 * (docs/device-page.md). Within the PUT each key replaces its fragment whole and `null` removes it (§4.6).
 */
export async function updateDevice(
  platform: PlatformClient,
  id: string,
  request: { expectedLastUpdated: string; changes: Record<string, unknown>; force?: boolean | undefined },
): Promise<DeviceDto> {
  const current = await getDevice(platform, id);
  if (!request.force && !sameInstant(current.lastUpdated, request.expectedLastUpdated))
    throw new DeviceConflict(current, request.expectedLastUpdated);
  await platform.PUT("/inventory/managedObjects/{id}", {
    params: { path: { id } },
    body: request.changes,
  });
  // Read back what the platform now holds (the PUT answer carries no child counts).
  return getDevice(platform, id);
}

/** DELETE with the platform's own flags; only the ones set are sent (§4.7). */
export async function deleteDevice(
  platform: PlatformClient,
  id: string,
  options: DeleteDeviceOptions,
): Promise<void> {
  const query: { cascade?: boolean; forceCascade?: boolean; withDeviceUser?: boolean } = {};
  if (options.cascade) query.cascade = true;
  if (options.forceCascade) query.forceCascade = true;
  if (options.withDeviceUser) query.withDeviceUser = true;
  await platform.DELETE("/inventory/managedObjects/{id}", { params: { path: { id }, query } });
}
