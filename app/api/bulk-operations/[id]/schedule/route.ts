import { z } from "zod";
import { bulkOperationIdSchema, scheduleUpdateSchema } from "@/lib/schemas/bulk-operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { updateSchedule } from "@/lib/server/services/bulk-operations";

// PUT /api/bulk-operations/[id]/schedule – new start date and creation ramp, only while scheduled.
export const PUT = route<{ id: string }>({ session: "required" }, async ({ req, params, platform }) => {
  const { id } = validate(z.object({ id: bulkOperationIdSchema }), params);
  const schedule = await parseJson(req, scheduleUpdateSchema);
  return json(await updateSchedule(platform(), id, schedule));
});
