import "server-only";
import type { ExternalIdDto, ExternalIdInput, ObjectRef } from "@/lib/schemas/device";
import { ApiError, UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";

/** Every external id of one object (the platform does not page this list, docs/platform-api.md §3). */
export async function listExternalIds(platform: PlatformClient, id: string): Promise<ExternalIdDto[]> {
  const list = body(await platform.GET("/identity/globalIds/{id}/externalIds", { params: { path: { id } } }));
  return list.externalIds.map((e) => ({ type: e.type, externalId: e.externalId }));
}

/** Who holds a binding: the object's id and name, or null when it cannot be read (gone, or not visible to us). */
async function boundObject(platform: PlatformClient, input: ExternalIdInput): Promise<ObjectRef | null> {
  try {
    const ext = body(
      await platform.GET("/identity/externalIds/{type}/{externalId}", {
        params: { path: { type: input.type, externalId: input.externalId } },
      }),
    );
    const ref: ObjectRef = { id: ext.managedObject.id, name: null };
    try {
      const mo = body(
        await platform.GET("/inventory/managedObjects/{id}", {
          params: { path: { id: ref.id }, query: { withChildren: false } },
        }),
      );
      ref.name = mo.name ?? null;
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status === 401) throw err;
    }
    return ref;
  } catch (err) {
    if (err instanceof UpstreamError && err.status !== 401) return null;
    throw err;
  }
}

export class ExternalIdConflict extends ApiError {
  constructor(
    message: string,
    readonly boundTo: ObjectRef | null,
  ) {
    super("conflict", message, {
      // `fields` is the channel the browser's error type keeps: the form shows the message under the id field
      // and links the device from `boundTo`.
      fields: { externalId: message, ...(boundTo ? { boundTo: boundTo.id } : {}) },
    });
  }
}

const label = (input: ExternalIdInput) => `${input.type} “${input.externalId}”`;

/**
 * Binds an external id. A pair bound to another object is the platform's 409 `identity/Duplicate`; its message
 * does not say to which object, so we look it up to explain ("already bound to device 4711 “Pump 7”").
 */
export async function addExternalId(
  platform: PlatformClient,
  id: string,
  input: ExternalIdInput,
): Promise<ExternalIdDto> {
  const existing = await listExternalIds(platform, id);
  // Re-binding the same pair to the same object is not documented (§3); it changes nothing, so we say so.
  if (existing.some((e) => e.type === input.type && e.externalId === input.externalId))
    throw new ExternalIdConflict(`${label(input)} is already bound to this device.`, { id, name: null });
  try {
    await platform.POST("/identity/globalIds/{id}/externalIds", {
      params: { path: { id } },
      body: { type: input.type, externalId: input.externalId },
    });
  } catch (err) {
    if (!(err instanceof UpstreamError) || err.status !== 409) throw err;
    const owner = await boundObject(platform, input);
    const who = owner
      ? `device ${owner.id}${owner.name ? ` “${owner.name}”` : ""}`
      : "another object you cannot see";
    throw new ExternalIdConflict(
      `${label(input)} is already bound to ${who}. An external id names exactly one object: remove it there first.`,
      owner,
    );
  }
  return { type: input.type, externalId: input.externalId };
}

/**
 * Unbinds an external id of this object. The binding is resolved first so that a page for one device can never
 * remove another device's id (the platform's DELETE names only the pair).
 */
export async function removeExternalId(
  platform: PlatformClient,
  id: string,
  input: ExternalIdInput,
): Promise<void> {
  const notHere = new ApiError("not_found", `${label(input)} is not bound to this device.`);
  let boundTo: string;
  try {
    const ext = body(
      await platform.GET("/identity/externalIds/{type}/{externalId}", {
        params: { path: { type: input.type, externalId: input.externalId } },
      }),
    );
    boundTo = ext.managedObject.id;
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404) throw notHere;
    throw err;
  }
  if (boundTo !== id) throw notHere;
  await platform.DELETE("/identity/externalIds/{type}/{externalId}", {
    params: { path: { type: input.type, externalId: input.externalId } },
  });
}
