import { z } from "zod";
import { historySourceIdSchema } from "@/lib/schemas/audit";
import { json, route, validate } from "@/lib/server/route";
import { getBulkOperationHistory } from "@/lib/server/services/audit";

// GET /api/bulk-operations/[id]/history – every change of a bulk operation with its time and who made it.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: historySourceIdSchema }), params);
  return json(await getBulkOperationHistory(platform(), id));
});
