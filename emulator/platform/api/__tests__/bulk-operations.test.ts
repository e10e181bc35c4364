// Bulk operations (docs/emulator-bulk-operations.md) on a hand-driven clock: the API, targets, scheduling and the
// ramp, progress as the children move, retrying the failed ones, cancel, PUT, mark successful, list filters, roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualTime } from "../../../../tests/support/manual-time.js";
import type { TestPlatform } from "../../../../tests/support/platform.js";
import {
  createMo,
  deviceUser,
  errorOf,
  faultyRequest,
  json,
  link,
  recordEvents,
  VENDOR,
  withoutAccept,
} from "../devicecontrol/__tests__/fixtures.js";
import {
  agents,
  auditOf,
  BULK,
  children,
  createBulk,
  dynamicGroup,
  getBulk,
  iso,
  list,
  post,
  put,
  recount,
  RESTART,
  setStatus,
  startBulkPlatform,
  staticGroup,
  type Json,
} from "../bulkoperations/__tests__/support.js";

let p: TestPlatform;
let time: ManualTime;
beforeAll(async () => {
  ({ p, time } = await startBulkPlatform());
});
afterAll(() => p.close());

/** A group of `n` fresh agents; returns the group and the devices. */
async function fleet(n: number, prefix = "dev"): Promise<{ group: string; devices: string[] }> {
  const devices = await agents(p, n, prefix);
  return { group: await staticGroup(p, devices), devices };
}

const progressOf = async (id: string) => (await getBulk(p, id)).progress as Json;
const statusesOf = async (id: string) => {
  const b = await getBulk(p, id);
  return [b.status, b.generalStatus];
};

