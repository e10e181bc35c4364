import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { DeviceDto } from "@/lib/schemas/device";
import type { ChildrenPageDto, NodeKind, RootsPageDto, TreeNodeDto } from "@/lib/schemas/device-tree";
import {
  topicResource,
  type LiveDevice,
  type LiveEvent,
  type LiveResource,
  type LiveTopic,
} from "@/lib/schemas/events";
import { bulkKeys, childOf } from "../bulk-operations";
import { deviceKeys } from "../device";
import { deviceTreeKeys } from "../device-tree";
import { applyOperationDeleted, applyOperationEvent, operationKeys, resyncOperations } from "../operations";
import { registrationKeys } from "../registrations";
import type { BulkCoalescer } from "./bulk-coalescer";

/**
 * Live events → the React Query cache (docs/style.md rule 10: patch or invalidate, never a second store). What each
 * event does is decided here, using each resource's own key factory and patch helpers:
 *
 * | event | cache |
 * | --- | --- |
 * | `operation.created` / `.updated` | `applyOperationEvent` (lib/queries/operations.ts) replaces cached copies with the event's DTO |
 * | `operation.deleted` | `applyOperationDeleted` |
 * | `device.created` | the tree's roots and searches are refetched (the object may be a new root) |
 * | `device.updated` | the object's tree rows are patched (name, type, kind, connection); its detail is refetched unless the cache already has that version and connection; its children, paths, the roots, searches and connection lists are refetched |
 * | `device.deleted` | the object's queries are refetched (they show "not found"), and the whole tree |
 * | `registration.changed` | every registration query is refetched |
 * | `bulkOperation.*`, and operations with a `bulkOperationId` | coalesced (`BulkCoalescer`): cached copies replaced a few times a second, refetched once events stop |
 * | `resync` | every query of the resources the topics feed is refetched |
 *
 * Refetches are collected and sent together (`InvalidationBatch`), so a burst of events costs one refetch per
 * query, not one per event.
 */

/** Root keys per resource: what a resync refetches, and what freshness indicators look at. */
export const RESOURCE_KEYS: Record<LiveResource, readonly QueryKey[]> = {
  operations: [operationKeys.all],
  devices: [deviceTreeKeys.all, deviceKeys.all],
  registrations: [registrationKeys.all],
  bulkOperations: [bulkKeys.all],
};

/** Collects keys to invalidate and flushes them once per window. */
export class InvalidationBatch {
  private readonly keys = new Map<string, QueryKey>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly windowMs = 250,
  ) {}

  add(key: QueryKey): void {
    this.keys.set(JSON.stringify(key), key);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const keys = [...this.keys.values()];
    this.keys.clear();
    for (const queryKey of keys) void this.queryClient.invalidateQueries({ queryKey });
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.keys.clear();
  }
}

const kindOf = (d: LiveDevice): NodeKind =>
  d.isGroup ? "group" : d.isAgent ? "agent" : d.isDevice ? "device" : "asset";

/** The tree rows showing `device`, brought up to its new name, type and kind. */
function patchTreeRows(queryClient: QueryClient, device: LiveDevice) {
  const patch = (node: TreeNodeDto): TreeNodeDto =>
    node.id === device.id
      ? { ...node, name: device.name, type: device.type, kind: kindOf(device), connection: device.connection }
      : node;
  const patchItems = <T extends { items: TreeNodeDto[] }>(page: T): T =>
    page.items.some((n) => n.id === device.id) ? { ...page, items: page.items.map(patch) } : page;
  queryClient.setQueriesData<InfiniteData<RootsPageDto>>({ queryKey: deviceTreeKeys.roots() }, (data) =>
    data ? { ...data, pages: data.pages.map(patchItems) } : data,
  );
  for (const [key, data] of queryClient.getQueriesData<ChildrenPageDto>({ queryKey: deviceTreeKeys.all })) {
    if (key[1] !== "children" || !data || !Array.isArray((data as Partial<ChildrenPageDto>).items)) continue;
    const next = patchItems(data);
    if (next !== data) queryClient.setQueryData(key, next);
  }
}

