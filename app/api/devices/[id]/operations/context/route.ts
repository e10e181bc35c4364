import { z } from "zod";
import { deviceRefSchema } from "@/lib/schemas/operations";
import { json, route, validate } from "@/lib/server/route";
import { getDeviceOperationContext } from "@/lib/server/services/operations";

// GET /api/devices/[id]/operations/context – what can be sent to the device, through which agent, current state.
export const GET = route<{ id: string }>({ session: "required" }, async ({ params, platform }) => {
  const { id } = validate(z.object({ id: deviceRefSchema }), params);
  return json(await getDeviceOperationContext(platform(), id));
});
