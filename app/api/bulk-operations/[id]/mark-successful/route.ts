import { z } from "zod";
import { bulkOperationIdSchema } from "@/lib/schemas/bulk-operations";
import { json, route, validate } from "@/lib/server/route";
import { markSuccessful } from "@/lib/server/services/bulk-operations";

// POST /api/bulk-operations/[id]/mark-successful – general status SUCCESSFUL, once every operation exists.
export const POST = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  return json(await markSuccessful(platform(), id));
});
