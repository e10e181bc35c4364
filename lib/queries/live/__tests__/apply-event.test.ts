import { QueryClient, dehydrate, hydrate } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeviceDto } from "@/lib/schemas/device";
import type { ChildrenPageDto, TreeNodeDto } from "@/lib/schemas/device-tree";
import type { LiveDevice, LiveEvent } from "@/lib/schemas/events";
import type { OperationDetailDto } from "@/lib/schemas/operations";
import { deviceKeys } from "../../device";
import { deviceTreeKeys } from "../../device-tree";
import { operationKeys } from "../../operations";
import { registrationKeys } from "../../registrations";
import { InvalidationBatch, applyLiveEvent, watchLateData } from "../apply-event";
import { operation } from "./fake-event-source";

let queryClient: QueryClient;
let batch: InvalidationBatch;

beforeEach(() => {
  vi.useFakeTimers();
  queryClient = new QueryClient();
  batch = new InvalidationBatch(queryClient, 250);
});
afterEach(() => {
  batch.cancel();
  queryClient.clear();
  vi.useRealTimers();
});

const apply = (event: LiveEvent) => applyLiveEvent(queryClient, event, batch);
const invalidated = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated;

const node = (id: string, name: string): TreeNodeDto => ({
  id,
  name,
  kind: "device",
  type: "c8y_Pump",
  childCount: 0,
  supportedOperations: [],
  hardwareModel: null,
  connection: null,
});
const live = (patch: Partial<LiveDevice> = {}): LiveDevice => ({
  id: "42",
  name: "Pump 2",
  type: "c8y_Pump",
  owner: "admin",
  lastUpdated: "2030-01-01T00:00:05.000Z",
  isDevice: true,
  isGroup: false,
  isAgent: true,
  connection: null,
  ...patch,
});

describe("registrations", () => {
  it("refetches every registration query once per burst of changes", () => {
    queryClient.setQueryData(registrationKeys.known(), []);
    const spy = vi.spyOn(queryClient, "invalidateQueries");
    const changed: LiveEvent = {
      type: "registration.changed",
      data: { changes: [{ id: "a", status: "PENDING_ACCEPTANCE" }], truncated: false },
    };
    apply(changed);
    apply(changed);
    expect(invalidated(registrationKeys.known())).toBe(false);
    vi.advanceTimersByTime(250);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(invalidated(registrationKeys.known())).toBe(true);
  });
});

