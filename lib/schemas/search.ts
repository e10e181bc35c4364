import { z } from "zod";
import { nodeKindSchema } from "./device-tree";

/** What the command palette sends as the operator types (GET /api/search?q). */
export const paletteSearchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for").max(200, "At most 200 characters"),
});
export type PaletteSearchQuery = z.infer<typeof paletteSearchQuerySchema>;

export const paletteMatchSchema = z.enum(["id", "externalId", "name"]);
export type PaletteMatch = z.infer<typeof paletteMatchSchema>;

/** One device or group the palette offers: only what a result row shows and where it leads. */
export const paletteHitDtoSchema = z.object({
  id: z.string(),
  /** null when the object has no name; the palette shows its id instead. */
  name: z.string().nullable(),
  kind: nodeKindSchema.exclude(["asset"]),
  match: paletteMatchSchema,
  /** For external id matches: the id's type and value. */
  externalId: z.object({ type: z.string(), value: z.string() }).optional(),
});
export type PaletteHitDto = z.infer<typeof paletteHitDtoSchema>;

export const paletteSearchResultDtoSchema = z.object({
  items: z.array(paletteHitDtoSchema),
  /** More names match than were returned: the operator should type more. */
  more: z.boolean(),
});
export type PaletteSearchResultDto = z.infer<typeof paletteSearchResultDtoSchema>;

/** Names returned per search: a palette shows a handful; typing more narrows them. */
export const PALETTE_NAME_LIMIT = 8;
