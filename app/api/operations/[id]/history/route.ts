import { z } from "zod";
import { historySourceIdSchema } from "@/lib/schemas/audit";
import { json, route, validate } from "@/lib/server/route";
import { getOperationHistory } from "@/lib/server/services/audit";

// GET /api/operations/[id]/history – each status of the operation with its time and who set it (audit records).
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: historySourceIdSchema }), params);
  return json(await getOperationHistory(platform(), id));
});
