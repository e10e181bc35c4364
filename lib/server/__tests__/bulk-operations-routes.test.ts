import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as children } from "@/app/api/bulk-operations/[id]/children/route";
import { GET as failures } from "@/app/api/bulk-operations/[id]/failures/route";
import { POST as markSuccessful } from "@/app/api/bulk-operations/[id]/mark-successful/route";
import { GET as retries } from "@/app/api/bulk-operations/[id]/retries/route";
import { POST as retry } from "@/app/api/bulk-operations/[id]/retry/route";
import { DELETE as cancel, GET as getOne } from "@/app/api/bulk-operations/[id]/route";
import { PUT as schedule } from "@/app/api/bulk-operations/[id]/schedule/route";
import { GET as list } from "@/app/api/bulk-operations/route";
import { ManualTime } from "../../../tests/support/manual-time.js";
import { startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import { SESSION_PASSWORD, call, signIn } from "./support.js";

let p: TestPlatform;
// The platform's clock starts at the wall clock and moves only when a test says so.
const time = new ManualTime(Date.now());
let cookie: string;
let group: string;
let devices: string[];

const json = { "content-type": "application/json", accept: "application/json" };
const RESTART = { description: "Restart device", c8y_Restart: {} };
const DAY = 24 * 3600 * 1000;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await p.request(path, { method: "POST", headers: json, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown>;
}

async function upstream(path: string): Promise<Record<string, unknown>> {
  const res = await p.request(path, { headers: { accept: "application/json" } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** A bulk restart of the group, starting at `start` with no ramp. */
async function createBulk(start: number, groupId = group): Promise<string> {
  const created = await post("/devicecontrol/bulkoperations", {
    groupId,
    startDate: new Date(start).toISOString(),
    creationRamp: 0,
    operationPrototype: RESTART,
  });
  return created.id as string;
}

interface Child {
  id: string;
  deviceId: string;
  status: string;
}

async function upstreamChildren(id: string): Promise<Child[]> {
  const page = await upstream(`/devicecontrol/operations?bulkOperationId=${id}&pageSize=2000`);
  return page.operations as Child[];
}

/**
 * Moves the platform's clock a minute on, so a bulk operation that starts now (the BFF stamps retries with the
 * wall clock, which the manual clock started from) creates all its single operations.
 */
async function allChildren(id: string): Promise<Child[]> {
  time.advance(60_000);
  expect((await upstream(`/devicecontrol/bulkoperations/${id}`)).status).toBe("COMPLETED");
  return upstreamChildren(id);
}

/** As an agent would: EXECUTING, then the final status. */
async function finish(op: string, status: "SUCCESSFUL" | "FAILED", failureReason?: string) {
  const executing = await p.request(`/devicecontrol/operations/${op}`, {
    method: "PUT",
    headers: json,
    body: JSON.stringify({ status: "EXECUTING" }),
  });
  expect(executing.status).toBe(200);
  const res = await p.request(`/devicecontrol/operations/${op}`, {
    method: "PUT",
    headers: json,
    body: JSON.stringify({ status, ...(failureReason ? { failureReason } : {}) }),
  });
  expect(res.status).toBe(200);
}

const get = (handler: typeof getOne, path: string, id: string) =>
  call(handler, path, { cookie, params: { id } });

/** A finished bulk restart: devices 0–2 "Timeout", device 3 "Disk full", devices 4–5 successful. */
let finished: string;
let byDevice: Map<string, Child>;

beforeAll(async () => {
  p = await startTestPlatform({ now: time.now, scheduler: time.scheduler });
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  cookie = (await signIn(login)).cookie;
  devices = [];
  for (let i = 0; i < 6; i++)
    devices.push(
      (await post("/inventory/managedObjects", { name: `Sim ${i}`, c8y_IsDevice: {} })).id as string,
    );
  group = (await post("/inventory/managedObjects", { name: "Fleet", c8y_IsDeviceGroup: {} })).id as string;
  for (const d of devices)
    await post(`/inventory/managedObjects/${group}/childAssets`, { managedObject: { id: d } });

  finished = await createBulk(Date.now() - 1000);
  const kids = await allChildren(finished);
  byDevice = new Map(kids.map((c) => [c.deviceId, c]));
  for (const [i, d] of devices.entries()) {
    const op = byDevice.get(d)!.id;
    if (i < 3) await finish(op, "FAILED", "Timeout");
    else if (i === 3) await finish(op, "FAILED", "Disk full");
    else await finish(op, "SUCCESSFUL");
  }
});
afterAll(() => p.close());

describe("reading", () => {
  it("maps one bulk operation with progress, estimate and what may be done", async () => {
    const a = await get(getOne, `/api/bulk-operations/${finished}`, finished);
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      id: finished,
      groupId: group,
      failedParentId: null,
      retryOf: null,
      description: "Restart device",
      type: "c8y_Restart",
      generalStatus: "FAILED",
      status: "COMPLETED",
      progress: { pending: 0, executing: 0, successful: 2, failed: 4, all: 6 },
      can: { cancel: false, editSchedule: false, markSuccessful: true },
    });
    expect(a.json.estimatedEnd).toBe(new Date(Date.parse(a.json.startDate)).toISOString());
  });

  it("unknown → 404 in the envelope; a malformed id → 422", async () => {
    const a = await get(getOne, "/api/bulk-operations/999999", "999999");
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
    const b = await get(getOne, "/api/bulk-operations/a.b", "a.b");
    expect(b.status).toBe(422);
  });

  it("lists children by status with device names, paged with totals", async () => {
    const a = await call(children, `/api/bulk-operations/${finished}/children?status=FAILED&pageSize=3`, {
      cookie,
      params: { id: finished },
    });
    expect(a.status).toBe(200);
    expect(a.json.total).toBe(4);
    expect(a.json.items).toHaveLength(3);
    expect(a.json.items[0]).toMatchObject({
      status: "FAILED",
      deviceName: "Sim 0",
      failureReason: "Timeout",
    });
    const b = await call(
      children,
      `/api/bulk-operations/${finished}/children?status=FAILED&pageSize=3&page=2`,
      {
        cookie,
        params: { id: finished },
      },
    );
    expect(b.json.items.map((c: Child) => c.deviceId)).toEqual([devices[3]]);
  });

  it("groups failures by reason, largest first, each with its devices and the platform's count", async () => {
    const a = await call(failures, `/api/bulk-operations/${finished}/failures`, {
      cookie,
      params: { id: finished },
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ failed: 4, read: 4, truncated: false });
    expect(a.json.groups.map((g: { reason: string; count: number }) => [g.reason, g.count])).toEqual([
      ["Timeout", 3],
      ["Disk full", 1],
    ]);
    expect(a.json.groups[0].devices.map((d: { id: string }) => d.id)).toEqual(devices.slice(0, 3));
    expect(a.json.groups[1].devices[0]).toMatchObject({ id: devices[3], name: "Sim 3" });
  });
});

describe("list filters", () => {
  let scheduled: string;
  let cancelled: string;
  beforeAll(async () => {
    scheduled = await createBulk(Date.now() + 2 * DAY);
    cancelled = await createBulk(Date.now() + 3 * DAY);
    expect(
      (
        await call(cancel, `/api/bulk-operations/${cancelled}`, {
          method: "DELETE",
          cookie,
          params: { id: cancelled },
        })
      ).status,
    ).toBe(200);
  });
  const ids = (a: { json: { items: { id: string }[] } }) => a.json.items.map((b) => b.id);

  it("filters by repeated generalStatus, both spellings of executing with errors", async () => {
    const a = await call(list, "/api/bulk-operations?generalStatus=SCHEDULED&generalStatus=FAILED", {
      cookie,
    });
    expect(a.status).toBe(200);
    expect(ids(a)).toEqual(expect.arrayContaining([scheduled, finished]));
    expect(ids(a)).not.toContain(cancelled);
    const b = await call(list, "/api/bulk-operations?generalStatus=EXECUTING_WITH_ERRORS", { cookie });
    expect(b.status).toBe(200);
    expect(ids(b)).not.toContain(finished);
    const bad = await call(list, "/api/bulk-operations?generalStatus=RUNNING", { cookie });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe("invalid_input");
  });

  it("leaves cancelled ones out unless withDeleted", async () => {
    expect(ids(await call(list, "/api/bulk-operations?pageSize=100", { cookie }))).not.toContain(cancelled);
    expect(ids(await call(list, "/api/bulk-operations?pageSize=100&withDeleted=true", { cookie }))).toContain(
      cancelled,
    );
  });

  it("filters by start date range and pages with totals", async () => {
    const from = new Date(Date.now() + DAY).toISOString();
    const a = await call(list, `/api/bulk-operations?dateFrom=${from}&withDeleted=true`, { cookie });
    expect(ids(a).sort()).toEqual([scheduled, cancelled].sort());
    const paged = await call(list, "/api/bulk-operations?withDeleted=true&pageSize=1&page=2", { cookie });
    expect(paged.json.items).toHaveLength(1);
    expect(paged.json.total).toBeGreaterThanOrEqual(3);
  });
});

describe("cancel, schedule, mark successful", () => {
  it("cancels a scheduled one; a completed one is refused with a reason", async () => {
    const id = await createBulk(Date.now() + DAY);
    const a = await call(cancel, `/api/bulk-operations/${id}`, { method: "DELETE", cookie, params: { id } });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ generalStatus: "CANCELED", can: { cancel: false } });
    const b = await call(cancel, `/api/bulk-operations/${finished}`, {
      method: "DELETE",
      cookie,
      params: { id: finished },
    });
    expect(b.status).toBe(409);
    expect(b.json.error.message).toMatch(/can no longer be cancelled/);
    const c = await call(cancel, `/api/bulk-operations/${id}`, { method: "DELETE", cookie, params: { id } });
    expect(c.json.error.message).toMatch(/already cancelled/);
  });

  it("refuses a cancel without the console header", async () => {
    const id = await createBulk(Date.now() + DAY);
    const a = await call(cancel, `/api/bulk-operations/${id}`, {
      method: "DELETE",
      cookie,
      params: { id },
      csrf: false,
    });
    expect(a.status).toBe(403);
    expect((await upstream(`/devicecontrol/bulkoperations/${id}`)).generalStatus).toBe("SCHEDULED");
  });

  it("edits the schedule while scheduled, in place; refuses once started and bad input", async () => {
    const id = await createBulk(Date.now() + DAY);
    const start = new Date(Date.now() + 2 * DAY).toISOString();
    const a = await call(schedule, `/api/bulk-operations/${id}/schedule`, {
      method: "PUT",
      body: { startDate: start, creationRamp: 2.5 },
      cookie,
      params: { id },
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id, startDate: start, creationRamp: 2.5, generalStatus: "SCHEDULED" });
    expect(a.json.estimatedEnd).toBe(new Date(Date.parse(start) + 2.5 * 6 * 1000).toISOString());
    const bad = await call(schedule, `/api/bulk-operations/${id}/schedule`, {
      method: "PUT",
      body: { startDate: start, creationRamp: 4000 },
      cookie,
      params: { id },
    });
    expect(bad.status).toBe(422);
    const started = await call(schedule, `/api/bulk-operations/${finished}/schedule`, {
      method: "PUT",
      body: { startDate: start, creationRamp: 1 },
      cookie,
      params: { id: finished },
    });
    expect(started.status).toBe(409);
  });

  it("marks a completed one successful; a scheduled one is refused", async () => {
    const id = await createBulk(Date.now() - 1000);
    const kids = await allChildren(id);
    await finish(kids[0]!.id, "FAILED", "Nope");
    const a = await call(markSuccessful, `/api/bulk-operations/${id}/mark-successful`, {
      method: "POST",
      cookie,
      params: { id },
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ generalStatus: "SUCCESSFUL", can: { markSuccessful: false } });
    const later = await createBulk(Date.now() + DAY);
    const b = await call(markSuccessful, `/api/bulk-operations/${later}/mark-successful`, {
      method: "POST",
      cookie,
      params: { id: later },
    });
    expect(b.status).toBe(409);
  });
});

describe("retry", () => {
  it("retries all failed: a new bulk operation with failedParentId over the failed devices", async () => {
    const a = await call(retry, `/api/bulk-operations/${finished}/retry`, {
      body: {},
      cookie,
      params: { id: finished },
    });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({
      failedParentId: finished,
      groupId: null,
      retryOf: { id: finished, reason: null },
    });
    const kids = await allChildren(a.json.id);
    expect(kids.map((c) => c.deviceId).sort()).toEqual(devices.slice(0, 4).sort());
  });

  it("retries one reason: exactly that group's devices, through a hidden selection group", async () => {
    const a = await call(retry, `/api/bulk-operations/${finished}/retry`, {
      body: { reason: "Timeout" },
      cookie,
      params: { id: finished },
    });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({
      failedParentId: null,
      note: `Retry of #${finished}: Timeout`,
      retryOf: { id: finished, reason: "Timeout" },
      description: "Restart device",
    });
    const sel = await upstream(`/inventory/managedObjects/${a.json.groupId}`);
    expect(sel).toMatchObject({
      name: "Bulk operations group",
      type: "c8y_DynamicGroup",
      c8y_IsDynamicGroup: { invisible: {} },
    });
    const kids = await allChildren(a.json.id);
    expect(kids.map((c) => c.deviceId).sort()).toEqual(devices.slice(0, 3).sort());

    const r = await call(retries, `/api/bulk-operations/${finished}/retries`, {
      cookie,
      params: { id: finished },
    });
    expect(r.status).toBe(200);
    expect(r.json.items.map((b: { id: string }) => b.id)).toContain(a.json.id);
    expect(r.json.items.every((b: { retryOf: { id: string } }) => b.retryOf.id === finished)).toBe(true);
  });

  it("an unknown reason → 409, nothing created; bad bodies → 400/422", async () => {
    const before = await upstream(
      "/devicecontrol/bulkoperations?withDeleted=true&pageSize=2000&withTotalElements=true",
    );
    const a = await call(retry, `/api/bulk-operations/${finished}/retry`, {
      body: { reason: "Gone" },
      cookie,
      params: { id: finished },
    });
    expect(a.status).toBe(409);
    const b = await call(retry, `/api/bulk-operations/${finished}/retry`, {
      body: "{",
      cookie,
      params: { id: finished },
      headers: { "content-type": "application/json" },
    });
    expect(b.status).toBe(400);
    const c = await call(retry, `/api/bulk-operations/${finished}/retry`, {
      body: { reason: 5 },
      cookie,
      params: { id: finished },
    });
    expect(c.status).toBe(422);
    const after = await upstream(
      "/devicecontrol/bulkoperations?withDeleted=true&pageSize=2000&withTotalElements=true",
    );
    expect((after.statistics as { totalElements: number }).totalElements).toBe(
      (before.statistics as { totalElements: number }).totalElements,
    );
  });
});