/** Applies one validated event to the cache. */
export function applyLiveEvent(
  queryClient: QueryClient,
  event: LiveEvent,
  batch: InvalidationBatch,
  bulk?: BulkCoalescer,
): void {
  switch (event.type) {
    case "operation.created":
    case "operation.updated": {
      const op = event.data.operation;
      applyOperationEvent(queryClient, op);
      if (op.bulkOperationId !== null) bulk?.child(String(op.bulkOperationId), childOf(op));
      return;
    }
    case "bulkOperation.created":
    case "bulkOperation.updated":
      bulk?.bulk(event.data.bulkOperation, event.type === "bulkOperation.created");
      return;
    case "bulkOperation.deleted":
      bulk?.cancelled(event.data.id);
      return;
    case "operation.deleted":
      applyOperationDeleted(queryClient, event.data.id);
      return;
    case "device.created":
      batch.add(deviceTreeKeys.roots());
      batch.add([...deviceTreeKeys.all, "search"]);
      batch.add(deviceTreeKeys.connectionLists());
      return;
    case "device.updated": {
      const { device } = event.data;
      patchTreeRows(queryClient, device);
      const cached = queryClient.getQueryData<DeviceDto>(deviceKeys.detail(device.id));
      // The operator's own save already put this version into the cache: nothing to fetch. The platform's own
      // presence writes do not move lastUpdated (docs/emulator-presence.md), so a new connection state counts too.
      if (
        !cached ||
        cached.lastUpdated !== device.lastUpdated ||
        JSON.stringify(cached.connection) !== JSON.stringify(device.connection)
      )
        batch.add(deviceKeys.one(device.id));
      batch.add(deviceTreeKeys.childrenOf(device.id));
      batch.add(deviceTreeKeys.paths(device.id));
      batch.add(deviceTreeKeys.roots());
      batch.add([...deviceTreeKeys.all, "search"]);
      batch.add(deviceTreeKeys.connectionLists());
      return;
    }
    case "device.deleted":
      batch.add(deviceKeys.one(event.data.id));
      batch.add(deviceTreeKeys.all);
      return;
    case "registration.changed":
      batch.add(registrationKeys.all);
      return;
    case "resync":
      // What is pending was read before the gap: write it first, so the refetch lands on top.
      bulk?.flush();
      resync(queryClient, event.data.topics, batch);
      return;
    case "upstream.changed":
    case "session.ended":
      // Connection state, handled by the connection itself.
      return;
  }
}

/** The resource a query key belongs to, by its root. */
export function resourceOfKey(key: QueryKey): LiveResource | undefined {
  for (const [resource, roots] of Object.entries(RESOURCE_KEYS) as [LiveResource, readonly QueryKey[]][])
    if (roots.some((root) => root[0] === key[0])) return resource;
  return undefined;
}

/**
 * Data a server page prefetched can reach the cache after the stream went live (Next streams a page's payload
 * after its loading state; the stream opens on the path change). Such data was read before the subscription
 * existed and the `resync` that would have refreshed it came too early, so it is refetched once on arrival.
 * Queries the tab fetches itself arrive empty and are not concerned.
 */
export function watchLateData(
  queryClient: QueryClient,
  isLive: (resource: LiveResource) => boolean,
  batch: InvalidationBatch,
): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    const arrived =
      (event.type === "added" && event.query.state.data !== undefined) ||
      (event.type === "updated" && event.action.type === "setState");
    if (!arrived) return;
    const key = event.query.queryKey as QueryKey;
    const resource = resourceOfKey(key);
    if (resource && isLive(resource)) batch.add(key);
  });
}

/** Everything the topics feed may be out of date: refetch it. */
export function resync(
  queryClient: QueryClient,
  topics: readonly LiveTopic[],
  batch: InvalidationBatch,
): void {
  const resources = new Set(topics.map(topicResource));
  for (const resource of resources) {
    if (resource === "operations") void resyncOperations(queryClient);
    else for (const key of RESOURCE_KEYS[resource]) batch.add(key);
  }
  batch.flush();
}
