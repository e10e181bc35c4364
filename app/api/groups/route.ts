import { createGroupSchema, groupListQuerySchema } from "@/lib/schemas/device-tree";
import { json, parseJson, parseQuery, route } from "@/lib/server/route";
import { createGroup, listGroups } from "@/lib/server/services/groups";

// GET /api/groups?search&pageSize – groups and subgroups by name, for the group pickers.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, groupListQuerySchema);
  return json(await listGroups(platform(), query));
});

// POST /api/groups {name, parentId?} – creates a root group, or a subgroup of parentId.
export const POST = route({ session: "required" }, async ({ req, platform }) => {
  const input = await parseJson(req, createGroupSchema);
  return json(await createGroup(platform(), input), 201);
});
