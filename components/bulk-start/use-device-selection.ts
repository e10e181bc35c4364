"use client";

import { useCallback, useMemo, useState } from "react";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";

/**
 * Devices chosen in the tree for a bulk operation, by id: the same device under two parents is one choice. Kept
 * in the order they were chosen.
 */
export function useDeviceSelection() {
  const [chosen, setChosen] = useState<ReadonlyMap<string, TreeNodeDto>>(new Map());
  /** Sets these nodes on or off. */
  const set = useCallback((nodes: readonly TreeNodeDto[], on: boolean) => {
    setChosen((prev) => {
      const next = new Map(prev);
      for (const node of nodes) {
        if (on) next.set(node.id, node);
        else next.delete(node.id);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => setChosen(new Map()), []);
  const ids = useMemo(() => new Set(chosen.keys()), [chosen]);
  return { ids, nodes: [...chosen.values()], size: chosen.size, set, clear };
}
export type DeviceSelection = ReturnType<typeof useDeviceSelection>;
