import { candidateQuerySchema, managedObjectIdSchema, type CandidateListDto } from "@/lib/schemas/device";
import { json, parseQuery, route, validate } from "@/lib/server/route";
import { searchCandidates } from "@/lib/server/services/children";

type Params = { id: string };

// GET /api/devices/[id]/candidates?q= – objects to link below this one, by id or part of the name.
export const GET = route<Params>({ session: "required" }, async ({ req, params, platform }) => {
  const id = validate(managedObjectIdSchema, params.id);
  const { q } = parseQuery(req, candidateQuerySchema);
  const list: CandidateListDto = { items: await searchCandidates(platform(), id, q) };
  return json(list);
});
