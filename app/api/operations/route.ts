import { operationListQuerySchema } from "@/lib/schemas/operations";
import { json, parseQuery, route } from "@/lib/server/route";
import { listOperations } from "@/lib/server/services/operations";

// GET /api/operations – one page of operations, newest first, filtered by status, device and type.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, operationListQuerySchema);
  return json(await listOperations(platform(), query));
});
