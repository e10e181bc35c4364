import { connectionListQuerySchema } from "@/lib/schemas/device-tree";
import { json, parseQuery, route } from "@/lib/server/route";
import { listByConnection } from "@/lib/server/services/device-tree";

// GET /api/devices/connection?status&page&pageSize – devices CONNECTED, DISCONNECTED or UNAVAILABLE, by name.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, connectionListQuerySchema);
  return json(await listByConnection(platform(), query));
});
