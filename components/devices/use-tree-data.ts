"use client";

import { useInfiniteQuery, useQueries, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { TREE_PAGE_SIZE, deviceTreeKeys, deviceTreeQueries } from "@/lib/queries/device-tree";
import type { ChildRelation, ChildrenPageDto } from "@/lib/schemas/device-tree";
import { childPagesKey, type ChildPages, type PageRequest, type TreeData } from "./flatten-tree";

interface PageRef {
  id: string;
  rel: ChildRelation;
  page: number;
}
const refKey = (r: PageRef) => `${r.id}|${r.rel}|${r.page}`;

type Loaded = Map<
  string,
  ChildPages & { pages: Map<number, { items: ChildrenPageDto["items"]; hasMore: boolean }> }
>;

/**
 * The tree's data: the roots (page after page, as the operator scrolls) and the child pages rows have asked for.
 * Pages are requested by the rows that need them (placeholders scrolled into view), and observed only while
 * their parent is expanded somewhere, so a collapsed subtree costs nothing when the tree is refreshed.
 */
export function useTreeData(expandedIds: ReadonlySet<string>) {
  const queryClient = useQueryClient();
  const roots = useInfiniteQuery(deviceTreeQueries.roots());
  const [wanted, setWanted] = useState<PageRef[]>([]);
  const observed = useMemo(() => wanted.filter((w) => expandedIds.has(w.id)), [wanted, expandedIds]);

  const combine = useCallback(
    (results: UseQueryResult<ChildrenPageDto>[]) => {
      const loaded: Loaded = new Map();
      results.forEach((result, i) => {
        const ref = observed[i];
        if (!ref) return;
        const key = childPagesKey(ref.id, ref.rel);
        let entry = loaded.get(key);
        if (!entry) loaded.set(key, (entry = { total: null, pages: new Map(), failed: new Set() }));
        if (result.data) {
          entry.pages.set(ref.page, { items: result.data.items, hasMore: result.data.hasMore });
          if (ref.page === 1) entry.total = result.data.total;
        } else if (result.isError) (entry.failed as Set<number>).add(ref.page);
      });
      return loaded;
    },
    [observed],
  );
  const children = useQueries({
    queries: observed.map((r) => deviceTreeQueries.childPage(r.id, r.rel, r.page)),
    combine,
  });

  const { hasNextPage, isFetchingNextPage, isPending, isError, fetchNextPage, refetch } = roots;
  const request = useCallback(
    (requests: PageRequest[]) => {
      const refs: PageRef[] = [];
      for (const r of requests) {
        if (r.scope === "roots") {
          if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
        } else refs.push({ id: r.id, rel: r.rel, page: r.page });
      }
      if (refs.length === 0) return;
      setWanted((prev) => {
        const known = new Set(prev.map(refKey));
        const fresh = refs.filter((r) => !known.has(refKey(r)) && known.add(refKey(r)));
        return fresh.length === 0 ? prev : [...prev, ...fresh];
      });
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage],
  );

  const retry = useCallback(
    (r: PageRequest) => {
      if (r.scope === "roots") void fetchNextPage();
      else void queryClient.refetchQueries({ queryKey: deviceTreeKeys.childPage(r.id, r.rel, r.page) });
    },
    [fetchNextPage, queryClient],
  );

  const rootPages = roots.data?.pages;
  const data: TreeData = useMemo(
    () => ({
      roots: {
        items: rootPages?.flatMap((p) => p.items) ?? [],
        hasMore: isPending || hasNextPage,
        failed: isError,
      },
      children: (id, rel) => children.get(childPagesKey(id, rel)),
      pageSize: TREE_PAGE_SIZE,
    }),
    [rootPages, isPending, hasNextPage, isError, children],
  );
  const refetchRoots = useCallback(() => void refetch(), [refetch]);
  return { data, request, retry, refetchRoots, rootsError: roots.error, rootsLoaded: !isPending };
}
