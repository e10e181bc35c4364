import { searchQuerySchema } from "@/lib/schemas/device-tree";
import { json, parseQuery, route } from "@/lib/server/route";
import { searchDevices } from "@/lib/server/services/device-tree";

// GET /api/devices/search?q&idType – devices and groups by exact id, external id, or a part of the name.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, searchQuerySchema);
  return json(await searchDevices(platform(), query));
});
