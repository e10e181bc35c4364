import { managedObjectIdSchema, unlinkChildQuerySchema } from "@/lib/schemas/device";
import { noContent, parseQuery, route, validate } from "@/lib/server/route";
import { unlinkChild } from "@/lib/server/services/children";

type Params = { id: string; childId: string };

// DELETE /api/devices/[id]/children/[childId]?kind=devices|assets – removes the link; the child object stays.
export const DELETE = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const childId = validate(managedObjectIdSchema, params.childId);
  const { kind } = parseQuery(req, unlinkChildQuerySchema);
  await unlinkChild(platform(), id, kind, childId);
  return noContent();
});
