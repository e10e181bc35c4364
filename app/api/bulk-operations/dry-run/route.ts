import { bulkDryRunSchema } from "@/lib/schemas/bulk-create";
import { json, parseJson, route } from "@/lib/server/route";
import { dryRunBulkOperation } from "@/lib/server/services/bulk-create";

// POST /api/bulk-operations/dry-run – how many devices it would reach, how many are connected and support it.
export const POST = route({ session: "required" }, async ({ req, platform }) => {
  const input = await parseJson(req, bulkDryRunSchema);
  return json(await dryRunBulkOperation(platform(), input));
});
