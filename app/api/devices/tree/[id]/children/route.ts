import { childrenQuerySchema, idParamsSchema } from "@/lib/schemas/device-tree";
import { json, parseQuery, route, validate } from "@/lib/server/route";
import { listChildren } from "@/lib/server/services/device-tree";

// GET /api/devices/tree/[id]/children?rel=assets|devices&page&pageSize – one numbered page of a node's children.
export const GET = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(idParamsSchema, params);
  const query = parseQuery(req, childrenQuerySchema);
  return json(await listChildren(platform(), id, query));
});
