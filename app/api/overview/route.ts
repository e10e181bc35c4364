import { json, route } from "@/lib/server/route";
import { viewForSession } from "@/lib/server/registrations-view";
import { getOverview } from "@/lib/server/services/overview";

// GET /api/overview – the fleet's counts that need the operator now; each count fails on its own.
export const GET = route({ session: "required" }, async ({ session, platform }) =>
  json(await getOverview(viewForSession(session), platform())),
);
