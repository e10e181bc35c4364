import { z } from "zod";
import { failOperationSchema, operationIdSchema } from "@/lib/schemas/operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { failOperation } from "@/lib/server/services/operations";

// POST /api/operations/[id]/fail – a stuck EXECUTING operation → FAILED with the operator's reason; 409 otherwise.
export const POST = route<{ id: string }>(
  { session: "required" },
  async ({ req, params, platform, session }) => {
    const { id } = validate(z.object({ id: operationIdSchema }), params);
    const { reason } = await parseJson(req, failOperationSchema);
    return json(await failOperation(platform(), id, session.username, reason));
  },
);
