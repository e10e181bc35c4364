import { paletteSearchResultDtoSchema, type PaletteSearchResultDto } from "@/lib/schemas/search";
import { apiFetch } from "./api-client";

/**
 * The command palette's search call. Not a TanStack query: the palette debounces and aborts it itself as the
 * operator types (components/palette/use-palette-search.ts), and a result is only ever wanted for the text on
 * screen.
 */
export function fetchPaletteSearch(q: string, signal: AbortSignal): Promise<PaletteSearchResultDto> {
  return apiFetch(`/api/search?q=${encodeURIComponent(q)}`, { schema: paletteSearchResultDtoSchema, signal });
}
