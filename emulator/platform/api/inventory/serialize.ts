import {
  CHILD_KINDS,
  PARENT_KINDS,
  PARENT_OF,
  type ChildKind,
  type InventoryStore,
  type MoRow,
  type ParentKind,
  type RefRow,
} from "./store.js";

/** What a GET asks for beyond the object itself (docs/platform-api.md §4.2). */
export interface RenderOptions {
  baseUrl: string;
  /** Child references with id and name; our default is true (docs/emulator-inventory.md). */
  withChildren: boolean;
  withChildrenCount: boolean;
  skipChildrenNames: boolean;
  /** All ancestors instead of the direct parents in the three parent collections. */
  withParents: boolean;
}

export const defaultRender = (baseUrl: string): RenderOptions => ({
  baseUrl,
  withChildren: true,
  withChildrenCount: false,
  skipChildrenNames: false,
  withParents: false,
});

export const moSelf = (baseUrl: string, id: number | string) => `${baseUrl}/inventory/managedObjects/${id}`;

export type Json = Record<string, unknown>;

/** The platform's reference element: `{self, managedObject: {id, name, self}}`. */
function reference(baseUrl: string, refSelf: string, target: number, name: string | null | undefined): Json {
  const mo: Json = { id: String(target) };
  if (name !== undefined && name !== null) mo.name = name;
  mo.self = moSelf(baseUrl, target);
  return { self: refSelf, managedObject: mo };
}

/** The object without its reference collections. */
export function renderPlain(baseUrl: string, row: MoRow): Json {
  const out: Json = { id: String(row.id), self: moSelf(baseUrl, row.id) };
  if (row.name !== null) out.name = row.name;
  if (row.type !== null) out.type = row.type;
  out.owner = row.owner;
  out.creationTime = row.creation_time;
  out.lastUpdated = row.last_updated;
  // Spread defines own properties (a "__proto__" fragment stays a plain key, unlike assignment).
  return { ...out, ...(JSON.parse(row.fragments) as Json) };
}

/** Renders rows in their order with all six reference collections, loading references in a few batched queries. */
export function renderMany(store: InventoryStore, rows: readonly MoRow[], opts: RenderOptions): Json[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const group = (refs: RefRow[]) => {
    const map = new Map<string, RefRow[]>();
    for (const r of refs) {
      const key = `${r.holder}/${r.kind}`;
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(r);
    }
    return map;
  };
  const children = opts.withChildren ? group(store.children(ids)) : new Map<string, RefRow[]>();
  const parents = group(store.parents(ids, opts.withParents));
  const counts = new Map<string, number>();
  if (opts.withChildrenCount)
    for (const c of store.childCounts(ids)) counts.set(`${c.holder}/${c.kind}`, c.n);

  return rows.map((row) => {
    const out = renderPlain(opts.baseUrl, row);
    const self = moSelf(opts.baseUrl, row.id);
    for (const kind of CHILD_KINDS) {
      const refs = (children.get(`${row.id}/${kind}`) ?? []).map((r) =>
        reference(
          opts.baseUrl,
          `${self}/${kind}/${r.target}`,
          r.target,
          opts.skipChildrenNames ? undefined : r.name,
        ),
      );
      const coll: Json = { self: `${self}/${kind}`, references: refs };
      const n = counts.get(`${row.id}/${kind}`);
      if (n) coll.count = n; // the platform shows count only when there are children
      out[kind] = coll;
    }
    for (const pkind of PARENT_KINDS) {
      const kind = childKindOf(pkind);
      const refs = (parents.get(`${row.id}/${kind}`) ?? []).map((r) =>
        reference(opts.baseUrl, `${self}/${pkind}/${r.target}`, r.target, r.name),
      );
      out[pkind] = { self: `${self}/${pkind}`, references: refs };
    }
    return out;
  });
}

function childKindOf(pkind: ParentKind): ChildKind {
  return CHILD_KINDS.find((k) => PARENT_OF[k] === pkind)!;
}

/**
 * The JSON text of one object, byte for byte what `JSON.stringify(renderOne(…))` gives, built as text: the stored
 * fragments (JSON.stringify output) are spliced in unparsed and the references come from one query. This is the
 * GET of one object, the hottest read (docs/emulator-performance.md); `withParents` (all ancestors) takes the object
 * path. The splice relies on what every writer guarantees: stored fragments never hold the names rendered around
 * them (id, self, name, type, owner, the timestamps, the reference collections; see parseMoInput's READ_ONLY).
 */
export function renderOneJson(store: InventoryStore, row: MoRow, opts: RenderOptions): string {
  if (opts.withParents) return JSON.stringify(renderOne(store, row, opts));
  const frags = row.fragments;
  // Every link below is the (escaped) base URL followed by ASCII path segments and digits.
  const base = JSON.stringify(opts.baseUrl).slice(1, -1);
  const id = String(row.id);
  const self = `${base}/inventory/managedObjects/${id}`;
  let out = `{"id":"${id}","self":"${self}"`;
  if (row.name !== null) out += `,"name":${JSON.stringify(row.name)}`;
  if (row.type !== null) out += `,"type":${JSON.stringify(row.type)}`;
  out += `,"owner":${JSON.stringify(row.owner)},"creationTime":${JSON.stringify(row.creation_time)}`;
  out += `,"lastUpdated":${JSON.stringify(row.last_updated)}`;
  if (frags.length > 2) out += `,${frags.slice(1, -1)}`;
  const refs = store.referencesOf(row.id);
  for (let up = 0; up <= 1; up++) {
    for (const kind of CHILD_KINDS) {
      const coll = up === 0 ? kind : PARENT_OF[kind];
      const collSelf = `${self}/${coll}`;
      let items = "";
      let n = 0;
      for (const r of refs) {
        if (r.up !== up || r.kind !== kind) continue;
        n++;
        if (!opts.withChildren && up === 0) continue;
        items += `${items === "" ? "" : ","}{"self":"${collSelf}/${r.target}","managedObject":{"id":"${r.target}"`;
        if (r.name !== null && !(up === 0 && opts.skipChildrenNames))
          items += `,"name":${JSON.stringify(r.name)}`;
        items += `,"self":"${base}/inventory/managedObjects/${r.target}"}}`;
      }
      out += `,"${coll}":{"self":"${collSelf}","references":[${items}]`;
      if (up === 0 && opts.withChildrenCount && n > 0) out += `,"count":${n}`;
      out += "}";
    }
  }
  return `${out}}`;
}

export function renderOne(store: InventoryStore, row: MoRow, opts: RenderOptions): Json {
  return renderMany(store, [row], opts)[0]!;
}
