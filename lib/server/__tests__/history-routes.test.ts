// Histories from the platform's audit records, against the real emulator: GET /api/operations/[id]/history and
// GET /api/bulk-operations/[id]/history. Changes are made directly on the platform (by a device with its own
// credentials, by the admin as a script would), never through the console, and the console keeps nothing between
// requests: a fresh copy of the route module ("a console restart") answers the same.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as bulkHistory } from "@/app/api/bulk-operations/[id]/history/route";
import { POST as create } from "@/app/api/devices/[id]/operations/route";
import { GET as operationHistory } from "@/app/api/operations/[id]/history/route";
import { historyDtoSchema, type HistoryDto } from "@/lib/schemas/audit";
import { readAuditRecords, getOperationHistory } from "@/lib/server/services/audit";
import { createPlatformClient } from "@/lib/server/upstream/client";
import { ADMIN_PASSWORD, TENANT, basic, type TestPlatform } from "../../../tests/support/platform.js";
import { call, startProxy, startSignedIn, type LoopbackProxy } from "./support.js";

let p: TestPlatform;
let cookie: string;
/** A device registered the way agents do it (startup phase), with its own platform user. */
let device: { id: string; user: string; auth: string };

const json = { "content-type": "application/json", accept: "application/json" };

async function rest(path: string, method: string, body?: unknown, auth?: string) {
  const res = await p.request(path, {
    method,
    headers: json,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(auth ? { auth } : {}),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { id: string };
}

/** Request, accept, collect credentials, create its own managed object: what an agent does (step 0 and 1). */
async function registerDevice(serial: string) {
  const poll = () =>
    p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      headers: json,
      body: JSON.stringify({ id: serial }),
    });
  await rest("/devicecontrol/newDeviceRequests", "POST", { id: serial });
  expect((await poll()).status).toBe(404);
  await rest(`/devicecontrol/newDeviceRequests/${serial}`, "PUT", { status: "ACCEPTED" });
  const creds = (await (await poll()).json()) as { tenantId: string; username: string; password: string };
  const auth = basic(`${creds.tenantId}/${creds.username}`, creds.password);
  const mo = await rest(
    "/inventory/managedObjects",
    "POST",
    {
      name: `Agent ${serial}`,
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      c8y_SupportedOperations: ["c8y_Restart"],
    },
    auth,
  );
  return { id: mo.id, user: creds.username, auth };
}

/** The device's agent moves its operation on, with its own credentials, directly on the platform. */
const agentSets = (opId: string, change: Record<string, unknown>) =>
  rest(`/devicecontrol/operations/${opId}`, "PUT", change, device.auth);

const readHistory = (handler: typeof operationHistory, path: string, id: string) =>
  call(handler, `${path}/${encodeURIComponent(id)}/history`, { cookie, params: { id } });

async function historyOf(id: string, handler = operationHistory): Promise<HistoryDto> {
  const a = await readHistory(handler, "/api/operations", id);
  expect(a.status).toBe(200);
  return historyDtoSchema.parse(a.json);
}

const steps = (h: HistoryDto) => h.entries.map((e) => [e.previousStatus, e.status, e.user]);

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
  device = await registerDevice("hist-agent-1");
  expect(device.user).toBe("device_hist-agent-1");
});
afterAll(() => p.close());

