import { describe, expect, it } from "vitest";
import type { ChildRelation, TreeNodeDto } from "@/lib/schemas/device-tree";
import { childPagesKey, flattenTree, type ChildPages, type TreeData, type TreeRow } from "../flatten-tree";
import { ancestorKeys, parseTreeUrl, treeUrlSearch } from "../tree-paths";

const node = (id: string, kind: TreeNodeDto["kind"], childCount: number | null = 0): TreeNodeDto => ({
  id,
  name: `n${id}`,
  kind,
  type: null,
  childCount,
  supportedOperations: [],
  hardwareModel: null,
  connection: null,
});

function data(
  roots: TreeNodeDto[],
  children: Record<string, ChildPages> = {},
  extra: Partial<TreeData["roots"]> = {},
): TreeData {
  return {
    roots: { items: roots, hasMore: false, failed: false, ...extra },
    children: (id: string, rel: ChildRelation) => children[childPagesKey(id, rel)],
    pageSize: 2,
  };
}

const pages = (
  total: number | null,
  loaded: Record<number, TreeNodeDto[]>,
  failed: number[] = [],
): ChildPages => ({
  total,
  pages: new Map(
    Object.entries(loaded).map(([p, items]) => [Number(p), { items, hasMore: items.length === 2 }]),
  ),
  failed: new Set(failed),
});

const shape = (rows: TreeRow[]) =>
  rows.map((r) =>
    r.type === "node"
      ? `${r.key}@${r.level}`
      : `…${r.request.scope === "children" ? r.request.page : "roots"}`,
  );

describe("flattenTree", () => {
  it("shows roots, and children only below expanded nodes", () => {
    const d = data([node("1", "group", 1), node("2", "device")], {
      "1|assets": pages(1, { 1: [node("3", "agent", 0)] }),
    });
    expect(shape(flattenTree(d, new Set(), new Map()))).toEqual(["1@1", "2@1"]);
    expect(shape(flattenTree(d, new Set(["1"]), new Map()))).toEqual(["1@1", "1.3@2", "2@1"]);
  });

  it("gives every row of a known total its place, with placeholders for pages not loaded", () => {
    const d = data([node("9", "agent", 5)], {
      "9|devices": pages(5, { 1: [node("10", "device"), node("11", "device")], 3: [node("14", "device")] }),
    });
    const rows = flattenTree(d, new Set(["9"]), new Map());
    expect(shape(rows)).toEqual(["9@1", "9.10@2", "9.11@2", "…2", "…2", "9.14@2"]);
    expect(rows[5]).toMatchObject({ posinset: 5, setsize: 5, slot: "9#4" });
  });

  it("asks for page 1 of a freshly expanded node, and marks failed pages", () => {
    const d = data([node("9", "agent", 5)], { "9|devices": pages(null, {}, [1]) });
    const rows = flattenTree(d, new Set(["9"]), new Map());
    expect(rows[1]).toMatchObject({
      type: "placeholder",
      failed: true,
      request: { id: "9", rel: "devices", page: 1 },
    });
  });

  it("pins a revealed node ahead of its siblings until its own page is loaded", () => {
    const pin = node("77", "device");
    const partial = data([node("9", "agent", 200)], {
      "9|devices": pages(null, { 1: [node("10", "device"), node("11", "device")] }),
    });
    const rows = flattenTree(partial, new Set(["9"]), new Map([["9", pin]]));
    expect(shape(rows)).toEqual(["9@1", "9.77@2", "9.10@2", "9.11@2", "…2"]);
    expect(rows[1]).toMatchObject({ pinned: true });
    const loaded = data([node("9", "agent", 200)], {
      "9|devices": pages(null, { 1: [node("77", "device")] }),
    });
    expect(shape(flattenTree(loaded, new Set(["9"]), new Map([["9", pin]])))).toEqual(["9@1", "9.77@2"]);
  });

  it("adds a row for more roots and never opens a node below itself", () => {
    const d = data(
      [node("1", "group", 1)],
      { "1|assets": pages(1, { 1: [node("1", "group", 1)] }) },
      { hasMore: true },
    );
    const rows = flattenTree(d, new Set(["1", "1.1"]), new Map());
    expect(shape(rows)).toEqual(["1@1", "1.1@2", "…roots"]);
    expect(rows[1]).toMatchObject({ expandable: false });
  });
});

describe("tree URL state", () => {
  it("reads the selection and expanded keys, implying the selection's ancestors", () => {
    const state = parseTreeUrl(new URLSearchParams("sel=1.2.3&open=5,bad,7.8"));
    expect(state).toEqual({ selected: "1.2.3", expanded: ["5", "7.8", "1", "1.2"] });
    expect(ancestorKeys("1.2.3")).toEqual(["1", "1.2"]);
  });

  it("writes them back readably, keeping other parameters", () => {
    const search = treeUrlSearch(new URLSearchParams("search=pump"), {
      selected: "1.2",
      expanded: ["1", "5"],
    });
    expect(search).toBe("?search=pump&sel=1.2&open=5");
    expect(treeUrlSearch(new URLSearchParams(), { selected: null, expanded: [] })).toBe("");
  });
});
