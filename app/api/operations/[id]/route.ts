import { z } from "zod";
import { operationIdSchema, type OperationDetailDto } from "@/lib/schemas/operations";
import { json, route, validate } from "@/lib/server/route";
import { getOperation, staleAfter } from "@/lib/server/services/operations";

// GET /api/operations/[id] – one operation (its history: ./history).
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: operationIdSchema }), params);
  const detail: OperationDetailDto = {
    operation: await getOperation(platform(), id),
    staleAfter: staleAfter(),
  };
  return json(detail);
});