describe("POST and GET", () => {
  it("creates a SCHEDULED bulk operation with the vendor media type and Location, and reads it back", async () => {
    const { group } = await fleet(3);
    const startDate = iso(time.now() + 60_000);
    const res = await p.request(BULK, {
      method: "POST",
      headers: { "content-type": `${VENDOR}bulkoperation+json`, accept: `${VENDOR}bulkoperation+json` },
      body: JSON.stringify({
        groupId: group,
        startDate,
        creationRamp: 1.5,
        operationPrototype: RESTART,
        note: "Restart the fleet",
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}bulkOperation+json;charset=UTF-8;ver=0.9`);
    const bulk = (await res.json()) as Json;
    expect(bulk).toEqual({
      id: expect.stringMatching(/^\d+$/),
      self: `${p.url}${BULK}/${bulk.id}`,
      groupId: group,
      startDate,
      creationRamp: 1.5,
      operationPrototype: RESTART,
      note: "Restart the fleet",
      status: "ACTIVE",
      generalStatus: "SCHEDULED",
      progress: { pending: 0, executing: 0, successful: 0, failed: 0, all: 3 },
    });
    expect(res.headers.get("location")).toBe(bulk.self);
    expect(await getBulk(p, bulk.id)).toEqual(bulk);
    expect(await children(p, bulk.id)).toEqual([]);
    const [created] = await auditOf(p, bulk.id);
    expect(created).toMatchObject({
      type: "BulkOperation",
      source: { id: bulk.id },
      user: "admin",
      activity: "Bulk operation created",
      text: "Bulk operation created: status='ACTIVE', general status='SCHEDULED', description='Restart device'.",
      changes: [
        { attribute: "status", newValue: "ACTIVE", changeType: "ADDED" },
        { attribute: "generalStatus", newValue: "SCHEDULED", changeType: "ADDED" },
      ],
    });
  });

  it("answers POST and PUT without Accept with an empty body, as the platform does", async () => {
    const { group } = await fleet(1);
    const body = JSON.stringify({
      groupId: group,
      startDate: iso(time.now() + 60_000),
      creationRamp: 1,
      operationPrototype: RESTART,
    });
    const created = await withoutAccept(p, "POST", BULK, body);
    expect(created.status).toBe(201);
    expect(created.body).toBe("");
    const location = String(created.headers.location);
    const id = location.split("/").pop()!;
    expect(location).toBe(`${p.url}${BULK}/${id}`);
    const updated = await withoutAccept(p, "PUT", `${BULK}/${id}`, JSON.stringify({ creationRamp: 2 }));
    expect(updated.status).toBe(200);
    expect(updated.body).toBe("");
    expect((await getBulk(p, id)).creationRamp).toBe(2);
  });

  it("ignores read-only fields, as the vendor UI sends them back", async () => {
    const { group } = await fleet(2);
    const bulk = await createBulk(p, {
      id: "1",
      self: "http://elsewhere/1",
      groupId: Number(group),
      startDate: iso(time.now() + 60_000),
      status: "COMPLETED",
      generalStatus: "FAILED",
      progress: { pending: 9, executing: 9, successful: 9, failed: 9, all: 99 },
      bogus: true,
    });
    expect(bulk.id).not.toBe("1");
    expect(bulk.groupId).toBe(group);
    expect([bulk.status, bulk.generalStatus]).toEqual(["ACTIVE", "SCHEDULED"]);
    expect(bulk.progress).toEqual({ pending: 0, executing: 0, successful: 0, failed: 0, all: 2 });
    expect(bulk).not.toHaveProperty("bogus");
  });

  it("is for admins only: device and bootstrap users get 403 everywhere", async () => {
    const { group } = await fleet(1);
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 60_000) });
    const device = await deviceUser(p, "device_bulk-tester");
    for (const auth of [device, p.bootstrap]) {
      const calls: [string, string, unknown?][] = [
        ["GET", BULK],
        [
          "POST",
          BULK,
          { groupId: group, startDate: iso(time.now()), creationRamp: 0, operationPrototype: RESTART },
        ],
        ["GET", `${BULK}/${bulk.id}`],
        ["PUT", `${BULK}/${bulk.id}`, { creationRamp: 3 }],
        ["DELETE", `${BULK}/${bulk.id}`],
      ];
      for (const [method, path, body] of calls) {
        const res = await p.request(path, { method, auth, ...(body ? json(body) : {}) });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect((await errorOf(res)).error).toBe("security/Forbidden");
      }
    }
    expect(await getBulk(p, bulk.id)).toEqual(bulk);
  });

  it("answers 404 in the platform's shape for unknown ids", async () => {
    for (const id of ["99999999", "abc"]) {
      const res = await p.request(`${BULK}/${id}`);
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toMatchObject({
        error: "devicecontrol/Not Found",
        message: `Finding bulk operation from database failed : No bulkOperation for id '${id}'!`,
      });
    }
  });
});

describe("targets", () => {
  it("a static group: the devices in its asset hierarchy (sub-groups and other assets), not below devices", async () => {
    const [d1, d2, d3, d4, child, belowDevice] = await agents(p, 6, "static");
    const building = await createMo(p, { name: "Building", fragments: { c8y_Building: {} } });
    const sub = await staticGroup(p, [d3!], "Sub-group");
    const group = await staticGroup(p, [d1!, d2!, sub, building]);
    await link(p, building, "childAssets", d4!);
    await link(p, d1!, "childDevices", child!);
    await link(p, d1!, "childAssets", belowDevice!);
    await link(p, sub, "childAssets", d1!); // a device reached twice is one target
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    expect(bulk.progress.all).toBe(4);
    time.advance(0);
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => o.deviceId).sort()).toEqual([d1, d2, d3, d4].sort());
  });

  it("a dynamic group: the devices its c8y_DeviceQueryString selects, through the inventory query language", async () => {
    const [a, , c] = await agents(p, 3, "dyn-x");
    await createMo(p, { name: "dyn-x-not-a-device", fragments: { c8y_Building: {} } });
    await link(p, await staticGroup(p, [a!]), "childAssets", c!); // membership elsewhere does not matter
    await agents(p, 2, "other-dyn");
    const group = await dynamicGroup(p, "$filter=(name eq 'dyn-x-*') $orderby=name desc");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    expect(bulk.progress.all).toBe(3);
    time.advance(0);
    const ops = await children(p, bulk.id);
    const names = ops.map((o) => o.deviceName as string).sort();
    expect(names).toEqual(["dyn-x-0", "dyn-x-1", "dyn-x-2"]);
  });

  it("are fixed at creation: a device added to the group later is not a target", async () => {
    const { group } = await fleet(2);
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 10_000) });
    const [late] = await agents(p, 1, "late");
    await link(p, group, "childAssets", late!);
    time.advance(10_000);
    expect((await children(p, bulk.id)).map((o) => o.deviceId)).not.toContain(late);
    expect((await getBulk(p, bulk.id)).progress.all).toBe(2);
  });

  it("a target deleted before its turn gets no operation and counts as failed", async () => {
    const { group, devices } = await fleet(3);
    const bulk = await createBulk(p, {
      groupId: group,
      startDate: iso(time.now() + 10_000),
      creationRamp: 1,
    });
    expect((await p.request(`/inventory/managedObjects/${devices[1]}`, { method: "DELETE" })).status).toBe(
      204,
    );
    time.advance(12_000);
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => o.deviceId)).toEqual([devices[0], devices[2]]);
    const after = await getBulk(p, bulk.id);
    expect(after.progress).toEqual({ pending: 2, executing: 0, successful: 0, failed: 1, all: 3 });
    expect([after.status, after.generalStatus]).toEqual(["COMPLETED", "EXECUTING_WITH_ERROR"]);
  });
});

describe("scheduling", () => {
  it("stays SCHEDULED until startDate, then creates one child every creationRamp seconds", async () => {
    const { group, devices } = await fleet(3);
    const start = time.now() + 30_000;
    const bulk = await createBulk(p, { groupId: group, startDate: iso(start), creationRamp: 2 });
    time.advance(29_999);
    expect(await statusesOf(bulk.id)).toEqual(["ACTIVE", "SCHEDULED"]);
    expect(await children(p, bulk.id)).toEqual([]);
    time.advance(1);
    expect(await statusesOf(bulk.id)).toEqual(["IN_PROGRESS", "EXECUTING"]);
    expect((await children(p, bulk.id)).length).toBe(1);
    time.advance(1_999);
    expect((await children(p, bulk.id)).length).toBe(1);
    time.advance(1);
    expect((await children(p, bulk.id)).length).toBe(2);
    time.advance(2_000);
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => [o.deviceId, o.creationTime])).toEqual([
      [devices[0], iso(start)],
      [devices[1], iso(start + 2_000)],
      [devices[2], iso(start + 4_000)],
    ]);
    expect(await statusesOf(bulk.id)).toEqual(["COMPLETED", "EXECUTING"]);
    time.advance(60_000);
    expect((await children(p, bulk.id)).length).toBe(3);
  });

  it("a ramp of 0 creates every child at startDate; creationRamp may be a fraction of a second", async () => {
    const { group } = await fleet(250, "many");
    const start = time.now();
    const bulk = await createBulk(p, { groupId: group, startDate: iso(start) });
    time.advance(0);
    const ops = await children(p, bulk.id);
    expect(ops.length).toBe(250);
    expect(new Set(ops.map((o) => o.creationTime))).toEqual(new Set([iso(start)]));
    const { group: small } = await fleet(3, "fraction");
    const fast = await createBulk(p, { groupId: small, startDate: iso(time.now()), creationRamp: 0.25 });
    time.advance(500);
    expect((await children(p, fast.id)).map((o) => o.creationTime)).toEqual([
      iso(time.now() - 500),
      iso(time.now() - 250),
      iso(time.now()),
    ]);
  });

  it("creates ordinary operations with bulkOperationId: routed, delivered, audited and announced like any other", async () => {
    const { group, devices } = await fleet(1);
    const [childDevice] = await agents(p, 1, "plain-child");
    const agent = devices[0]!;
    // A device below the agent is routed to it; the group's member here is the child device.
    const deviceOnly = await createMo(p, { name: "below-agent" });
    await link(p, agent, "childDevices", deviceOnly);
    await link(p, group, "childAssets", deviceOnly);
    const events = recordEvents(p);
    const bulk = await createBulk(p, {
      groupId: group,
      startDate: iso(time.now()),
      operationPrototype: {
        description: "Restart",
        c8y_Restart: {},
        deviceId: childDevice,
        status: "FAILED",
      },
    });
    time.advance(0);
    events.stop();
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => [o.deviceId, o.agentId, o.status, o.bulkOperationId])).toEqual([
      [agent, agent, "PENDING", Number(bulk.id)],
      [deviceOnly, agent, "PENDING", Number(bulk.id)],
    ]);
    expect(ops[0]).toMatchObject({ description: "Restart", c8y_Restart: {} });
    const opEvents = events.events.filter((e) => e.api === "operations" && e.action === "CREATE");
    expect(opEvents.map((e) => e.id)).toEqual(ops.map((o) => o.id));
    expect(opEvents.every((e) => e.api === "operations" && e.agentId === agent)).toBe(true);
    const audit = await p.request(`/audit/auditRecords?type=Operation&source=${ops[0]!.id}`);
    expect(((await audit.json()) as Json).auditRecords).toMatchObject([
      { activity: "Operation created", user: "admin" },
    ]);
  });
});

describe("progress", () => {
  it("follows the children as they move, equal to a recount at every step", async () => {
    const { group } = await fleet(4, "prog");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const [a, b, c, d] = (await children(p, bulk.id)).map((o) => o.id as string);
    const steps: [string, string, Json, string][] = [
      [a!, "EXECUTING", { pending: 3, executing: 1, successful: 0, failed: 0 }, "EXECUTING"],
      [a!, "SUCCESSFUL", { pending: 3, executing: 0, successful: 1, failed: 0 }, "EXECUTING"],
      [b!, "FAILED", { pending: 2, executing: 0, successful: 1, failed: 1 }, "EXECUTING_WITH_ERROR"],
      [c!, "EXECUTING", { pending: 1, executing: 1, successful: 1, failed: 1 }, "EXECUTING_WITH_ERROR"],
      [c!, "SUCCESSFUL", { pending: 1, executing: 0, successful: 2, failed: 1 }, "EXECUTING_WITH_ERROR"],
      [d!, "EXECUTING", { pending: 0, executing: 1, successful: 2, failed: 1 }, "EXECUTING_WITH_ERROR"],
      [d!, "FAILED", { pending: 0, executing: 0, successful: 2, failed: 2 }, "FAILED"],
    ];
    for (const [op, status, progress, general] of steps) {
      await setStatus(p, op, status);
      const now = await getBulk(p, bulk.id);
      expect(now.progress, `${op} → ${status}`).toEqual({ ...progress, all: 4 });
      expect(await recount(p, bulk.id)).toEqual(progress);
      expect(now.generalStatus).toBe(general);
      expect(now.status).toBe("COMPLETED");
    }
    // A PUT that keeps the status changes nothing.
    await setStatus(p, d!, "FAILED");
    expect((await progressOf(bulk.id)).failed).toBe(2);
  });

  it("ends SUCCESSFUL when every child succeeded; deleting children lowers their counter, never `all`", async () => {
    const { group, devices } = await fleet(3, "fine");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const ops = await children(p, bulk.id);
    for (const o of ops.slice(0, 2)) {
      await setStatus(p, o.id as string, "EXECUTING");
      await setStatus(p, o.id as string, "SUCCESSFUL");
    }
    expect((await getBulk(p, bulk.id)).generalStatus).toBe("EXECUTING");
    // The last device goes away with its pending operation: nothing is left open.
    expect((await p.request(`/inventory/managedObjects/${devices[2]}`, { method: "DELETE" })).status).toBe(
      204,
    );
    const after = await getBulk(p, bulk.id);
    expect(after.progress).toEqual({ pending: 0, executing: 0, successful: 2, failed: 0, all: 3 });
    expect(after.generalStatus).toBe("SUCCESSFUL");
    // The collection DELETE of the children is counted too.
    const del = await p.request(`/devicecontrol/operations?bulkOperationId=${bulk.id}&status=SUCCESSFUL`, {
      method: "DELETE",
    });
    expect(del.status).toBe(204);
    expect(await progressOf(bulk.id)).toEqual({ pending: 0, executing: 0, successful: 0, failed: 0, all: 3 });
  });

  it("announces each change of progress with an UPDATE after the commit", async () => {
    const { group } = await fleet(2, "announce");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    const events = recordEvents(p);
    time.advance(0);
    const [op] = await children(p, bulk.id);
    await setStatus(p, op!.id as string, "EXECUTING");
    events.stop();
    const updates = events.events.filter((e) => e.api === "bulkoperations" && e.id === bulk.id);
    const last = updates.at(-1);
    expect(last).toMatchObject({
      action: "UPDATE",
      data: { progress: { pending: 1, executing: 1, all: 2 } },
    });
    expect(last && "data" in last ? last.data : undefined).toEqual(await getBulk(p, bulk.id));
  });
});

describe("retrying the failed ones (failedParentId)", () => {
  it("targets exactly the devices whose child FAILED in that bulk operation", async () => {
    const { group, devices } = await fleet(5, "retry");
    const parent = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const ops = await children(p, parent.id);
    await setStatus(p, ops[0]!.id as string, "FAILED", "no power");
    await setStatus(p, ops[2]!.id as string, "EXECUTING");
    await setStatus(p, ops[2]!.id as string, "FAILED");
    await setStatus(p, ops[3]!.id as string, "EXECUTING");
    await setStatus(p, ops[3]!.id as string, "SUCCESSFUL");
    // What the vendor UI sends: the old object with groupId removed and failedParentId set.
    const { groupId: _dropped, ...clone } = await getBulk(p, parent.id);
    const retry = await createBulk(p, { ...clone, failedParentId: parent.id, startDate: iso(time.now()) });
    expect(retry).not.toHaveProperty("groupId");
    expect(retry.failedParentId).toBe(parent.id);
    expect(retry.progress).toEqual({ pending: 0, executing: 0, successful: 0, failed: 0, all: 2 });
    time.advance(0);
    expect((await children(p, retry.id)).map((o) => o.deviceId)).toEqual([devices[0], devices[2]]);
  });

  it("refuses a parent without failed children, an unknown parent, and both targets at once", async () => {
    const { group } = await fleet(1, "noretry");
    const parent = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const cases: [Json, string][] = [
      [{ failedParentId: parent.id }, `Bulk operation ${parent.id} has no failed operations to retry`],
      [{ failedParentId: "99999999" }, "Bulk operation 99999999 does not exist"],
      [
        { failedParentId: parent.id, groupId: group },
        "groupId and failedParentId must not be given together",
      ],
    ];
    for (const [target, message] of cases) {
      const res = await post(p, {
        ...target,
        startDate: iso(time.now()),
        creationRamp: 0,
        operationPrototype: RESTART,
      });
      expect(res.status).toBe(422);
      expect(await errorOf(res)).toMatchObject({ error: "devicecontrol/Invalid Data", message });
    }
  });
});

describe("cancel (DELETE)", () => {
  it("while SCHEDULED: 204, status DELETED, CANCELED, and nothing is ever created", async () => {
    const { group } = await fleet(2, "cancel-s");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000) });
    const events = recordEvents(p);
    expect((await p.request(`${BULK}/${bulk.id}`, { method: "DELETE" })).status).toBe(204);
    events.stop();
    expect(events.events).toEqual([{ api: "bulkoperations", action: "DELETE", id: bulk.id }]);
    time.advance(60_000);
    expect(await children(p, bulk.id)).toEqual([]);
    expect(await statusesOf(bulk.id)).toEqual(["DELETED", "CANCELED"]);
    const records = await auditOf(p, bulk.id);
    expect(records.at(-1)).toMatchObject({
      activity: "Bulk operation deleted",
      changes: [
        { attribute: "status", previousValue: "ACTIVE", newValue: "DELETED" },
        { attribute: "generalStatus", previousValue: "SCHEDULED", newValue: "CANCELED" },
      ],
    });
  });

  it("mid-creation: no further child, the created ones stay and still count", async () => {
    const { group } = await fleet(5, "cancel-m");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()), creationRamp: 1 });
    time.advance(1_000);
    expect((await children(p, bulk.id)).length).toBe(2);
    expect((await p.request(`${BULK}/${bulk.id}`, { method: "DELETE" })).status).toBe(204);
    time.advance(10_000);
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => o.status)).toEqual(["PENDING", "PENDING"]);
    await setStatus(p, ops[0]!.id as string, "FAILED");
    const after = await getBulk(p, bulk.id);
    expect([after.status, after.generalStatus]).toEqual(["DELETED", "CANCELED"]);
    expect(after.progress).toEqual({ pending: 1, executing: 0, successful: 0, failed: 1, all: 5 });
  });

  it("refuses bulk operations that are complete or already cancelled (422)", async () => {
    const { group } = await fleet(1, "cancel-c");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const res = await p.request(`${BULK}/${bulk.id}`, { method: "DELETE" });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).message).toBe(
      `Only ACTIVE or IN_PROGRESS bulk operations can be deleted; ${bulk.id} is COMPLETED`,
    );
    const other = await createBulk(p, { groupId: group, startDate: iso(time.now() + 1_000) });
    expect((await p.request(`${BULK}/${other.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await p.request(`${BULK}/${other.id}`, { method: "DELETE" })).status).toBe(422);
    expect((await put(p, other.id, { creationRamp: 5 })).status).toBe(422);
  });
});

describe("PUT", () => {
  it("while SCHEDULED edits startDate, creationRamp, prototype and note in place", async () => {
    const { group } = await fleet(2, "edit");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000), note: "first" });
    const start = time.now() + 20_000;
    const prototype = { description: "Firmware", c8y_Firmware: { name: "fw", version: "2" } };
    const res = await put(p, bulk.id, {
      ...bulk,
      startDate: iso(start),
      creationRamp: 3,
      operationPrototype: prototype,
      note: "second",
    });
    expect(res.status).toBe(200);
    const edited = (await res.json()) as Json;
    expect(edited).toEqual({
      ...bulk,
      startDate: iso(start),
      creationRamp: 3,
      operationPrototype: prototype,
      note: "second",
    });
    time.advance(19_999);
    expect(await children(p, bulk.id)).toEqual([]);
    time.advance(3_001);
    const ops = await children(p, bulk.id);
    expect(ops.map((o) => o.creationTime)).toEqual([iso(start), iso(start + 3_000)]);
    expect(ops[0]).toMatchObject({ c8y_Firmware: { name: "fw", version: "2" } });
    const updated = (await auditOf(p, bulk.id)).find((r) => r.activity === "Bulk operation updated");
    expect(updated?.changes.map((c: Json) => c.attribute)).toEqual([
      "startDate",
      "creationRamp",
      "operationPrototype",
      "note",
    ]);
  });

  it("on a started one cancels it and schedules a new one, which the answer carries", async () => {
    const { group, devices } = await fleet(4, "resched");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()), creationRamp: 1 });
    time.advance(1_000);
    expect((await children(p, bulk.id)).length).toBe(2);
    const events = recordEvents(p);
    const res = await put(p, bulk.id, { creationRamp: 10 });
    events.stop();
    expect(res.status).toBe(200);
    const fresh = (await res.json()) as Json;
    expect(fresh.id).not.toBe(bulk.id);
    expect(res.headers.get("location")).toBe(fresh.self);
    expect(fresh).toMatchObject({
      groupId: group,
      creationRamp: 10,
      startDate: bulk.startDate,
      progress: { all: 4 },
    });
    expect(events.events.map((e) => [e.api, e.action, e.id])).toEqual([
      ["bulkoperations", "DELETE", bulk.id],
      ["bulkoperations", "CREATE", fresh.id],
    ]);
    expect(await statusesOf(bulk.id)).toEqual(["DELETED", "CANCELED"]);
    time.advance(0);
    expect((await children(p, fresh.id)).map((o) => o.deviceId)).toEqual([devices[0]]);
    time.advance(30_000);
    expect((await children(p, bulk.id)).length).toBe(2);
    expect((await children(p, fresh.id)).length).toBe(4);
    const old = await auditOf(p, bulk.id);
    expect(old.at(-1)?.text).toContain(`replaced by='${fresh.id}'`);
  });

  it("marks a complete one SUCCESSFUL (the vendor UI's 'Set to SUCCESSFUL'); not while it is scheduled", async () => {
    const { group } = await fleet(2, "mark");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const [a, b] = await children(p, bulk.id);
    await setStatus(p, a!.id as string, "FAILED");
    const res = await put(p, bulk.id, { id: bulk.id, generalStatus: "SUCCESSFUL" });
    expect(res.status).toBe(200);
    expect((await res.json()) as Json).toMatchObject({ status: "COMPLETED", generalStatus: "SUCCESSFUL" });
    await setStatus(p, b!.id as string, "FAILED");
    expect(await getBulk(p, bulk.id)).toMatchObject({
      generalStatus: "SUCCESSFUL",
      progress: { failed: 2, all: 2 },
    });
    expect((await auditOf(p, bulk.id)).some((r) => r.text.includes("general status='SUCCESSFUL'"))).toBe(
      true,
    );
    const scheduled = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000) });
    const refused = await put(p, scheduled.id, { generalStatus: "SUCCESSFUL" });
    expect(refused.status).toBe(422);
    expect(await statusesOf(scheduled.id)).toEqual(["ACTIVE", "SCHEDULED"]);
  });

  it("ignores read-only fields and changes nothing when nothing differs", async () => {
    const { group } = await fleet(1, "noop");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000) });
    const res = await put(p, bulk.id, { ...bulk, groupId: "1", status: "COMPLETED", progress: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(bulk);
    expect((await auditOf(p, bulk.id)).map((r) => r.activity)).toEqual(["Bulk operation created"]);
  });

  it("refuses rescheduling one whose operations all exist", async () => {
    const { group } = await fleet(1, "done");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const res = await put(p, bulk.id, { creationRamp: 4 });
    expect(res.status).toBe(422);
    // The note is only a note: it may change at any time.
    expect(((await (await put(p, bulk.id, { note: "done" })).json()) as Json).note).toBe("done");
  });
});

