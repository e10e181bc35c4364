import { rootsQuerySchema } from "@/lib/schemas/device-tree";
import { json, parseQuery, route } from "@/lib/server/route";
import { listRoots } from "@/lib/server/services/device-tree";

// GET /api/devices/tree/roots?cursor&pageSize – one page of the tree's roots: root groups, then ungrouped devices.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, rootsQuerySchema);
  return json(await listRoots(platform(), query));
});
