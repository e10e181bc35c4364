import "server-only";
import type {
  ChildrenPageDto,
  ConnectionListDto,
  ConnectionListQuery,
  ChildrenQuery,
  DevicePathsDto,
  NodeKind,
  RootsPageDto,
  RootsQuery,
  SearchHitDto,
  SearchQuery,
  SearchResultDto,
  TreeNodeDto,
} from "@/lib/schemas/device-tree";
import { mapLimit } from "../concurrency";
import { connectionFilter, toConnection } from "./connection";
import { UpstreamError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

type UpstreamManagedObject = components["schemas"]["ManagedObject"];
type UpstreamChildCollection = components["schemas"]["EmbeddedReferenceCollection"];

/**
 * Every tree call asks for child counts but not the child lists themselves: with `withChildren` left at its
 * default the platform embeds every reference, which for a gateway with 10,000 children is the whole list again
 * in each row (docs/platform-api.md §4.2).
 */
export const TREE_FLAGS = { withChildren: false, withChildrenCount: true } as const;

/** External id types tried for a search text, in this order (c8y_Serial is what registration binds). */
export const SEARCH_ID_TYPES = ["c8y_Serial", "c8y_IMEI"] as const;
export const SEARCH_NAME_LIMIT = 20;
/** Ancestor levels followed for paths, and paths returned: far beyond real hierarchies, a guard against loops. */
const MAX_PATH_DEPTH = 16;
const MAX_PATHS = 50;
const CONCURRENCY = 8;

export function kindOf(mo: UpstreamManagedObject): NodeKind {
  if (mo.c8y_IsDeviceGroup !== undefined) return "group";
  if (mo.com_cumulocity_model_Agent !== undefined) return "agent";
  if (mo.c8y_IsDevice !== undefined) return "device";
  return "asset";
}

/** `count` is left out when it is 0 (docs/platform-api.md §4.4); an absent collection means we were not told. */
function countOf(collection: UpstreamChildCollection | undefined): number | null {
  if (!collection) return null;
  return collection.count ?? collection.references.length;
}

/** The one place an upstream managed object becomes a tree node (docs/style.md rule 4). */
export function toTreeNode(mo: UpstreamManagedObject): TreeNodeDto {
  const kind = kindOf(mo);
  const ops = Array.isArray(mo.c8y_SupportedOperations) ? mo.c8y_SupportedOperations : [];
  const model = mo.c8y_Hardware?.model;
  return {
    id: mo.id,
    name: typeof mo.name === "string" && mo.name !== "" ? mo.name : null,
    kind,
    type: typeof mo.type === "string" ? mo.type : null,
    childCount: countOf(kind === "group" ? mo.childAssets : mo.childDevices),
    supportedOperations: ops.filter((op): op is string => typeof op === "string"),
    hardwareModel: typeof model === "string" && model !== "" ? model : null,
    connection: toConnection(mo),
  };
}

/** One page of objects without parents that have the fragment (`onlyRoots` with `fragmentType`). */
async function rootPage(
  platform: PlatformClient,
  fragmentType: "c8y_IsDeviceGroup" | "c8y_IsDevice",
  currentPage: number,
  pageSize: number,
): Promise<UpstreamManagedObject[]> {
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: { query: { fragmentType, onlyRoots: true, pageSize, currentPage, ...TREE_FLAGS } },
    }),
  );
  return page.managedObjects;
}

/**
 * Roots of the tree: groups without a parent group, then devices that belong to nothing. The cursor says which
 * list and page comes next; when the groups run out mid-answer, the first page of devices follows in the same
 * answer so the first screen is full. Both lists are in the platform's natural (creation) order: `onlyRoots` is
 * not combined with `$orderby` because a real tenant does not promise to honour both (docs/device-tree.md).
 */
export async function listRoots(platform: PlatformClient, query: RootsQuery): Promise<RootsPageDto> {
  let phase = query.cursor?.[0] ?? "g";
  let page = query.cursor ? Number(query.cursor.slice(1)) : 1;
  const items: TreeNodeDto[] = [];
  if (phase === "g") {
    const groups = await rootPage(platform, "c8y_IsDeviceGroup", page, query.pageSize);
    items.push(...groups.map(toTreeNode));
    // A short page is the end (`next` is no signal on this platform, §2.5).
    if (groups.length === query.pageSize) return { items, nextCursor: `g${page + 1}` };
    phase = "d";
    page = 1;
  }
  const devices = await rootPage(platform, "c8y_IsDevice", page, query.pageSize);
  // A group that also carries c8y_IsDevice was listed with the groups already.
  items.push(...devices.map(toTreeNode).filter((n) => n.kind !== "group"));
  return { items, nextCursor: devices.length === query.pageSize ? `d${page + 1}` : null };
}

