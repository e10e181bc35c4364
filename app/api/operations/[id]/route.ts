import { z } from "zod";
import { operationIdSchema, type OperationDetailDto } from "@/lib/schemas/operations";
import { json, route, validate } from "@/lib/server/route";
import { getOperation, staleAfter } from "@/lib/server/services/operations";

// GET /api/operations/[id] – one operation with its status history.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform, session }) => {
  const { id } = validate(z.object({ id: operationIdSchema }), params);
  const detail: OperationDetailDto = {
    operation: await getOperation(platform(), session, id),
    staleAfter: staleAfter(),
  };
  return json(detail);
});