describe("the list", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const { group } = await fleet(2, "listing");
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    const mk = async (day: number) =>
      (await createBulk(p, { groupId: group, startDate: iso(base + day * 86_400_000) })).id as string;
    ids = { scheduled: await mk(1), cancelled: await mk(2), later: await mk(3) };
    expect((await p.request(`${BULK}/${ids.cancelled}`, { method: "DELETE" })).status).toBe(204);
  });

  const ofMine = (body: Json) =>
    (body.bulkOperations as Json[])
      .map((b) => b.id as string)
      .filter((id) => Object.values(ids).includes(id));

  it("leaves CANCELED out unless withDeleted=true (or the filter asks for CANCELED)", async () => {
    expect(ofMine(await list(p, "pageSize=2000"))).toEqual([ids.scheduled, ids.later]);
    expect(ofMine(await list(p, "pageSize=2000&withDeleted=true"))).toEqual([
      ids.scheduled,
      ids.cancelled,
      ids.later,
    ]);
    expect(ofMine(await list(p, "pageSize=2000&generalStatus=CANCELED"))).toEqual([ids.cancelled]);
  });

  it("filters by startDate with dateFrom/dateTo (half-open) and by repeated generalStatus", async () => {
    const q = "withDeleted=true&pageSize=2000&dateFrom=2030-01-02&dateTo=2030-01-04T00:00:00Z";
    const body = await list(p, q);
    expect((body.bulkOperations as Json[]).map((b) => b.id)).toEqual([ids.scheduled, ids.cancelled]);
    const both = await list(p, `${q}&generalStatus=SCHEDULED&generalStatus=CANCELED`);
    expect((both.bulkOperations as Json[]).map((b) => b.id)).toEqual([ids.scheduled, ids.cancelled]);
  });

  it("accepts both spellings of EXECUTING_WITH_ERROR, and the client's DELETED/INCORRECT (matching nothing)", async () => {
    const { group } = await fleet(2, "spelling");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    await setStatus(p, (await children(p, bulk.id))[0]!.id as string, "FAILED");
    for (const spelling of ["EXECUTING_WITH_ERROR", "EXECUTING_WITH_ERRORS"]) {
      const body = await list(p, `generalStatus=${spelling}&pageSize=2000`);
      expect((body.bulkOperations as Json[]).map((b) => b.id)).toContain(bulk.id);
      expect((body.bulkOperations as Json[]).every((b) => b.generalStatus === "EXECUTING_WITH_ERROR")).toBe(
        true,
      );
    }
    expect((await list(p, "generalStatus=DELETED&generalStatus=INCORRECT")).bulkOperations).toEqual([]);
  });

  it("pages with totals in the vendor collection shape", async () => {
    const res = await p.request(
      `${BULK}?pageSize=1&currentPage=2&withTotalElements=true&withTotalPages=true`,
      {
        headers: { accept: `${VENDOR}bulkoperationcollection+json` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      `${VENDOR}bulkOperationCollection+json;charset=UTF-8;ver=0.9`,
    );
    const body = (await res.json()) as Json;
    const total = body.statistics.totalElements as number;
    expect(body.statistics).toEqual({ currentPage: 2, pageSize: 1, totalPages: total, totalElements: total });
    expect(body.bulkOperations).toHaveLength(1);
    expect(body.self).toContain("currentPage=2");
    expect(body.prev).toContain("currentPage=1");
    expect(body.next).toContain("currentPage=3");
  });

  it.each([
    ["generalStatus=RUNNING", "Invalid generalStatus 'RUNNING'"],
    ["dateFrom=yesterday", "Invalid date for dateFrom: 'yesterday'"],
    ["withDeleted=maybe", "Invalid boolean value for withDeleted: 'maybe'"],
    ["pageSize=-1", "Invalid value for pageSize: '-1'"],
  ])("refuses %s with 422", async (query, message) => {
    const res = await p.request(`${BULK}?${query}`);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).message).toContain(message);
  });
});