/** Page `page` of the object's child assets or child devices, each with its own child count. */
export async function listChildren(
  platform: PlatformClient,
  id: string,
  query: ChildrenQuery,
): Promise<ChildrenPageDto> {
  const params = {
    path: { id },
    query: {
      pageSize: query.pageSize,
      currentPage: query.page,
      ...TREE_FLAGS,
      // The total sizes the scroll area; asked once, on the first page (counting costs the platform a query).
      ...(query.page === 1 ? { withTotalElements: true } : {}),
    },
  };
  const result = body(
    query.rel === "assets"
      ? await platform.GET("/inventory/managedObjects/{id}/childAssets", { params })
      : await platform.GET("/inventory/managedObjects/{id}/childDevices", { params }),
  );
  const items = result.references.map((r) => toTreeNode(r.managedObject));
  return {
    items,
    page: query.page,
    pageSize: query.pageSize,
    total: query.page === 1 ? (result.statistics.totalElements ?? null) : null,
    hasMore: items.length === query.pageSize,
  };
}

/**
 * One page of the devices in a presence state (`/devices?connection=…`), selected by the platform's query
 * language so no device is read that is not shown; the total comes with the first page.
 */
export async function listByConnection(
  platform: PlatformClient,
  query: ConnectionListQuery,
): Promise<ConnectionListDto> {
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: {
        query: {
          query: `${connectionFilter(query.status)} $orderby=name`,
          pageSize: query.pageSize,
          currentPage: query.page,
          withTotalElements: true,
          ...TREE_FLAGS,
        },
      },
    }),
  );
  const items = page.managedObjects.map(toTreeNode);
  const total = page.statistics?.totalElements;
  return {
    items,
    page: query.page,
    pageSize: query.pageSize,
    total: typeof total === "number" ? total : null,
    hasMore: items.length === query.pageSize,
  };
}

/** One object as a node; 404 from the platform stays a 404. */
export async function getNode(platform: PlatformClient, id: string): Promise<TreeNodeDto> {
  const mo = body(
    await platform.GET("/inventory/managedObjects/{id}", { params: { path: { id }, query: TREE_FLAGS } }),
  );
  return toTreeNode(mo);
}

/** null for the answers that mean "not this": 404, and 422 for a value the platform cannot look up. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof UpstreamError && (err.status === 404 || err.status === 422)) return null;
    throw err;
  }
}

/** A string literal of the inventory query language: quotes doubled (docs/platform-api.md §4.3). */
export const queryString = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function byName(platform: PlatformClient, text: string): Promise<UpstreamManagedObject[]> {
  const filter = `(has(c8y_IsDevice) or has(c8y_IsDeviceGroup)) and (name eq ${queryString(`*${text}*`)})`;
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: {
        query: {
          query: `$filter=(${filter}) $orderby=name`,
          pageSize: SEARCH_NAME_LIMIT + 1,
          ...TREE_FLAGS,
        },
      },
    }),
  );
  return page.managedObjects;
}

async function byExternalId(
  platform: PlatformClient,
  type: string,
  value: string,
): Promise<{ type: string; value: string; id: string } | null> {
  const found = await orNull(
    platform.GET("/identity/externalIds/{type}/{externalId}", {
      params: { path: { type, externalId: value } },
    }),
  );
  const id = found?.data?.managedObject.id;
  return id ? { type, value, id } : null;
}

async function manyById(platform: PlatformClient, ids: string[]): Promise<Map<string, TreeNodeDto>> {
  if (ids.length === 0) return new Map();
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: { query: { ids: ids.join(","), pageSize: ids.length, ...TREE_FLAGS } },
    }),
  );
  return new Map(page.managedObjects.map((mo) => [mo.id, toTreeNode(mo)]));
}

