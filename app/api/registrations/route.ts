import {
  registerRequestSchema,
  registrationListQuerySchema,
  type RegistrationListDto,
} from "@/lib/schemas/registrations";
import { viewForSession } from "@/lib/server/registrations-view";
import { json, parseJson, parseQuery, route } from "@/lib/server/route";
import { listRegistrations, registerDevices } from "@/lib/server/services/registrations";

// GET /api/registrations – one page of registration requests with counts per status (filter, search, sort).
export const GET = route({ session: "required" }, async ({ req, session, platform }) => {
  const query = parseQuery(req, registrationListQuerySchema);
  const list: RegistrationListDto = await listRegistrations(viewForSession(session), platform(), query);
  return json(list);
});

// POST /api/registrations – registers device ids; one RowResult per id ("already registered" for duplicates).
export const POST = route({ session: "required" }, async ({ req, session, platform }) => {
  const { ids } = await parseJson(req, registerRequestSchema);
  return json({ results: await registerDevices(viewForSession(session), platform(), ids) });
});
