import { json, route } from "@/lib/server/route";
import { getOverview } from "@/lib/server/services/overview";

// GET /api/overview – the fleet's counts that need the operator now; each count fails on its own.
export const GET = route({ session: "required" }, async ({ platform }) =>
  json(await getOverview(platform())),
);