describe("devices", () => {
  it("patches the tree rows of an updated object and refetches its detail only when it is behind", () => {
    const page: ChildrenPageDto = {
      items: [node("41", "Valve"), node("42", "Pump")],
      page: 1,
      pageSize: 100,
      total: 2,
      hasMore: false,
    };
    queryClient.setQueryData(deviceTreeKeys.childPage("7", "devices", 1), page);
    queryClient.setQueryData(deviceTreeKeys.roots(), {
      pages: [{ items: [node("42", "Pump")], nextCursor: null }],
      pageParams: [null],
    });
    const detail = { id: "42", lastUpdated: "2030-01-01T00:00:05.000Z", connection: null } as DeviceDto;
    queryClient.setQueryData(deviceKeys.detail("42"), detail);

    apply({ type: "device.updated", data: { device: live() } });
    const patched = queryClient.getQueryData<ChildrenPageDto>(deviceTreeKeys.childPage("7", "devices", 1))!;
    expect(patched.items.map((n) => [n.name, n.kind])).toEqual([
      ["Valve", "device"],
      ["Pump 2", "agent"],
    ]);
    expect(
      queryClient.getQueryData<{ pages: { items: TreeNodeDto[] }[] }>(deviceTreeKeys.roots())!.pages[0]!
        .items[0]!.name,
    ).toBe("Pump 2");
    vi.advanceTimersByTime(250);
    // The cache already holds this version (the operator's own save): no refetch of the detail.
    expect(invalidated(deviceKeys.detail("42"))).toBe(false);

    apply({ type: "device.updated", data: { device: live({ lastUpdated: "2030-01-01T00:00:09.000Z" }) } });
    vi.advanceTimersByTime(250);
    expect(invalidated(deviceKeys.detail("42"))).toBe(true);
  });

  it("patches a new connection state into the tree rows and refetches the detail, though lastUpdated stays", () => {
    queryClient.setQueryData(deviceTreeKeys.childPage("7", "devices", 1), {
      items: [node("42", "Pump")],
      page: 1,
      pageSize: 100,
      total: 1,
      hasMore: false,
    } satisfies ChildrenPageDto);
    const detail = { id: "42", lastUpdated: "2030-01-01T00:00:05.000Z", connection: null } as DeviceDto;
    queryClient.setQueryData(deviceKeys.detail("42"), detail);
    const connection = {
      connection: "DISCONNECTED",
      availability: "AVAILABLE",
      lastMessage: "2030-01-01T00:00:01.000Z",
      responseInterval: 10,
    } as const;
    // The platform's presence write: same lastUpdated, new c8y_Connection (docs/emulator-presence.md).
    apply({ type: "device.updated", data: { device: live({ connection }) } });
    const patched = queryClient.getQueryData<ChildrenPageDto>(deviceTreeKeys.childPage("7", "devices", 1))!;
    expect(patched.items[0]!.connection).toEqual(connection);
    vi.advanceTimersByTime(250);
    expect(invalidated(deviceKeys.detail("42"))).toBe(true);
  });

  it("refetches the tree for new and deleted objects", () => {
    queryClient.setQueryData(deviceTreeKeys.roots(), { pages: [], pageParams: [] });
    queryClient.setQueryData(deviceTreeKeys.childPage("7", "devices", 1), { items: [] });
    apply({ type: "device.created", data: { device: live({ id: "43" }) } });
    vi.advanceTimersByTime(250);
    expect(invalidated(deviceTreeKeys.roots())).toBe(true);
    expect(invalidated(deviceTreeKeys.childPage("7", "devices", 1))).toBe(false);
    apply({ type: "device.deleted", data: { id: "43" } });
    vi.advanceTimersByTime(250);
    expect(invalidated(deviceTreeKeys.childPage("7", "devices", 1))).toBe(true);
  });
});

describe("operations and resync", () => {
  it("replaces a cached operation with the one the event carries", () => {
    queryClient.setQueryData<OperationDetailDto>(operationKeys.detail("7"), {
      operation: operation("7", "PENDING"),
      staleAfter: { PENDING: 300_000, EXECUTING: 600_000 },
    });
    const executing = operation("7", "EXECUTING");
    apply({ type: "operation.updated", data: { operation: executing } });
    expect(queryClient.getQueryData<OperationDetailDto>(operationKeys.detail("7"))!.operation).toEqual(
      executing,
    );
  });

  it("refetches everything the resync's topics feed, at once", () => {
    queryClient.setQueryData(registrationKeys.known(), []);
    queryClient.setQueryData(deviceKeys.detail("42"), {});
    queryClient.setQueryData(operationKeys.detail("7"), {});
    apply({ type: "resync", data: { reason: "gap", topics: ["devices:42", "operations:*"] } });
    expect(invalidated(deviceKeys.detail("42"))).toBe(true);
    expect(invalidated(operationKeys.detail("7"))).toBe(true);
    expect(invalidated(registrationKeys.known())).toBe(false);
  });
});

describe("data that arrives after the stream went live", () => {
  it("refetches server-prefetched data hydrated while its resource is live, once", () => {
    const server = new QueryClient();
    server.setQueryData(deviceTreeKeys.roots(), { pages: [], pageParams: [] });
    server.setQueryData(registrationKeys.known(), []);
    let live = new Set<string>(["devices"]);
    const stop = watchLateData(queryClient, (r) => live.has(r), batch);
    hydrate(queryClient, dehydrate(server));
    vi.advanceTimersByTime(250);
    expect(invalidated(deviceTreeKeys.roots())).toBe(true);
    expect(invalidated(registrationKeys.known())).toBe(false);

    // Queries the tab fetches itself start empty: nothing to do.
    live = new Set(["devices", "registrations"]);
    void queryClient.prefetchQuery({
      queryKey: registrationKeys.lists(),
      queryFn: () => new Promise(() => {}),
    });
    vi.advanceTimersByTime(250);
    expect(invalidated(registrationKeys.lists())).toBe(false);
    stop();
  });
});
