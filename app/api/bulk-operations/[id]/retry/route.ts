import { z } from "zod";
import { bulkOperationIdSchema, retryRequestSchema } from "@/lib/schemas/bulk-operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { retryBulkOperation } from "@/lib/server/services/bulk-operations";

// POST /api/bulk-operations/[id]/retry – `{}`: all failed devices; `{reason}`: that failure group's devices. 201 with the new one.
export const POST = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  const { reason } = await parseJson(req, retryRequestSchema);
  return json(await retryBulkOperation(platform(), id, reason), 201);
});
