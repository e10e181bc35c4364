"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { ROOT_KEY, ancestorKeys, isBelow, keyOf, lastIdOf, parseTreeUrl, treeUrlSearch } from "./tree-paths";

/**
 * Which positions are expanded and which is selected, mirrored into the address bar (?sel=&open=) with
 * history.replaceState: shareable and reload-proof, without a navigation (or a server render) per arrow key.
 * `pins` holds nodes a search or link revealed before their page was loaded.
 */
export function useTreeState() {
  const searchParams = useSearchParams();
  const [initial] = useState(() => parseTreeUrl(new URLSearchParams(searchParams.toString())));
  const [selected, setSelected] = useState<string | null>(initial.selected);
  const [expanded, setExpanded] = useState<string[]>(initial.expanded);
  const [pins, setPins] = useState<ReadonlyMap<string, TreeNodeDto>>(new Map());

  useEffect(() => {
    const search = treeUrlSearch(new URLSearchParams(window.location.search), { selected, expanded });
    if (search !== window.location.search)
      window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [selected, expanded]);

  const expandedSet = useMemo(() => new Set(expanded), [expanded]);
  const expandedIds = useMemo(() => new Set(expanded.map(lastIdOf)), [expanded]);

  const toggle = useCallback((key: string, open: boolean) => {
    setExpanded((prev) =>
      open ? (prev.includes(key) ? prev : [...prev, key]) : prev.filter((k) => k !== key && !isBelow(k, key)),
    );
    // Closing a node that holds the selection moves the selection up to it (ARIA tree pattern).
    if (!open) setSelected((sel) => (sel !== null && isBelow(sel, key) ? key : sel));
  }, []);

  /** Selects the end of a path of nodes (root first), opening and pinning everything on the way. */
  const reveal = useCallback((path: readonly TreeNodeDto[]) => {
    if (path.length === 0) return;
    const key = keyOf(path.map((n) => n.id));
    setPins(() => {
      const next = new Map<string, TreeNodeDto>();
      path.forEach((node, i) =>
        next.set(i === 0 ? ROOT_KEY : keyOf(path.slice(0, i).map((n) => n.id)), node),
      );
      return next;
    });
    setExpanded((prev) => [...new Set([...prev, ...ancestorKeys(key)])]);
    setSelected(key);
  }, []);

  return { selected, select: setSelected, expanded: expandedSet, expandedIds, toggle, pins, reveal };
}
