import { externalIdInputSchema, managedObjectIdSchema, type ExternalIdListDto } from "@/lib/schemas/device";
import { json, noContent, parseJson, route, validate } from "@/lib/server/route";
import { addExternalId, listExternalIds, removeExternalId } from "@/lib/server/services/identity";

type Params = { id: string };

// GET /api/devices/[id]/identity – the object's external ids.
export const GET = route<Params>({ session: "required" }, async ({ params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const list: ExternalIdListDto = { items: await listExternalIds(platform(), id) };
  return json(list);
});

// POST /api/devices/[id]/identity – binds {type, externalId}; 409 names the object that holds it already.
export const POST = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const input = await parseJson(req, externalIdInputSchema);
  return json(await addExternalId(platform(), id, input), 201);
});

// DELETE /api/devices/[id]/identity – unbinds {type, externalId} (in the body: ids may hold any character).
export const DELETE = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const input = await parseJson(req, externalIdInputSchema);
  await removeExternalId(platform(), id, input);
  return noContent();
});
