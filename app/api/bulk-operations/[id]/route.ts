import { z } from "zod";
import { bulkOperationIdSchema } from "@/lib/schemas/bulk-operations";
import { json, route, validate } from "@/lib/server/route";
import { cancelBulkOperation, getBulkOperation } from "@/lib/server/services/bulk-operations";

const paramsSchema = z.object({ id: bulkOperationIdSchema });

// GET /api/bulk-operations/[id] – one bulk operation with its progress and what may be done with it.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(paramsSchema, params);
  return json(await getBulkOperation(platform(), id));
});

// DELETE /api/bulk-operations/[id] – cancel (while scheduled, or still creating operations); answers it cancelled.
export const DELETE = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(paramsSchema, params);
  return json(await cancelBulkOperation(platform(), id));
});
