import type { NodeRow, PlaceholderRow, TreeRow } from "./flatten-tree";

export type TreeAction =
  | { type: "move"; index: number }
  | { type: "expand"; row: NodeRow }
  | { type: "collapse"; row: NodeRow }
  | { type: "activate"; row: NodeRow }
  | { type: "check"; row: NodeRow; range: boolean }
  | { type: "retry"; row: PlaceholderRow };

const clamp = (i: number, rows: readonly TreeRow[]) => Math.max(0, Math.min(rows.length - 1, i));

/**
 * The keyboard of the ARIA tree pattern (WAI-ARIA APG "Tree View"): Up/Down move, Right opens a closed node or
 * steps into an open one, Left closes an open node or steps out to the parent, Home/End jump, PageUp/PageDown move
 * by a screenful, Enter activates; Space checks the row for a bulk operation (Shift+Space: the rows since the last
 * one checked). Returns null for keys the tree leaves alone.
 */
export function treeKeyAction(
  key: string,
  rows: readonly TreeRow[],
  index: number,
  pageRows: number,
  shiftKey = false,
): TreeAction | null {
  if (rows.length === 0) return null;
  const row = rows[index];
  const move = (i: number): TreeAction => ({ type: "move", index: clamp(i, rows) });
  if (!row)
    return ["ArrowDown", "ArrowUp", "Home", "End", "PageDown", "PageUp"].includes(key) ? move(0) : null;
  switch (key) {
    case "ArrowDown":
      return move(index + 1);
    case "ArrowUp":
      return move(index - 1);
    case "Home":
      return move(0);
    case "End":
      return move(rows.length - 1);
    case "PageDown":
      return move(index + pageRows);
    case "PageUp":
      return move(index - pageRows);
    case "ArrowRight":
      if (row.type !== "node" || !row.expandable) return null;
      return row.expanded ? move(index + 1) : { type: "expand", row };
    case "ArrowLeft": {
      if (row.type === "node" && row.expanded) return { type: "collapse", row };
      const parent = rows.findIndex((r) => r.type === "node" && r.key === row.parentKey);
      return parent >= 0 ? move(parent) : null;
    }
    case " ":
      return row.type === "node" ? { type: "check", row, range: shiftKey } : null;
    case "Enter":
      return row.type === "node" ? { type: "activate", row } : row.failed ? { type: "retry", row } : null;
    default:
      return null;
  }
}
