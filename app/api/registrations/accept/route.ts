import { acceptRequestSchema } from "@/lib/schemas/registrations";
import { viewForSession } from "@/lib/server/registrations-view";
import { json, parseJson, route } from "@/lib/server/route";
import { acceptRegistrations } from "@/lib/server/services/registrations";

// POST /api/registrations/accept – accepts up to 100 requests that are PENDING_ACCEPTANCE; one RowResult per id.
export const POST = route({ session: "required" }, async ({ req, session, platform }) => {
  const { ids } = await parseJson(req, acceptRequestSchema);
  return json({ results: await acceptRegistrations(viewForSession(session), platform(), ids) });
});
