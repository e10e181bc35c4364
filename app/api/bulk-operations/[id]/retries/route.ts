import { z } from "zod";
import { bulkOperationIdSchema } from "@/lib/schemas/bulk-operations";
import { json, route, validate } from "@/lib/server/route";
import { listRetries } from "@/lib/server/services/bulk-operations";

// GET /api/bulk-operations/[id]/retries – the bulk operations that retry this one (failedParentId or retry note).
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  return json(await listRetries(platform(), id));
});
