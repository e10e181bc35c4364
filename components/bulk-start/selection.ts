import type { TreeNodeDto } from "@/lib/schemas/device-tree";

/** A row that can be chosen for a bulk operation: devices and agents, not groups or other assets. */
export const isCheckable = (node: Pick<TreeNodeDto, "kind">) =>
  node.kind === "device" || node.kind === "agent";

/**
 * The checkable nodes of the rows from one index to the other, both included, in either direction (Shift-click
 * and Shift+Space). Placeholders and groups in between are skipped.
 */
export function checkableBetween<R extends { type: string; node?: TreeNodeDto }>(
  rows: readonly R[],
  from: number,
  to: number,
): TreeNodeDto[] {
  const [a, b] = from <= to ? [from, to] : [to, from];
  const out: TreeNodeDto[] = [];
  for (let i = Math.max(0, a); i <= Math.min(rows.length - 1, b); i++) {
    const node = rows[i]?.node;
    if (rows[i]?.type === "node" && node && isCheckable(node)) out.push(node);
  }
  return out;
}
