import { relationOf, type ChildRelation, type TreeNodeDto } from "@/lib/schemas/device-tree";
import { ROOT_KEY, childKey, idsOf } from "./tree-paths";

/** A page the tree needs: the next page of roots, or page `page` of an object's children. */
export type PageRequest =
  { scope: "roots" } | { scope: "children"; id: string; rel: ChildRelation; page: number };

interface RowBase {
  /** The row's place among its siblings ("<parentKey>#<index>"): stays put while a placeholder turns into a node. */
  slot: string;
  level: number;
  parentKey: string;
  /** Position among the siblings and their number, where the total is known. */
  posinset?: number;
  setsize?: number;
}

export interface NodeRow extends RowBase {
  type: "node";
  /** The path key of this position. */
  key: string;
  node: TreeNodeDto;
  expandable: boolean;
  expanded: boolean;
  /** Shown ahead of its siblings because a search or a link asked for it before its page was loaded. */
  pinned: boolean;
}

export interface PlaceholderRow extends RowBase {
  type: "placeholder";
  key: string;
  request: PageRequest;
  failed: boolean;
}

export type TreeRow = NodeRow | PlaceholderRow;

/** What is loaded of one object's children in one relation. */
export interface ChildPages {
  /** From page 1; null until it is loaded or when the platform gave none. */
  total: number | null;
  pages: ReadonlyMap<number, { items: TreeNodeDto[]; hasMore: boolean }>;
  failed: ReadonlySet<number>;
}

export interface TreeData {
  roots: { items: TreeNodeDto[]; hasMore: boolean; failed: boolean };
  children: (id: string, rel: ChildRelation) => ChildPages | undefined;
  pageSize: number;
}

export const childPagesKey = (id: string, rel: ChildRelation) => `${id}|${rel}`;

/** Deeper than any real hierarchy; stops a (platform-side) cycle from expanding forever. */
const MAX_LEVEL = 32;

export function isExpandable(node: TreeNodeDto): boolean {
  return node.childCount === null ? node.kind !== "asset" : node.childCount > 0;
}

/**
 * The visible rows of the tree, top to bottom: loaded nodes, and a placeholder for every row whose page is not
 * loaded yet (so a list of 10,000 children has its full height at once and any part of it can be loaded).
 */
export function flattenTree(
  data: TreeData,
  expanded: ReadonlySet<string>,
  pins: ReadonlyMap<string, TreeNodeDto>,
): TreeRow[] {
  const rows: TreeRow[] = [];

  const emitNode = (
    node: TreeNodeDto,
    parentKey: string,
    level: number,
    slot: string,
    pos?: [number, number],
    pinned = false,
  ) => {
    const key = childKey(parentKey, node.id);
    // An object that is its own ancestor (a cycle) is shown but not opened again.
    const cyclic = idsOf(parentKey).includes(node.id);
    const expandable = isExpandable(node) && !cyclic && level < MAX_LEVEL;
    const open = expandable && expanded.has(key);
    rows.push({
      type: "node",
      key,
      slot,
      node,
      level,
      parentKey,
      expandable,
      expanded: open,
      pinned,
      ...(pos ? { posinset: pos[0], setsize: pos[1] } : {}),
    });
    if (open) emitChildren(node, key, level + 1);
  };

  const placeholder = (
    parentKey: string,
    level: number,
    slot: string,
    request: PageRequest,
    failed: boolean,
  ) => rows.push({ type: "placeholder", key: slot, slot, level, parentKey, request, failed });

  const emitPin = (parentKey: string, level: number, loaded: (id: string) => boolean) => {
    const pin = pins.get(parentKey);
    if (pin && !loaded(pin.id)) emitNode(pin, parentKey, level, `${parentKey}#p`, undefined, true);
  };

  function emitChildren(parent: TreeNodeDto, parentKey: string, level: number) {
    const rel = relationOf(parent.kind);
    const loaded = data.children(parent.id, rel);
    const size = data.pageSize;
    const isLoaded = (id: string) =>
      [...(loaded?.pages.values() ?? [])].some((p) => p.items.some((n) => n.id === id));
    emitPin(parentKey, level, isLoaded);
    const request = (page: number): PageRequest => ({ scope: "children", id: parent.id, rel, page });
    if (!loaded || !loaded.pages.has(1)) {
      placeholder(parentKey, level, `${parentKey}#0`, request(1), loaded?.failed.has(1) ?? false);
      return;
    }
    const { total } = loaded;
    if (total !== null) {
      // Every row has its place from the start; unloaded ones are placeholders of their page.
      for (let i = 0; i < total; i++) {
        const page = Math.floor(i / size) + 1;
        const node = loaded.pages.get(page)?.items[i % size];
        const slot = `${parentKey}#${i}`;
        if (node) emitNode(node, parentKey, level, slot, [i + 1, total]);
        else if (!loaded.pages.has(page))
          placeholder(parentKey, level, slot, request(page), loaded.failed.has(page));
      }
      return;
    }
    // No total: the loaded pages in order, then one row standing for the next page.
    let i = 0;
    for (let page = 1; ; page++) {
      const current = loaded.pages.get(page);
      if (!current) {
        placeholder(parentKey, level, `${parentKey}#${i}`, request(page), loaded.failed.has(page));
        return;
      }
      for (const node of current.items) emitNode(node, parentKey, level, `${parentKey}#${i++}`);
      if (!current.hasMore) return;
    }
  }

  const { roots } = data;
  const rootIds = new Set(roots.items.map((n) => n.id));
  emitPin(ROOT_KEY, 1, (id) => rootIds.has(id));
  roots.items.forEach((node, i) => emitNode(node, ROOT_KEY, 1, `#${i}`));
  if (roots.hasMore || roots.failed) placeholder(ROOT_KEY, 1, "#more", { scope: "roots" }, roots.failed);
  return rows;
}
