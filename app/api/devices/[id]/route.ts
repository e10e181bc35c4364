import {
  deleteDeviceQuerySchema,
  deviceUpdateRequestSchema,
  managedObjectIdSchema,
  type DeviceDto,
} from "@/lib/schemas/device";
import { envelope } from "@/lib/server/errors";
import { ApiError } from "@/lib/server/errors";
import { json, noContent, parseJson, parseQuery, route, validate } from "@/lib/server/route";
import { deleteDevice, getDevice, updateDevice } from "@/lib/server/services/device";

type Params = { id: string };

// GET /api/devices/[id] – one managed object with its fragments, direct parents and child counts.
export const GET = route<Params>({ session: "required" }, async ({ params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const device: DeviceDto = await getDevice(platform(), id);
  return json(device);
});

// PUT /api/devices/[id] – writes only the changed fragments; 409 with the current object when it moved on.
export const PUT = route<Params>({ session: "required" }, async ({ req, params, platform, requestId }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const request = await parseJson(req, deviceUpdateRequestSchema);
  const outcome = await updateDevice(platform(), id, request);
  if (outcome.kind === "updated") return json(outcome.device);
  const { current } = outcome;
  const conflict = new ApiError(
    "conflict",
    `The device was changed by someone else (last updated ${current.lastUpdated}, you loaded ${request.expectedLastUpdated}). Review the changes, then reload or overwrite.`,
    { fields: { lastUpdated: current.lastUpdated } },
  );
  // The envelope plus the object as it is now, so a client can show what changed without another call.
  return json({ ...envelope(conflict, requestId), current }, conflict.status);
});

// DELETE /api/devices/[id]?cascade&forceCascade&withDeviceUser – deletes the object (platform-api.md §4.7).
export const DELETE = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const options = parseQuery(req, deleteDeviceQuerySchema);
  await deleteDevice(platform(), id, options);
  return noContent();
});
