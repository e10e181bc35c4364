import { z } from "zod";
import { cancelOperationSchema, operationIdSchema } from "@/lib/schemas/operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { cancelOperation } from "@/lib/server/services/operations";

// POST /api/operations/[id]/cancel – PENDING → FAILED "Cancelled by <user>"; 409 from any other status.
export const POST = route<{ id: string }>(
  { session: "required" },
  async ({ req, params, platform, session }) => {
    const { id } = validate(z.object({ id: operationIdSchema }), params);
    const { reason } = await parseJson(req, cancelOperationSchema);
    return json(await cancelOperation(platform(), id, session.username, reason || undefined));
  },
);