describe("operation history", () => {
  it("shows the changes a device made directly on the platform, each with its time and user", async () => {
    const sent = await call(create, `/api/devices/${device.id}/operations`, {
      body: { kind: "restart" },
      cookie,
      params: { id: device.id },
    });
    expect(sent.status).toBe(201);
    const id = sent.json.id as string;
    await agentSets(id, { status: "EXECUTING" });

    const executing = await historyOf(id);
    expect(executing).toMatchObject({
      source: { type: "Operation", id },
      status: "EXECUTING",
      final: false,
      truncated: false,
    });
    expect(steps(executing)).toEqual([
      [null, "PENDING", "admin"],
      ["PENDING", "EXECUTING", device.user],
    ]);
    expect(executing.entries[0]).toMatchObject({
      activity: "Operation created",
      time: sent.json.creationTime,
    });

    await agentSets(id, { status: "FAILED", failureReason: "Reboot refused" });
    const failed = await historyOf(id);
    expect(failed).toMatchObject({ status: "FAILED", final: true });
    expect(steps(failed)).toEqual([
      [null, "PENDING", "admin"],
      ["PENDING", "EXECUTING", device.user],
      ["EXECUTING", "FAILED", device.user],
    ]);
    expect(failed.entries[2]).toMatchObject({
      activity: "Operation updated",
      changes: [{ attribute: "failureReason", previousValue: null, newValue: "Reboot refused" }],
    });
    const times = failed.entries.map((e) => Date.parse(e.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("survives a console restart: a fresh server module, with no memory, answers the whole history", async () => {
    // Created and started while no console was looking: by a script (the admin over REST) and the device.
    const op = await rest("/devicecontrol/operations", "POST", { deviceId: device.id, c8y_Restart: {} });
    await agentSets(op.id, { status: "EXECUTING" });
    const before = await historyOf(op.id);
    expect(steps(before)).toEqual([
      [null, "PENDING", "admin"],
      ["PENDING", "EXECUTING", device.user],
    ]);

    // The console restarts; meanwhile the device finishes the operation.
    vi.resetModules();
    await agentSets(op.id, { status: "SUCCESSFUL" });
    const restarted = await import("@/app/api/operations/[id]/history/route");
    expect(restarted.GET).not.toBe(operationHistory);
    const after = await historyOf(op.id, restarted.GET);
    expect(after.entries.slice(0, 2)).toEqual(before.entries);
    expect(steps(after)).toEqual([
      [null, "PENDING", "admin"],
      ["PENDING", "EXECUTING", device.user],
      ["EXECUTING", "SUCCESSFUL", device.user],
    ]);
  });

  it("pages through the records with only the filters a real tenant answers, and says when it stopped", async () => {
    const op = await rest("/devicecontrol/operations", "POST", { deviceId: device.id, c8y_Restart: {} });
    await agentSets(op.id, { status: "EXECUTING" });
    await agentSets(op.id, { status: "SUCCESSFUL" });
    const proxy: LoopbackProxy = await startProxy(p.url);
    const saved = process.env.C8Y_BASEURL;
    process.env.C8Y_BASEURL = proxy.url;
    try {
      const auth = {
        scheme: "basic" as const,
        credentials: Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64"),
      };
      const platform = createPlatformClient({ auth, requestId: "history-test" });

      const paged = await getOperationHistory(platform, op.id, { pageSize: 2, maxPages: 5 });
      expect(paged.entries.map((e) => e.status)).toEqual(["PENDING", "EXECUTING", "SUCCESSFUL"]);
      expect(paged.truncated).toBe(false);
      const audits = proxy.calls.filter((c) => c.path.startsWith("/audit/"));
      expect(audits.map((c) => new URL(c.path, proxy.url).searchParams.toString())).toEqual([
        `source=${op.id}&type=Operation&pageSize=2&currentPage=1`,
        `source=${op.id}&type=Operation&pageSize=2&currentPage=2`,
      ]);

      const capped = await getOperationHistory(platform, op.id, { pageSize: 2, maxPages: 1 });
      expect(capped).toMatchObject({ truncated: true, maxRecords: 2 });
      expect(capped.entries.map((e) => e.status)).toEqual(["PENDING", "EXECUTING"]);
      // Exactly as many records as the cap: complete, not truncated.
      expect(
        await readAuditRecords(platform, "Operation", op.id, { pageSize: 3, maxPages: 1 }),
      ).toMatchObject({
        truncated: false,
      });
    } finally {
      process.env.C8Y_BASEURL = saved;
      await proxy.close();
    }
  });

  it("answers 404 for an operation that does not exist and 422 for an id that is no id", async () => {
    for (const id of ["99999999", "abc"]) {
      const a = await readHistory(operationHistory, "/api/operations", id);
      expect(a.status).toBe(404);
      expect(a.json.error).toMatchObject({ code: "not_found", message: `Operation ${id} does not exist.` });
    }
    for (const id of ["a.b", "..", "x".repeat(65)]) {
      const a = await readHistory(operationHistory, "/api/operations", id);
      expect(a.status).toBe(422);
      expect(a.json.error.code).toBe("invalid_input");
      expect(a.json.error.fields).toHaveProperty("id");
    }
    const signedOut = await call(operationHistory, "/api/operations/1/history", { params: { id: "1" } });
    expect(signedOut.status).toBe(401);
  });
});

describe("bulk operation history", () => {
  let group: string;
  beforeAll(async () => {
    group = (await rest("/inventory/managedObjects", "POST", { name: "Hist group", c8y_IsDeviceGroup: {} }))
      .id;
    await rest(`/inventory/managedObjects/${group}/childAssets`, "POST", {
      managedObject: { id: device.id },
    });
  });

  const bulkHistoryOf = async (id: string) => {
    const a = await readHistory(bulkHistory, "/api/bulk-operations", id);
    expect(a.status).toBe(200);
    return historyDtoSchema.parse(a.json);
  };

  it("lists a real bulk operation's changes: created, edited, cancelled, each with its user", async () => {
    const bulk = await rest("/devicecontrol/bulkoperations", "POST", {
      groupId: group,
      startDate: new Date(Date.now() + 3_600_000).toISOString(),
      creationRamp: 1,
      operationPrototype: { description: "Restart", c8y_Restart: {} },
      note: "first",
    });
    const scheduled = await bulkHistoryOf(bulk.id);
    expect(scheduled).toMatchObject({
      source: { type: "BulkOperation", id: bulk.id },
      status: "SCHEDULED",
      final: false,
    });
    expect(steps(scheduled)).toEqual([[null, "SCHEDULED", "admin"]]);

    await rest(`/devicecontrol/bulkoperations/${bulk.id}`, "PUT", { note: "second", creationRamp: 2 });
    await rest(`/devicecontrol/bulkoperations/${bulk.id}`, "DELETE");
    const cancelled = await bulkHistoryOf(bulk.id);
    expect(cancelled).toMatchObject({ status: "CANCELED", final: true, truncated: false });
    expect(cancelled.entries.map((e) => [e.activity, e.previousStatus, e.status, e.user])).toEqual([
      ["Bulk operation created", null, "SCHEDULED", "admin"],
      ["Bulk operation updated", null, null, "admin"],
      ["Bulk operation deleted", "SCHEDULED", "CANCELED", "admin"],
    ]);
    expect(cancelled.entries[0]!.changes).toEqual([
      { attribute: "status", previousValue: null, newValue: "ACTIVE" },
    ]);
    expect(cancelled.entries[1]!.changes).toEqual([
      { attribute: "creationRamp", previousValue: "1", newValue: "2" },
      { attribute: "note", previousValue: "first", newValue: "second" },
    ]);
    expect(cancelled.entries[2]!.changes).toEqual([
      { attribute: "status", previousValue: "ACTIVE", newValue: "DELETED" },
    ]);
  });

  it("follows a bulk operation that runs: its general status moves as its device's operation does", async () => {
    const bulk = await rest("/devicecontrol/bulkoperations", "POST", {
      groupId: group,
      startDate: new Date().toISOString(),
      creationRamp: 0,
      operationPrototype: { description: "Restart", c8y_Restart: {} },
    });
    // The platform creates the device's operation on its own; the device then carries it out.
    const children = async () =>
      (await rest(`/devicecontrol/operations?bulkOperationId=${bulk.id}`, "GET")).operations as {
        id: string;
      }[];
    await expect.poll(async () => (await children()).length).toBe(1);
    const [child] = await children();
    await agentSets(child!.id, { status: "EXECUTING" });
    await agentSets(child!.id, { status: "SUCCESSFUL" });
    const done = await bulkHistoryOf(bulk.id);
    expect(done).toMatchObject({ status: "SUCCESSFUL", final: true });
    const statuses = done.entries.flatMap((e) => (e.status === null ? [] : [[e.status, e.user]]));
    expect(statuses.at(0)).toEqual(["SCHEDULED", "admin"]);
    // The last change came from the device finishing its operation.
    expect(statuses.at(-1)).toEqual(["SUCCESSFUL", device.user]);
  });

  it("answers 404 for a bulk operation that does not exist and 422 for an id that is no id", async () => {
    const a = await readHistory(bulkHistory, "/api/bulk-operations", "99999999");
    expect(a.status).toBe(404);
    expect(a.json.error).toMatchObject({
      code: "not_found",
      message: "Bulk operation 99999999 does not exist.",
    });
    const b = await readHistory(bulkHistory, "/api/bulk-operations", "../x");
    expect(b.status).toBe(422);
    expect(b.json.error.code).toBe("invalid_input");
  });
});