describe("bad input", () => {
  /** Everything bulk operations touch, to prove refused requests wrote nothing. */
  const snapshot = () =>
    ["bulk_operations", "bulk_operation_targets", "operations", "audit_records", "id_sequence"]
      .map((t) => JSON.stringify(p.platform.ctx.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()))
      .join("\n");

  it("refuses every malformed create with a 4xx in the platform's shape and writes nothing", async () => {
    const { group, devices } = await fleet(1, "bad");
    const empty = await staticGroup(p, [], "Empty");
    const noDevices = await staticGroup(p, [
      await createMo(p, { name: "asset", fragments: { c8y_Building: {} } }),
    ]);
    const noQuery = await createMo(p, { type: "c8y_DynamicGroup", fragments: { c8y_IsDynamicGroup: {} } });
    const badQuery = await dynamicGroup(p, "$filter=(name eq )");
    const nobody = await dynamicGroup(p, "name eq 'nobody-has-this-name'");
    const ok = { groupId: group, startDate: iso(time.now()), creationRamp: 1, operationPrototype: RESTART };
    const cases: [string, unknown, number, string][] = [
      ["no target", { ...ok, groupId: undefined }, 422, "Either groupId or failedParentId must be given"],
      ["unknown group", { ...ok, groupId: "99999999" }, 422, "Group 99999999 does not exist"],
      ["groupId not an id", { ...ok, groupId: "abc" }, 422, 'groupId "abc" is not an id'],
      ["groupId an object", { ...ok, groupId: { id: group } }, 422, "is not an id"],
      ["a device, not a group", { ...ok, groupId: devices[0] }, 422, "is not a group"],
      ["an empty group", { ...ok, groupId: empty }, 422, `Group ${empty} has no devices`],
      ["a group without devices", { ...ok, groupId: noDevices }, 422, "has no devices"],
      ["a dynamic group without query", { ...ok, groupId: noQuery }, 422, "has no c8y_DeviceQueryString"],
      ["a dynamic group with a bad query", { ...ok, groupId: badQuery }, 422, "could not be understood"],
      ["a dynamic group matching nothing", { ...ok, groupId: nobody }, 422, "has no devices"],
      [
        "no startDate",
        { ...ok, startDate: undefined },
        422,
        "Following mandatory fields should be included: startDate",
      ],
      [
        "malformed startDate",
        { ...ok, startDate: "tomorrow" },
        422,
        'startDate "tomorrow" is not a date-time',
      ],
      ["impossible startDate", { ...ok, startDate: "2025-02-30T10:00:00Z" }, 422, "is not a date-time"],
      ["numeric startDate", { ...ok, startDate: 1714636800000 }, 422, "is not a date-time"],
      [
        "no ramp",
        { ...ok, creationRamp: undefined },
        422,
        "mandatory fields should be included: creationRamp",
      ],
      ["ramp a string", { ...ok, creationRamp: "1" }, 422, 'creationRamp "1" must be a number'],
      ["ramp negative", { ...ok, creationRamp: -0.5 }, 422, "from 0 to 3600"],
      ["ramp too long", { ...ok, creationRamp: 3600.5 }, 422, "from 0 to 3600"],
      ["no prototype", { ...ok, operationPrototype: undefined }, 422, "operationPrototype"],
      [
        "prototype not an object",
        { ...ok, operationPrototype: ["c8y_Restart"] },
        422,
        "must be a JSON object",
      ],
      [
        "prototype without fragment",
        { ...ok, operationPrototype: { description: "x" } },
        422,
        "operation fragment",
      ],
      [
        "prototype with only read-only fields",
        { ...ok, operationPrototype: { deviceId: "1", status: "PENDING" } },
        422,
        "operation fragment",
      ],
      [
        "prototype with an empty name",
        { ...ok, operationPrototype: { "": {}, c8y_Restart: {} } },
        422,
        "empty",
      ],
      ["note a number", { ...ok, note: 5 }, 422, "note must be a string"],
    ];
    const before = snapshot();
    for (const [label, body, status, message] of cases) {
      const res = await post(p, body);
      expect(res.status, label).toBe(status);
      expect((await errorOf(res)).message, label).toContain(message);
    }
    for (const [label, raw, status] of [
      ["malformed JSON", '{"groupId": ', 400],
      ["an array", "[]", 422],
    ] as const) {
      const res = await p.request(BULK, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: raw,
      });
      expect(res.status, label).toBe(status);
      await errorOf(res);
    }
    expect(snapshot()).toBe(before);
  });

  it("refuses malformed updates and writes nothing", async () => {
    const { group } = await fleet(1, "badput");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000) });
    const before = snapshot();
    for (const body of [
      { startDate: "soon" },
      { creationRamp: 4000 },
      { creationRamp: true },
      { operationPrototype: { description: "only" } },
      { note: [] },
    ]) {
      const res = await put(p, bulk.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      await errorOf(res);
    }
    expect(snapshot()).toBe(before);
  });
});

