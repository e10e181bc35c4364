import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import {
  childrenPageDtoSchema,
  devicePathsDtoSchema,
  groupListDtoSchema,
  memberResultsSchema,
  rootsPageDtoSchema,
  searchResultDtoSchema,
  connectionListDtoSchema,
  treeNodeDtoSchema,
  type ChildRelation,
  type CreateGroupInput,
  type GroupMembersInput,
  type MemberResult,
  type TreeNodeDto,
} from "@/lib/schemas/device-tree";
import type { ConnectionFilter } from "@/lib/schemas/device";
import { apiFetch } from "./api-client";

/** Rows per request: a screenful several times over, small enough to answer fast at any depth of a long list. */
export const TREE_PAGE_SIZE = 100;
/** Tree data changes rarely under the operator's eyes; group edits invalidate what they touch. */
const TREE_STALE_MS = 60_000;
/** Rows per page of a connection list. */
export const CONNECTION_PAGE_SIZE = 50;

/** Query keys only from here (docs/style.md rule 7); everything a fetcher reads is in its key. */
export const deviceTreeKeys = {
  all: ["device-tree"] as const,
  roots: () => [...deviceTreeKeys.all, "roots", TREE_PAGE_SIZE] as const,
  /** All pages of one object's children (any relation): what a membership change invalidates. */
  childrenOf: (id: string) => [...deviceTreeKeys.all, "children", id] as const,
  childPage: (id: string, rel: ChildRelation, page: number) =>
    [...deviceTreeKeys.childrenOf(id), rel, TREE_PAGE_SIZE, page] as const,
  paths: (id: string) => [...deviceTreeKeys.all, "paths", id] as const,
  search: (q: string) => [...deviceTreeKeys.all, "search", q] as const,
  /** Devices in one presence state (`/devices?connection=…`): what device events refetch. */
  connectionLists: () => [...deviceTreeKeys.all, "connection"] as const,
  connection: (status: ConnectionFilter, page: number) =>
    [...deviceTreeKeys.connectionLists(), status, CONNECTION_PAGE_SIZE, page] as const,
  groups: (search: string) => [...deviceTreeKeys.all, "groups", search] as const,
};

export function fetchRootsPage(cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ pageSize: String(TREE_PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  return apiFetch(`/api/devices/tree/roots?${params.toString()}`, { schema: rootsPageDtoSchema, signal });
}

export function fetchChildPage(id: string, rel: ChildRelation, page: number, signal?: AbortSignal) {
  const params = new URLSearchParams({ rel, page: String(page), pageSize: String(TREE_PAGE_SIZE) });
  return apiFetch(`/api/devices/tree/${encodeURIComponent(id)}/children?${params.toString()}`, {
    schema: childrenPageDtoSchema,
    signal,
  });
}

export function fetchConnectionPage(status: ConnectionFilter, page: number, signal?: AbortSignal) {
  const params = new URLSearchParams({ status, page: String(page), pageSize: String(CONNECTION_PAGE_SIZE) });
  return apiFetch(`/api/devices/connection?${params.toString()}`, {
    schema: connectionListDtoSchema,
    signal,
  });
}

export const deviceTreeQueries = {
  connection: (status: ConnectionFilter, page: number) =>
    queryOptions({
      queryKey: deviceTreeKeys.connection(status, page),
      queryFn: ({ signal }) => fetchConnectionPage(status, page, signal),
      staleTime: 10_000,
    }),
  roots: () =>
    infiniteQueryOptions({
      queryKey: deviceTreeKeys.roots(),
      queryFn: ({ pageParam, signal }) => fetchRootsPage(pageParam, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
      staleTime: TREE_STALE_MS,
    }),
  childPage: (id: string, rel: ChildRelation, page: number) =>
    queryOptions({
      queryKey: deviceTreeKeys.childPage(id, rel, page),
      queryFn: ({ signal }) => fetchChildPage(id, rel, page, signal),
      staleTime: TREE_STALE_MS,
    }),
  paths: (id: string) =>
    queryOptions({
      queryKey: deviceTreeKeys.paths(id),
      queryFn: ({ signal }) =>
        apiFetch(`/api/devices/${encodeURIComponent(id)}/paths`, { schema: devicePathsDtoSchema, signal }),
      staleTime: TREE_STALE_MS,
    }),
  search: (q: string) =>
    queryOptions({
      queryKey: deviceTreeKeys.search(q),
      queryFn: ({ signal }) =>
        apiFetch(`/api/devices/search?${new URLSearchParams({ q }).toString()}`, {
          schema: searchResultDtoSchema,
          signal,
        }),
      staleTime: 10_000,
      enabled: q.trim() !== "",
    }),
  groups: (search: string) =>
    queryOptions({
      queryKey: deviceTreeKeys.groups(search),
      queryFn: ({ signal }) =>
        apiFetch(`/api/groups?${new URLSearchParams({ search }).toString()}`, {
          schema: groupListDtoSchema,
          signal,
        }),
      staleTime: 10_000,
    }),
};

// Mutations (callers invalidate what they touched: deviceTreeKeys.childrenOf(group) and the roots).

export function createGroup(input: CreateGroupInput): Promise<TreeNodeDto> {
  return apiFetch("/api/groups", { method: "POST", body: input, schema: treeNodeDtoSchema });
}

export async function addToGroup(groupId: string, input: GroupMembersInput): Promise<MemberResult[]> {
  return (
    await apiFetch(`/api/groups/${encodeURIComponent(groupId)}/members`, {
      method: "POST",
      body: input,
      schema: memberResultsSchema,
    })
  ).results;
}

export function removeFromGroup(groupId: string, childId: string): Promise<void> {
  return apiFetch<void>(`/api/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(childId)}`, {
    method: "DELETE",
  });
}
