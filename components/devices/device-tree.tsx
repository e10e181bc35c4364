"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from "react";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { checkableBetween, isCheckable } from "@/components/bulk-start/selection";
import type { NodeRow, PageRequest, TreeRow as Row } from "./flatten-tree";
import { treeKeyAction } from "./tree-keys";
import { ROW_HEIGHT, TreeRow } from "./tree-row";

export interface DeviceTreeProps {
  rows: Row[];
  selectedKey: string | null;
  /** Changes when the view wants the selected row scrolled into sight (after a search jump). */
  revealTick: number;
  treeRef: Ref<HTMLDivElement>;
  onSelect: (row: NodeRow) => void;
  onToggle: (row: NodeRow, open: boolean) => void;
  onActivate: (row: NodeRow) => void;
  onNeedPages: (requests: PageRequest[]) => void;
  onRetry: (request: PageRequest) => void;
  /** Device ids checked for a bulk operation. */
  checked: ReadonlySet<string>;
  /** Checks (or unchecks) devices: a row's checkbox, Space, or a Shift range. */
  onCheck: (nodes: TreeNodeDto[], on: boolean) => void;
}

/** Rows drawn beyond the visible ones, so a quick scroll does not show blank space. */
const OVERSCAN = 8;

/**
 * The tree, virtualised: only the rows in sight (plus a few) exist in the DOM, whatever the number of nodes.
 * Focus stays on the tree element; the active row is named with aria-activedescendant and kept in view.
 */
export function DeviceTree(props: DeviceTreeProps) {
  const { rows, selectedKey, revealTick, onSelect, onNeedPages } = props;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const baseId = useId();
  const [activeSlot, setActiveSlot] = useState<string | null>(null);
  const [pendingSlot, setPendingSlot] = useState<string | null>(null);
  /** The row last checked or unchecked: where a Shift range starts. */
  const [anchorSlot, setAnchorSlot] = useState<string | null>(null);
  // The virtualizer's methods are read fresh each render here, never memoised, which is what the rule warns about.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (i) => rows[i]?.slot ?? i,
  });
  const items = virtualizer.getVirtualItems();

  let activeIndex = activeSlot === null ? -1 : rows.findIndex((r) => r.slot === activeSlot);
  if (activeIndex < 0 && selectedKey !== null)
    activeIndex = rows.findIndex((r) => r.type === "node" && r.key === selectedKey);
  const rowId = (i: number) => `${baseId}-row-${i}`;
  const activeRendered = items.some((v) => v.index === activeIndex);

  // Placeholders in sight ask for their page; one effect run per distinct set.
  const needed = items.map((v) => rows[v.index]).filter((r) => r?.type === "placeholder" && !r.failed);
  const neededKey = needed.map((r) => r?.key).join(",");
  useEffect(() => {
    if (needed.length > 0)
      onNeedPages(needed.map((r) => (r as Extract<Row, { type: "placeholder" }>).request));
    // `needed` is summarised by neededKey; it is a fresh array every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [neededKey, onNeedPages]);

  // A placeholder the keyboard landed on becomes the selection once its node has arrived.
  const pendingRow = pendingSlot === null ? undefined : rows.find((r) => r.slot === pendingSlot);
  useEffect(() => {
    if (pendingRow?.type !== "node") return;
    setPendingSlot(null);
    onSelect(pendingRow);
  }, [pendingRow, onSelect]);

  // A jump from search: make the selected row the active one and bring it into view.
  useEffect(() => {
    if (revealTick === 0) return;
    setActiveSlot(null);
    const index = rows.findIndex((r) => r.type === "node" && r.key === selectedKey);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
    // Runs per jump; the rows it needs exist by then (the revealed path is pinned).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealTick]);

  const moveTo = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setActiveSlot(row.slot);
    virtualizer.scrollToIndex(index, { align: "auto" });
    if (row.type === "node") {
      setPendingSlot(null);
      onSelect(row);
    } else setPendingSlot(row.slot);
  };

  /** A click on a checkbox or Space toggles the row; with Shift, every device since the anchor gets checked. */
  const check = (index: number, range: boolean) => {
    const row = rows[index];
    if (row?.type !== "node") return;
    const anchor = anchorSlot === null ? -1 : rows.findIndex((r) => r.slot === anchorSlot);
    if (range && anchor >= 0) props.onCheck(checkableBetween(rows, anchor, index), true);
    else if (isCheckable(row.node)) props.onCheck([row.node], !props.checked.has(row.node.id));
    else return;
    setAnchorSlot(row.slot);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const action = treeKeyAction(event.key, rows, activeIndex, pageRows, event.shiftKey);
    if (!action) return;
    event.preventDefault();
    if (action.type === "check") check(activeIndex, action.range);
    else if (action.type === "move") moveTo(action.index);
    else if (action.type === "expand") props.onToggle(action.row, true);
    else if (action.type === "collapse") props.onToggle(action.row, false);
    else if (action.type === "activate") props.onActivate(action.row);
    else props.onRetry(action.row.request);
  };

  const setRefs = (el: HTMLDivElement | null) => {
    scrollRef.current = el;
    const { treeRef } = props;
    if (typeof treeRef === "function") treeRef(el);
    else if (treeRef) treeRef.current = el;
  };

  return (
    <div
      ref={setRefs}
      role="tree"
      aria-label="Device hierarchy"
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 && activeRendered ? rowId(activeIndex) : undefined}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        // Focus coming into a tree with nothing active lands on the first row (ARIA tree pattern).
        if (e.target === e.currentTarget && activeIndex < 0 && rows[0]) setActiveSlot(rows[0].slot);
      }}
      className="group relative max-h-[min(70vh,44rem)] min-h-48 overflow-auto focus:outline-none"
    >
      <div role="none" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          const row = rows[v.index]!;
          return (
            <TreeRow
              key={v.key}
              row={row}
              id={rowId(v.index)}
              active={v.index === activeIndex}
              selected={row.type === "node" && row.key === selectedKey}
              checked={row.type === "node" && props.checked.has(row.node.id)}
              style={{ transform: `translateY(${v.start}px)` }}
              onCheck={(shift) => {
                check(v.index, shift);
                scrollRef.current?.focus({ preventScroll: true });
              }}
              onClick={(shift) => {
                if (shift) check(v.index, true);
                moveTo(v.index);
                if (row.type === "placeholder" && row.failed) props.onRetry(row.request);
                scrollRef.current?.focus({ preventScroll: true });
              }}
              onToggle={() => row.type === "node" && props.onToggle(row, !row.expanded)}
              onActivate={() => row.type === "node" && props.onActivate(row)}
            />
          );
        })}
      </div>
    </div>
  );
}
