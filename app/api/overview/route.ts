import { overviewQuerySchema } from "@/lib/schemas/overview";
import { json, parseQuery, route } from "@/lib/server/route";
import { viewForSession } from "@/lib/server/registrations-view";
import { getOverview } from "@/lib/server/services/overview";

// GET /api/overview[?fresh=true] – the fleet's counts that need the operator now; each count fails on its own.
export const GET = route({ session: "required" }, async ({ req, session, platform }) => {
  const { fresh } = parseQuery(req, overviewQuerySchema);
  return json(await getOverview(viewForSession(session), platform(), { fresh: fresh === "true" }));
});
