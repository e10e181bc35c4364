import { bulkCreateSchema } from "@/lib/schemas/bulk-create";
import { bulkListQuerySchema } from "@/lib/schemas/bulk-operations";
import { json, parseJson, route, validate } from "@/lib/server/route";
import { createBulkOperation } from "@/lib/server/services/bulk-create";
import { listBulkOperations } from "@/lib/server/services/bulk-operations";

/** `generalStatus` repeats (`?generalStatus=FAILED&generalStatus=CANCELED`); the rest are single values. */
function rawQuery(req: Request): Record<string, unknown> {
  const params = new URL(req.url).searchParams;
  const raw: Record<string, unknown> = {
    generalStatus: params.getAll("generalStatus").filter(Boolean),
  };
  for (const key of ["dateFrom", "dateTo", "page", "pageSize"]) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  const withDeleted = params.get("withDeleted");
  if (withDeleted)
    raw.withDeleted = withDeleted === "true" ? true : withDeleted === "false" ? false : withDeleted;
  return raw;
}

// GET /api/bulk-operations – one page of bulk operations, filtered by general status, start date range and cancelled ones.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = validate(bulkListQuerySchema, rawQuery(req));
  return json(await listBulkOperations(platform(), query));
});

// POST /api/bulk-operations – start a bulk operation on selected devices, a group, a search, or a retry.
export const POST = route({ session: "required" }, async ({ req, platform }) => {
  const input = await parseJson(req, bulkCreateSchema);
  return json(await createBulkOperation(platform(), input), 201);
});