/**
 * Finds devices and groups by exact id, by external id (the identity look-up, c8y_Serial first) and by a part of
 * the name, all at once. Exact matches come first; objects that are not in the tree (neither device nor group)
 * are left out.
 */
export async function searchDevices(platform: PlatformClient, query: SearchQuery): Promise<SearchResultDto> {
  const text = query.q;
  const types = query.idType ? [query.idType] : SEARCH_ID_TYPES;
  // "." and ".." cannot travel as a path segment (URL normalisation would drop them).
  const lookupable = text !== "." && text !== "..";
  const [exact, external, named] = await Promise.all([
    /^[0-9]{1,19}$/.test(text) ? orNull(getNode(platform, text)) : Promise.resolve(null),
    lookupable ? Promise.all(types.map((type) => byExternalId(platform, type, text))) : Promise.resolve([]),
    byName(platform, text),
  ]);
  const externalHits = external.filter((e) => e !== null);
  const externalNodes = await manyById(platform, [...new Set(externalHits.map((e) => e.id))]);

  const items: SearchHitDto[] = [];
  const seen = new Set<string>();
  const add = (hit: SearchHitDto) => {
    if (seen.has(hit.id) || hit.kind === "asset") return;
    seen.add(hit.id);
    items.push(hit);
  };
  if (exact) add({ ...exact, match: "id" });
  for (const e of externalHits) {
    const node = externalNodes.get(e.id);
    if (node) add({ ...node, match: "externalId", externalId: { type: e.type, value: e.value } });
  }
  for (const mo of named.slice(0, SEARCH_NAME_LIMIT)) add({ ...toTreeNode(mo), match: "name" });
  return { items, moreByName: named.length > SEARCH_NAME_LIMIT };
}

/**
 * The object's parents as the tree shows them: groups holding it as a child asset, and (for devices) non-group
 * objects holding it as a child device. Read with the inverse filters `childAssetId` / `childDeviceId`, which a
 * real tenant serves; the embedded parent collections are not relied on because `withChildren=false` may drop
 * them.
 */
async function treeParents(platform: PlatformClient, node: TreeNodeDto): Promise<TreeNodeDto[]> {
  const list = async (filter: { childAssetId: string } | { childDeviceId: string }) =>
    body(
      await platform.GET("/inventory/managedObjects", {
        params: { query: { ...filter, pageSize: 100, ...TREE_FLAGS } },
      }),
    ).managedObjects.map(toTreeNode);
  const [assetParents, deviceParents] = await Promise.all([
    list({ childAssetId: node.id }),
    node.kind === "group" ? Promise.resolve([]) : list({ childDeviceId: node.id }),
  ]);
  return [
    ...assetParents.filter((p) => p.kind === "group"),
    ...deviceParents.filter((p) => p.kind !== "group"),
  ];
}

/**
 * All paths from a root of the tree down to the object (the object is the last element of each). Ancestors are
 * read level by level, every node once however many paths pass through it.
 */
export async function devicePaths(platform: PlatformClient, id: string): Promise<DevicePathsDto> {
  const start = await getNode(platform, id);
  const nodes = new Map<string, TreeNodeDto>([[id, start]]);
  const parentsOf = new Map<string, string[]>();
  let frontier = [start];
  let truncated = false;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= MAX_PATH_DEPTH) {
      truncated = true;
      break;
    }
    const next: TreeNodeDto[] = [];
    await mapLimit(frontier, CONCURRENCY, async (node) => {
      const parents = await treeParents(platform, node);
      parentsOf.set(
        node.id,
        parents.map((p) => p.id),
      );
      for (const p of parents)
        if (!nodes.has(p.id)) {
          nodes.set(p.id, p);
          next.push(p);
        }
    });
    frontier = next;
  }

  const paths: TreeNodeDto[][] = [];
  // Walks upwards from the object; `below` is the path from the current node down to the object.
  const walk = (nodeId: string, below: TreeNodeDto[]) => {
    if (paths.length >= MAX_PATHS) {
      truncated = true;
      return;
    }
    const here = [nodes.get(nodeId)!, ...below];
    const parents = (parentsOf.get(nodeId) ?? []).filter(
      (p) => !below.some((b) => b.id === p) && p !== nodeId,
    );
    if (parents.length === 0) {
      paths.push(here);
      return;
    }
    for (const p of parents) walk(p, here);
  };
  walk(id, []);
  return { paths, truncated };
}
