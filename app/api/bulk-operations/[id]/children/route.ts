import { z } from "zod";
import { bulkChildrenQuerySchema, bulkOperationIdSchema } from "@/lib/schemas/bulk-operations";
import { json, parseQuery, route, validate } from "@/lib/server/route";
import { listBulkChildren } from "@/lib/server/services/bulk-operations";

// GET /api/bulk-operations/[id]/children – one page of its single operations, by status, with device names.
export const GET = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  const query = parseQuery(req, bulkChildrenQuerySchema);
  return json(await listBulkChildren(platform(), id, query));
});
