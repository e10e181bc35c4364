import { z } from "zod";
import { bulkOperationIdSchema } from "@/lib/schemas/bulk-operations";
import { json, route, validate } from "@/lib/server/route";
import { getFailureGroups } from "@/lib/server/services/bulk-operations";

// GET /api/bulk-operations/[id]/failures – failed operations grouped by failure reason, largest group first.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  return json(await getFailureGroups(platform(), id));
});
