import { z } from "zod";
import { operationIdSchema } from "@/lib/schemas/operations";
import { json, route, validate } from "@/lib/server/route";
import { rerunOperation } from "@/lib/server/services/operations";

// POST /api/operations/[id]/rerun – a new operation with the command of a FAILED one (201); 409 otherwise.
export const POST = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: operationIdSchema }), params);
  return json(await rerunOperation(platform(), id), 201);
});