describe("a change of a bulk operation and its audit record are one transaction", () => {
  /** Makes every BulkOperation audit insert fail until the returned function is called. */
  const breakBulkAudit = () => {
    const { db } = p.platform.ctx;
    db.exec(
      "CREATE TRIGGER test_break_bulk_audit BEFORE INSERT ON audit_records WHEN NEW.type = 'BulkOperation' " +
        "BEGIN SELECT RAISE(ABORT, 'broken'); END",
    );
    return () => db.exec("DROP TRIGGER test_break_bulk_audit");
  };
  const rows = () =>
    JSON.stringify(
      ["bulk_operations", "bulk_operation_targets", "operations"].map((t) =>
        p.platform.ctx.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
      ),
    );

  it("refused create, cancel and reschedule write nothing", async () => {
    const { group } = await fleet(2, "atomic");
    const scheduled = await createBulk(p, { groupId: group, startDate: iso(time.now() + 5_000) });
    const before = rows();
    const events = recordEvents(p);
    const repair = breakBulkAudit();
    try {
      const body = {
        groupId: group,
        startDate: iso(time.now()),
        creationRamp: 0,
        operationPrototype: RESTART,
      };
      const refused = [
        await faultyRequest(p, BULK, { method: "POST", ...json(body) }),
        await faultyRequest(p, `${BULK}/${scheduled.id}`, { method: "DELETE" }),
        await faultyRequest(p, `${BULK}/${scheduled.id}`, { method: "PUT", ...json({ creationRamp: 9 }) }),
      ];
      expect(refused.map((r) => r.status)).toEqual([500, 500, 500]);
    } finally {
      repair();
      events.stop();
    }
    expect(rows()).toBe(before);
    expect(events.events).toEqual([]);
  });

  it("a child's change that would change generalStatus is refused whole when the record fails", async () => {
    const { group } = await fleet(2, "atomic-child");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    time.advance(0);
    const [child] = await children(p, bulk.id);
    const repair = breakBulkAudit();
    try {
      const res = await faultyRequest(p, `/devicecontrol/operations/${child!.id}`, {
        method: "PUT",
        ...json({ status: "FAILED" }),
      });
      expect(res.status).toBe(500);
    } finally {
      repair();
    }
    expect((await children(p, bulk.id))[0]!.status).toBe("PENDING");
    expect(await getBulk(p, bulk.id)).toMatchObject({
      generalStatus: "EXECUTING",
      progress: { pending: 2, failed: 0 },
    });
  });

  it("the runner tries again a second later when a start cannot be written, and creates every child once", async () => {
    const { group } = await fleet(3, "atomic-run");
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    const repair = breakBulkAudit();
    try {
      time.advance(999);
      expect(await children(p, bulk.id)).toEqual([]);
      expect(await statusesOf(bulk.id)).toEqual(["ACTIVE", "SCHEDULED"]);
    } finally {
      repair();
    }
    time.advance(1);
    expect((await children(p, bulk.id)).length).toBe(3);
    expect(await statusesOf(bulk.id)).toEqual(["COMPLETED", "EXECUTING"]);
  });
});
