import { z } from "zod";
import { createOperationSchema, deviceRefSchema } from "@/lib/schemas/operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { createOperation } from "@/lib/server/services/operations";

// POST /api/devices/[id]/operations – sends an operation (restart, configuration, software, firmware, shell).
export const POST = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(z.object({ id: deviceRefSchema }), params);
  const input = await parseJson(req, createOperationSchema);
  return json(await createOperation(platform(), id, input), 201);
});
