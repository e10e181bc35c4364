import {
  childListQuerySchema,
  linkChildRequestSchema,
  managedObjectIdSchema,
  type ChildListDto,
} from "@/lib/schemas/device";
import { json, parseJson, parseQuery, route, validate } from "@/lib/server/route";
import { linkChild, listChildren } from "@/lib/server/services/children";

type Params = { id: string };

// GET /api/devices/[id]/children?kind=devices|assets&page&pageSize – one page of child devices or assets.
export const GET = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const query = parseQuery(req, childListQuerySchema);
  const list: ChildListDto = await listChildren(platform(), id, query);
  return json(list);
});

// POST /api/devices/[id]/children {kind, childId} – links an existing object; 201, or 200 when already linked.
export const POST = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const { kind, childId } = await parseJson(req, linkChildRequestSchema);
  const result = await linkChild(platform(), id, kind, childId);
  return json(result, result.alreadyLinked ? 200 : 201);
});
