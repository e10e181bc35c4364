import { idParamsSchema } from "@/lib/schemas/device-tree";
import { json, route, validate } from "@/lib/server/route";
import { devicePaths } from "@/lib/server/services/device-tree";

// GET /api/devices/[id]/paths – every path from a root of the device tree down to the object.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(idParamsSchema, params);
  return json(await devicePaths(platform(), id));
});
