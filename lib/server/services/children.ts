import "server-only";
import type {
  ChildKind,
  ChildListDto,
  ChildListQuery,
  LinkChildResult,
  ObjectSummary,
} from "@/lib/schemas/device";
import { UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import { toObjectSummary } from "./device";

/** How many objects a link search shows: enough to pick from, small enough to read. */
const CANDIDATE_LIMIT = 20;

/** One page of child devices or child assets (docs/platform-api.md §4.8). */
export async function listChildren(
  platform: PlatformClient,
  id: string,
  query: ChildListQuery,
): Promise<ChildListDto> {
  const params = {
    path: { id },
    query: {
      pageSize: query.pageSize,
      currentPage: query.page,
      withTotalElements: true,
      withChildren: false,
    },
  };
  const page = body(
    query.kind === "devices"
      ? await platform.GET("/inventory/managedObjects/{id}/childDevices", { params })
      : await platform.GET("/inventory/managedObjects/{id}/childAssets", { params }),
  );
  const items = page.references.map((r) => toObjectSummary(r.managedObject));
  const total = page.statistics?.totalElements ?? null;
  return {
    kind: query.kind,
    items,
    page: query.page,
    pageSize: query.pageSize,
    total,
    // `next` is no end-of-data signal on this platform (§2.5): a total or a short page is.
    hasNext: total !== null ? query.page * query.pageSize < total : items.length === query.pageSize,
  };
}

/** Links an existing object below this one; linking one that is a child already counts as done (§0a). */
export async function linkChild(
  platform: PlatformClient,
  id: string,
  kind: ChildKind,
  childId: string,
): Promise<LinkChildResult> {
  const request = { params: { path: { id } }, body: { managedObject: { id: childId } } };
  try {
    if (kind === "devices") await platform.POST("/inventory/managedObjects/{id}/childDevices", request);
    else await platform.POST("/inventory/managedObjects/{id}/childAssets", request);
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 409) return { kind, childId, alreadyLinked: true };
    throw err;
  }
  return { kind, childId, alreadyLinked: false };
}

/** Removes only the reference; the child object itself stays in the inventory (docs/startup-phase.md, step 5). */
export async function unlinkChild(
  platform: PlatformClient,
  id: string,
  kind: ChildKind,
  childId: string,
): Promise<void> {
  const params = { path: { id, childId } };
  if (kind === "devices")
    await platform.DELETE("/inventory/managedObjects/{id}/childDevices/{childId}", { params });
  else await platform.DELETE("/inventory/managedObjects/{id}/childAssets/{childId}", { params });
}

/** A string literal of the query language: quotes doubled, wildcards taken out of the operator's text. */
function queryLiteral(text: string): string {
  return text.replace(/\*/g, "").replace(/'/g, "''");
}

/**
 * Objects to link, by id or by a part of the name (case-insensitive wildcard match, §4.3), without the object
 * itself. An exact id comes first.
 */
export async function searchCandidates(
  platform: PlatformClient,
  id: string,
  q: string,
): Promise<ObjectSummary[]> {
  const found: ObjectSummary[] = [];
  if (/^[A-Za-z0-9_-]+$/.test(q) && q !== id) {
    try {
      const mo = body(
        await platform.GET("/inventory/managedObjects/{id}", {
          params: { path: { id: q }, query: { withChildren: false } },
        }),
      );
      found.push(toObjectSummary(mo));
    } catch (err) {
      // Not an id of a visible object: the name search below may still find something.
      if (!(err instanceof UpstreamError) || err.status === 401) throw err;
    }
  }
  const needle = queryLiteral(q).trim();
  if (needle !== "") {
    const page = body(
      await platform.GET("/inventory/managedObjects", {
        params: {
          query: {
            query: `$filter=(name eq '*${needle}*') $orderby=name`,
            pageSize: CANDIDATE_LIMIT + 1,
            withChildren: false,
          },
        },
      }),
    );
    for (const mo of page.managedObjects)
      if (mo.id !== id && !found.some((f) => f.id === mo.id)) found.push(toObjectSummary(mo));
  }
  return found.slice(0, CANDIDATE_LIMIT);
}
