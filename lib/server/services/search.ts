import "server-only";
import {
  PALETTE_NAME_LIMIT,
  type PaletteHitDto,
  type PaletteSearchQuery,
  type PaletteSearchResultDto,
} from "@/lib/schemas/search";
import { UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";
import { SEARCH_ID_TYPES, kindOf, queryString } from "./device-tree";

type UpstreamManagedObject = components["schemas"]["ManagedObject"];

/**
 * Every list call of the palette leaves the child lists out: with `withChildren` at its default the platform
 * embeds every reference of a gateway in its row (docs/platform-api.md §4.2), which a result row never shows.
 */
const LEAN = { withChildren: false } as const;

/** null for the answers that mean "not this": 404, and 422 for a value the platform cannot look up. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof UpstreamError && (err.status === 404 || err.status === 422)) return null;
    throw err;
  }
}

function toHit(
  mo: UpstreamManagedObject,
  hit: Pick<PaletteHitDto, "match" | "externalId">,
): PaletteHitDto | null {
  const kind = kindOf(mo);
  // The palette leads to device pages and the tree: other inventory objects (assets, files) have neither.
  if (kind === "asset") return null;
  return { id: mo.id, name: typeof mo.name === "string" && mo.name !== "" ? mo.name : null, kind, ...hit };
}

async function byId(platform: PlatformClient, id: string): Promise<UpstreamManagedObject | null> {
  return orNull(
    platform
      .GET("/inventory/managedObjects/{id}", { params: { path: { id }, query: LEAN } })
      .then((r) => body(r)),
  );
}

async function byExternalId(platform: PlatformClient, type: string, value: string) {
  const found = await orNull(
    platform
      .GET("/identity/externalIds/{type}/{externalId}", { params: { path: { type, externalId: value } } })
      .then((r) => body(r)),
  );
  const id = found?.managedObject.id;
  return id ? { type, value, id } : null;
}

/** Devices and groups whose name holds the text, by name; one more than the limit tells whether there are more. */
async function byName(platform: PlatformClient, text: string): Promise<UpstreamManagedObject[]> {
  const filter = `(has(c8y_IsDevice) or has(c8y_IsDeviceGroup)) and (name eq ${queryString(`*${text}*`)})`;
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: {
        query: { query: `$filter=(${filter}) $orderby=name`, pageSize: PALETTE_NAME_LIMIT + 1, ...LEAN },
      },
    }),
  );
  return page.managedObjects;
}

/**
 * The command palette's search, made once per (debounced) keystroke: the exact id, the identity look-up of the
 * text as an external id (c8y_Serial first, docs/platform-api.md §3) and the query language's name wildcard
 * (docs/platform-api.md §4.3), all at once. Only calls every tenant answers; the console keeps no index of its own.
 * Exact matches come first, then names in the platform's order; each object appears once.
 */
export async function paletteSearch(
  platform: PlatformClient,
  query: PaletteSearchQuery,
): Promise<PaletteSearchResultDto> {
  const text = query.q;
  // "." and ".." cannot travel as a path segment (URL normalisation would drop them).
  const lookupable = text !== "." && text !== "..";
  const [exact, external, named] = await Promise.all([
    /^[0-9]{1,19}$/.test(text) ? byId(platform, text) : Promise.resolve(null),
    lookupable
      ? Promise.all(SEARCH_ID_TYPES.map((type) => byExternalId(platform, type, text)))
      : Promise.resolve([]),
    byName(platform, text),
  ]);
  const externalHits = external.filter((e) => e !== null);
  const externalIds = [...new Set(externalHits.map((e) => e.id))].filter((id) => id !== exact?.id);
  const externalObjects =
    externalIds.length === 0
      ? []
      : body(
          await platform.GET("/inventory/managedObjects", {
            params: { query: { ids: externalIds.join(","), pageSize: externalIds.length, ...LEAN } },
          }),
        ).managedObjects;
  const objectOf = new Map(externalObjects.map((mo) => [mo.id, mo]));
  if (exact) objectOf.set(exact.id, exact);

  const items: PaletteHitDto[] = [];
  const seen = new Set<string>();
  const add = (hit: PaletteHitDto | null) => {
    if (!hit || seen.has(hit.id)) return;
    seen.add(hit.id);
    items.push(hit);
  };
  if (exact) add(toHit(exact, { match: "id" }));
  for (const e of externalHits) {
    const mo = objectOf.get(e.id);
    if (mo) add(toHit(mo, { match: "externalId", externalId: { type: e.type, value: e.value } }));
  }
  for (const mo of named.slice(0, PALETTE_NAME_LIMIT)) add(toHit(mo, { match: "name" }));
  return { items, more: named.length > PALETTE_NAME_LIMIT };
}
