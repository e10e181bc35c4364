// POST /api/bulk-operations and /api/bulk-operations/dry-run against a real emulator: every target kind, the
// hidden group, the counts, and bad input that must leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as dryRun } from "@/app/api/bulk-operations/dry-run/route";
import { POST as create } from "@/app/api/bulk-operations/route";
import { searchResultsQuery, selectionQuery } from "@/lib/schemas/bulk-create";
import { RawClient } from "../../../emulator/platform/realtime/__tests__/support.js";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;
const listeners: RawClient[] = [];

const RESTART = { description: "Restart device", c8y_Restart: {} };
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

const start = (body: unknown) => call(create, "/api/bulk-operations", { body, cookie });
const count = (body: unknown) => call(dryRun, "/api/bulk-operations/dry-run", { body, cookie });

interface DeviceSpec {
  name: string;
  supports?: string[];
  /** Monitored (c8y_RequiredAvailability) and subscribed for operations: CONNECTED. */
  connected?: boolean;
  /** Monitored but nobody listens: DISCONNECTED. */
  monitored?: boolean;
}

async function device(spec: DeviceSpec): Promise<string> {
  const id = await createObject(p, {
    name: spec.name,
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    ...(spec.supports ? { c8y_SupportedOperations: spec.supports } : {}),
  });
  if (spec.connected || spec.monitored) {
    // The inventory PUT that switches monitoring on; c8y_Connection itself is the platform's (read-only).
    const res = await p.request(`/inventory/managedObjects/${id}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ c8y_RequiredAvailability: { responseInterval: 10 } }),
    });
    expect(res.status).toBe(200);
  }
  if (spec.connected) {
    // A push connection on the operations endpoint is what makes a device CONNECTED (docs/emulator-presence.md).
    const c = new RawClient(p, "/notification/operations");
    expect(await c.handshake({ advice: { interval: 600_000 } })).toMatchObject({ successful: true });
    expect(await c.subscribe(`/${id}`)).toMatchObject({ successful: true });
    listeners.push(c);
  }
  return id;
}

// Platform answers are read freely; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function getJson(path: string): Promise<Json> {
  const res = await p.request(path, { headers: { accept: "application/json" } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

/** The devices the bulk operation's single operations went to, once all of them exist. */
async function childDevices(bulkId: string, expected: number): Promise<string[]> {
  let ids: string[] = [];
  await expect
    .poll(async () => {
      const page = await getJson(`/devicecontrol/operations?bulkOperationId=${bulkId}&pageSize=2000`);
      ids = (page.operations as { deviceId: string }[]).map((o) => o.deviceId);
      return ids.length;
    })
    .toBe(expected);
  return ids.sort();
}

/** What a bad request must not change: the number of managed objects and of bulk operations. */
async function snapshot() {
  const objects = await (await p.request("/inventory/managedObjects/count")).text();
  const bulk = await getJson("/devicecontrol/bulkoperations?pageSize=1&withTotalPages=true&withDeleted=true");
  return { objects, bulk: bulk.statistics.totalPages as number };
}

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
});
afterAll(() => p.close());

describe("POST /api/bulk-operations", () => {
  it("turns selected devices into a hidden dynamic group whose bulk operation reaches exactly them", async () => {
    const picked = [
      await device({ name: "sel-a", supports: ["c8y_Restart"] }),
      await device({ name: "sel-b" }),
      await device({ name: "sel-c" }),
    ];
    await device({ name: "sel-not-picked" });
    const a = await start({
      target: { deviceIds: picked },
      operation: RESTART,
      creationRamp: 0.001,
      note: "Weekly restart",
    });
    expect(a.status).toBe(201);
    const bulk = await getJson(`/devicecontrol/bulkoperations/${a.json.id}`);
    expect(bulk).toMatchObject({
      operationPrototype: RESTART,
      creationRamp: 0.001,
      note: "Weekly restart",
      progress: { all: 3 },
    });
    const group = await getJson(`/inventory/managedObjects/${bulk.groupId}`);
    expect(group).toMatchObject({
      name: "Bulk operations group",
      type: "c8y_DynamicGroup",
      c8y_IsDynamicGroup: { invisible: {} },
      c8y_DeviceQueryString: selectionQuery(picked),
    });
    expect(await childDevices(a.json.id, 3)).toEqual(sorted(picked));
  });

  it("targets a group directly: its asset hierarchy, not the child devices of its devices", async () => {
    const group = await createObject(p, { name: "Site", type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} });
    const sub = await createObject(p, { name: "Floor", type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} });
    const gw = await device({ name: "grp-gw", supports: ["c8y_Restart"] });
    const inSub = await device({ name: "grp-sub" });
    const child = await createObject(p, { name: "grp-child", c8y_IsDevice: {} });
    const link = (parent: string, kind: string, id: string) =>
      p.request(`/inventory/managedObjects/${parent}/${kind}`, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ managedObject: { id } }),
      });
    expect((await link(group, "childAssets", sub)).status).toBe(201);
    expect((await link(group, "childAssets", gw)).status).toBe(201);
    expect((await link(sub, "childAssets", inSub)).status).toBe(201);
    expect((await link(gw, "childDevices", child)).status).toBe(201);

    const counted = await count({ target: { groupId: group }, operation: RESTART });
    expect(counted.status).toBe(200);
    expect(counted.json).toEqual({ devices: 2, connected: 0, supporting: 1 });

    const a = await start({ target: { groupId: group }, operation: RESTART, creationRamp: 0.001 });
    expect(a.status).toBe(201);
    const bulk = await getJson(`/devicecontrol/bulkoperations/${a.json.id}`);
    expect(bulk.groupId).toBe(group);
    expect(bulk.progress.all).toBe(counted.json.devices);
    expect(await childDevices(a.json.id, 2)).toEqual(sorted([gw, inSub]));
  });

  it("runs on search results through a hidden group holding the search's query", async () => {
    const hits = [await device({ name: "Pump QX-1" }), await device({ name: "pump qx-2" })];
    const byId = await device({ name: "Valve 9" });
    await device({ name: "Pump QY-3" });
    const query = searchResultsQuery("qx", [byId]);
    const counted = await count({ target: { query }, operation: RESTART });
    expect(counted.json).toEqual({ devices: 3, connected: 0, supporting: 0 });
    const a = await start({ target: { query }, operation: RESTART, creationRamp: 0.001 });
    expect(a.status).toBe(201);
    const bulk = await getJson(`/devicecontrol/bulkoperations/${a.json.id}`);
    const group = await getJson(`/inventory/managedObjects/${bulk.groupId}`);
    expect(group).toMatchObject({ type: "c8y_DynamicGroup", c8y_DeviceQueryString: query });
    expect(await childDevices(a.json.id, 3)).toEqual(sorted([...hits, byId]));
  });

  it("retries the failed ones with failedParentId and the parent's operation", async () => {
    const ids = [
      await device({ name: "retry-a" }),
      await device({ name: "retry-b" }),
      await device({ name: "retry-c" }),
    ];
    const parent = await start({ target: { deviceIds: ids }, operation: RESTART, creationRamp: 0.001 });
    expect(parent.status).toBe(201);
    await childDevices(parent.json.id, 3);
    const ops = (await getJson(`/devicecontrol/operations?bulkOperationId=${parent.json.id}&pageSize=10`))
      .operations as { id: string; deviceId: string }[];
    const failed = ops.filter((o) => o.deviceId !== ids[0]);
    for (const op of failed) {
      const res = await p.request(`/devicecontrol/operations/${op.id}`, {
        method: "PUT",
        headers: JSON_HEADERS,
        body: JSON.stringify({ status: "FAILED", failureReason: "test" }),
      });
      expect(res.status).toBe(200);
    }
    const counted = await count({ target: { failedParentId: parent.json.id } });
    expect(counted.json).toEqual({ devices: 2, connected: 0, supporting: 0 });
    const retry = await start({ target: { failedParentId: parent.json.id }, creationRamp: 0.001 });
    expect(retry.status).toBe(201);
    const bulk = await getJson(`/devicecontrol/bulkoperations/${retry.json.id}`);
    expect(bulk).toMatchObject({ failedParentId: parent.json.id, operationPrototype: RESTART });
    expect(bulk.groupId).toBeUndefined();
    expect(await childDevices(retry.json.id, 2)).toEqual(sorted(failed.map((o) => o.deviceId)));
  });
});

describe("POST /api/bulk-operations/dry-run", () => {
  it("counts devices, connected and supporting ones as the platform has them", async () => {
    const fleet = [
      await device({ name: "mix-1", supports: ["c8y_Restart", "c8y_Command"], connected: true }),
      await device({ name: "mix-2", supports: ["c8y_Restart"], monitored: true }),
      await device({ name: "mix-3", supports: ["c8y_Command"], connected: true }),
      await device({ name: "mix-4" }),
    ];
    // What the platform says about each device, read one by one here only to check the counts.
    const objects = await Promise.all(fleet.map((id) => getJson(`/inventory/managedObjects/${id}`)));
    const connected = objects.filter((o) => o.c8y_Connection?.status === "CONNECTED").length;
    const restart = objects.filter((o) => (o.c8y_SupportedOperations ?? []).includes("c8y_Restart")).length;
    expect(connected).toBe(2);

    const a = await count({ target: { deviceIds: fleet }, operation: RESTART });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ devices: 4, connected, supporting: restart });
    const shell = await count({
      target: { deviceIds: fleet },
      operation: { description: "ls", c8y_Command: { text: "ls" } },
      startDate: "ignored here",
    });
    expect(shell.json).toEqual({ devices: 4, connected: 2, supporting: 2 });
  });

  it("refuses a group id that is a device, naming the target", async () => {
    const lone = await device({ name: "not-a-group" });
    const a = await count({ target: { groupId: lone }, operation: RESTART });
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty("target");
  });
});

describe("bad input", () => {
  let some: string;
  beforeAll(async () => {
    some = await device({ name: "bad-input" });
  });

  it.each([
    ["no target", () => ({ operation: RESTART })],
    ["two targets", () => ({ target: { deviceIds: [some], groupId: some }, operation: RESTART })],
    ["empty ids", () => ({ target: { deviceIds: [] }, operation: RESTART })],
    ["a bad id", () => ({ target: { deviceIds: ["../x"] }, operation: RESTART })],
    ["a bad date", () => ({ target: { deviceIds: [some] }, operation: RESTART, startDate: "2026-02-30" })],
    [
      "a date without zone",
      () => ({ target: { deviceIds: [some] }, operation: RESTART, startDate: "2026-05-01T10:00:00" }),
    ],
    ["a ramp of 0", () => ({ target: { deviceIds: [some] }, operation: RESTART, creationRamp: 0 })],
    [
      "a ramp over an hour",
      () => ({ target: { deviceIds: [some] }, operation: RESTART, creationRamp: 3600.5 }),
    ],
    ["a ramp as text", () => ({ target: { deviceIds: [some] }, operation: RESTART, creationRamp: "1" })],
    ["no operation", () => ({ target: { deviceIds: [some] } })],
    ["a description only", () => ({ target: { deviceIds: [some] }, operation: { description: "x" } })],
    [
      "a platform field",
      () => ({ target: { deviceIds: [some] }, operation: { ...RESTART, status: "PENDING" } }),
    ],
    [
      "too many devices",
      () => ({
        target: { deviceIds: Array.from({ length: 251 }, (_, i) => String(i + 1)) },
        operation: RESTART,
      }),
    ],
  ])("%s → 422 invalid_input, nothing created", async (_name, body) => {
    const before = await snapshot();
    const a = await start(body());
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(Object.keys(a.json.error.fields ?? {}).length).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 400 for a body that is not JSON, and 403 without the console header", async () => {
    const before = await snapshot();
    expect((await start("{not json")).status).toBe(400);
    const cross = await call(create, "/api/bulk-operations", {
      body: { target: { deviceIds: [some] }, operation: RESTART },
      cookie,
      csrf: false,
    });
    expect(cross.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("a platform refusal names its field and leaves no hidden group behind", async () => {
    const before = await snapshot();
    // Ids that exist nowhere: the hidden group selects no device, the platform refuses the bulk operation.
    const a = await start({ target: { deviceIds: ["99999991", "99999992"] }, operation: RESTART });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("upstream_rejected");
    expect(a.json.error.fields).toHaveProperty("target");
    expect(a.json.details).toEqual({ field: "target" });
    expect(await snapshot()).toEqual(before);

    const notGroup = await start({ target: { groupId: some }, operation: RESTART });
    expect(notGroup.status).toBe(422);
    expect(notGroup.json.details).toEqual({ field: "target" });
    const unknownParent = await start({ target: { failedParentId: "99999" } });
    expect(unknownParent.status).toBe(422);
    expect(unknownParent.json.error.fields).toHaveProperty("target");
    expect(await snapshot()).toEqual(before);
  });
});
