import { paletteSearchQuerySchema } from "@/lib/schemas/search";
import { json, parseQuery, route } from "@/lib/server/route";
import { paletteSearch } from "@/lib/server/services/search";

// GET /api/search?q – the command palette's devices and groups: exact id, external id, or a part of the name.
export const GET = route({ session: "required" }, async ({ req, platform }) => {
  const query = parseQuery(req, paletteSearchQuerySchema);
  return json(await paletteSearch(platform(), query));
});
