import {
  deleteDeviceQuerySchema,
  deviceUpdateRequestSchema,
  managedObjectIdSchema,
  type DeviceDto,
} from "@/lib/schemas/device";
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
export const PUT = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const request = await parseJson(req, deviceUpdateRequestSchema);
  const device: DeviceDto = await updateDevice(platform(), id, request);
  return json(device);
});

// DELETE /api/devices/[id]?cascade&forceCascade&withDeviceUser – deletes the object (docs/platform-api.md §4.7).
export const DELETE = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const options = parseQuery(req, deleteDeviceQuerySchema);
  await deleteDevice(platform(), id, options);
  return noContent();
});
