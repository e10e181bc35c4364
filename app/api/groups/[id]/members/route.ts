import { groupMembersSchema, idParamsSchema } from "@/lib/schemas/device-tree";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { addMembers } from "@/lib/server/services/groups";

// POST /api/groups/[id]/members {ids, fromGroupId?} – adds objects to the group (moves them with fromGroupId).
export const POST = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(idParamsSchema, params);
  const input = await parseJson(req, groupMembersSchema);
  return json({ results: await addMembers(platform(), id, input) });
});
