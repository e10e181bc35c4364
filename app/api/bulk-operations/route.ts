import { bulkCreateSchema } from "@/lib/schemas/bulk-create";
import { json, parseJson, route } from "@/lib/server/route";
import { createBulkOperation } from "@/lib/server/services/bulk-create";

// POST /api/bulk-operations – start a bulk operation on selected devices, a group, a search, or a retry.
export const POST = route({ session: "required" }, async ({ req, platform }) => {
  const input = await parseJson(req, bulkCreateSchema);
  return json(await createBulkOperation(platform(), input), 201);
});
