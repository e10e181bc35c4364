import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import { auditService } from "../audit/service.js";
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

// A clock the tests move, so that record times are exact.
let clock = Date.parse("2025-05-02T12:00:00.000Z");
const at = (ms: number) => new Date(ms).toISOString();
let p: TestPlatform;

const AGENT = { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} };
const t = {} as Record<"agent" | "child" | "other", string>;
let agentAuth: string;
let otherAuth: string;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => clock });
  t.agent = await createMo(p, { name: "Gateway 1", owner: "device_gw-1", fragments: AGENT });
  t.child = await createMo(p, { name: "Sensor", owner: "device_gw-1" });
  t.other = await createMo(p, { name: "Other gateway", owner: "device_gw-2", fragments: AGENT });
  await link(p, t.agent, "childDevices", t.child);
  agentAuth = await deviceUser(p, "device_gw-1");
  otherAuth = await deviceUser(p, "device_gw-2");
});
afterAll(() => p.close());

type Json = Record<string, unknown> & { id: string };
interface Page {
  auditRecords: Json[];
  statistics: Record<string, number>;
  next?: string;
  prev?: string;
}

const authOf = (auth?: string) => (auth ? { auth } : {});
const createOp = async (
  body: Record<string, unknown>,
  auth?: string,
  headers: Record<string, string> = {},
) => {
  const res = await p.request("/devicecontrol/operations", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
    ...authOf(auth),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
};
const putOp = (id: string, body: unknown, auth?: string) =>
  p.request(`/devicecontrol/operations/${id}`, { method: "PUT", ...json(body), ...authOf(auth) });
const audits = async (query: string, auth?: string): Promise<Page> => {
  const res = await p.request(`/audit/auditRecords?${query}`, authOf(auth));
  expect(res.status, query).toBe(200);
  return (await res.json()) as Page;
};
const historyOf = async (operationId: string) =>
  (await audits(`source=${operationId}&type=Operation&pageSize=100&withTotalPages=true`)).auditRecords;
const totalRecords = async () =>
  (await audits("pageSize=1&withTotalElements=true")).statistics.totalElements!;
const postAudit = (body: unknown, auth?: string) =>
  p.request("/audit/auditRecords", { method: "POST", ...json(body), ...authOf(auth) });

describe("GET /audit", () => {
  it("lists the URI templates of the record collection", async () => {
    const res = await p.request("/audit", { headers: { accept: `${VENDOR}auditApi+json` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}auditApi+json;charset=UTF-8;ver=0.9`);
    const body = await res.json();
    expect(body).toMatchObject({
      self: `${p.url}/audit`,
      auditRecords: { self: `${p.url}/audit/auditRecords` },
      auditRecordsForType: `${p.url}/audit/auditRecords?type={type}`,
      auditRecordsForUser: `${p.url}/audit/auditRecords?user={user}`,
      auditRecordsForApplication: `${p.url}/audit/auditRecords?application={application}`,
    });
  });
});

describe("operation audits", () => {
  it("records creation and every status change, with the operation as source and the device beside it", async () => {
    const op = await createOp({ deviceId: t.child, description: "Restart device", c8y_Restart: {} });
    clock += 1000;
    expect((await putOp(op.id, { status: "EXECUTING" })).status).toBe(200);
    clock += 1000;
    expect((await putOp(op.id, { status: "SUCCESSFUL" })).status).toBe(200);

    const page = await audits(`source=${op.id}&type=Operation&withTotalPages=true`);
    expect(page.statistics).toEqual({ currentPage: 1, pageSize: 5, totalPages: 1 });
    const [created, executing, successful] = page.auditRecords;
    expect(page.auditRecords).toHaveLength(3);
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      self: `${p.url}/audit/auditRecords/${created!.id}`,
      type: "Operation",
      time: at(clock - 2000),
      creationTime: at(clock - 2000),
      source: { id: op.id, self: `${p.url}/inventory/managedObjects/${op.id}` },
      com_cumulocity_model_event_AuditSourceDevice: { id: t.child },
      user: "admin",
      activity: "Operation created",
      text: "Operation created: status='PENDING', description='Restart device', device name='Sensor'.",
      severity: "information",
      changes: [
        {
          attribute: "status",
          type: "com.cumulocity.model.operation.OperationStatus",
          previousValue: null,
          newValue: "PENDING",
          changeType: "ADDED",
        },
      ],
    });
    expect(executing).toMatchObject({
      activity: "Operation updated",
      text: "Operation updated: status='EXECUTING', description='Restart device', device name='Sensor'.",
      time: at(clock - 1000),
      changes: [
        {
          attribute: "status",
          type: "com.cumulocity.model.operation.OperationStatus",
          previousValue: "PENDING",
          newValue: "EXECUTING",
          changeType: "REPLACED",
        },
      ],
    });
    expect(successful).toMatchObject({
      activity: "Operation updated",
      text: "Operation updated: status='SUCCESSFUL', description='Restart device', device name='Sensor'.",
      time: at(clock),
    });
    // A single record reads the same as in the list, under its own media type.
    const one = await p.request(`/audit/auditRecords/${created!.id}`, {
      headers: { accept: `${VENDOR}auditRecord+json` },
    });
    expect(one.headers.get("content-type")).toBe(`${VENDOR}auditRecord+json;charset=UTF-8;ver=0.9`);
    expect(await one.json()).toEqual(created);
  });

  it("records who made the change, the failure reason, and leaves out what the operation does not have", async () => {
    const op = await createOp({ deviceId: t.agent, c8y_Restart: {} });
    expect((await putOp(op.id, { status: "EXECUTING" }, agentAuth)).status).toBe(200);
    expect((await putOp(op.id, { status: "FAILED", failureReason: "No power" }, agentAuth)).status).toBe(200);
    const history = await historyOf(op.id);
    expect(history.map((r) => r.user)).toEqual(["admin", "device_gw-1", "device_gw-1"]);
    expect(history[0]!.text).toBe("Operation created: status='PENDING', device name='Gateway 1'.");
    expect(history[2]!.changes).toEqual([
      {
        attribute: "status",
        type: "com.cumulocity.model.operation.OperationStatus",
        previousValue: "EXECUTING",
        newValue: "FAILED",
        changeType: "REPLACED",
      },
      {
        attribute: "failureReason",
        type: "java.lang.String",
        previousValue: null,
        newValue: "No power",
        changeType: "ADDED",
      },
    ]);
  });

  it("writes nothing for a PUT that keeps the status, nor for a refused one", async () => {
    const op = await createOp({ deviceId: t.agent, c8y_Command: { text: "uptime" } });
    expect((await putOp(op.id, { status: "EXECUTING" })).status).toBe(200);
    const before = await totalRecords();
    expect(
      (await putOp(op.id, { status: "EXECUTING", c8y_Command: { text: "uptime", result: "1d" } })).status,
    ).toBe(200);
    expect((await putOp(op.id, { status: "PENDING" })).status).toBe(422);
    expect((await putOp(op.id, { status: "DONE" })).status).toBe(422);
    expect(await totalRecords()).toBe(before);
    expect(await historyOf(op.id)).toHaveLength(2);
  });

  it("takes the application from the X-Cumulocity-Application-Key header and filters by it", async () => {
    const op = await createOp({ deviceId: t.agent, c8y_Restart: {} }, undefined, {
      "x-cumulocity-application-key": "devicemanagement-key",
    });
    const [created] = await historyOf(op.id);
    expect(created!.application).toBe("devicemanagement-key");
    const byApp = await audits("application=devicemanagement-key&pageSize=100");
    expect(byApp.auditRecords.map((r) => r.id)).toEqual([created!.id]);
    // Without the header a record has no application.
    const plain = await createOp({ deviceId: t.agent, c8y_Restart: {} });
    expect((await historyOf(plain.id))[0]).not.toHaveProperty("application");
  });
});

describe("inventory audits", () => {
  it("records a deletion for every managed object deleted, and nothing for other inventory changes", async () => {
    const gw = await createMo(p, { name: "Doomed gateway", type: "c8y_Linux", fragments: AGENT });
    const sensor = await createMo(p, { name: "Doomed sensor" });
    await link(p, gw, "childDevices", sensor);
    await p.request(`/inventory/managedObjects/${gw}`, { method: "PUT", ...json({ c8y_Note: { x: 1 } }) });
    expect((await audits(`source=${gw}`)).auditRecords).toEqual([]);

    clock += 1000;
    const res = await p.request(`/inventory/managedObjects/${gw}?cascade=true`, { method: "DELETE" });
    expect(res.status).toBe(204);
    const records = (await audits(`type=Inventory&dateFrom=${encodeURIComponent(at(clock))}&pageSize=100`))
      .auditRecords;
    expect(records.map((r) => [r.source, r.activity, r.text])).toEqual([
      [
        { id: gw, self: `${p.url}/inventory/managedObjects/${gw}` },
        "Managed object deleted",
        "Managed object deleted: name='Doomed gateway', type='c8y_Linux'.",
      ],
      [
        { id: sensor, self: `${p.url}/inventory/managedObjects/${sensor}` },
        "Managed object deleted",
        "Managed object deleted: name='Doomed sensor'.",
      ],
    ]);
    expect(records[0]).toMatchObject({
      user: "admin",
      com_cumulocity_model_event_AuditSourceDevice: { id: gw },
    });
  });
});

describe("a change and its audit record are one transaction", () => {
  /** Makes every audit insert fail until the returned function is called. */
  const breakAuditWrites = () => {
    const { db } = p.platform.ctx;
    db.exec(
      "CREATE TRIGGER test_break_audit BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'broken'); END",
    );
    return () => db.exec("DROP TRIGGER test_break_audit");
  };
  const faultyPut = (id: string, body: unknown) =>
    faultyRequest(p, `/devicecontrol/operations/${id}`, { method: "PUT", ...json(body) });

  it("creates no operation when its record cannot be written", async () => {
    const before = (
      await (await p.request("/devicecontrol/operations?pageSize=1&withTotalElements=true")).json()
    ).statistics.totalElements as number;
    const rec = recordEvents(p);
    const repair = breakAuditWrites();
    try {
      const res = await faultyRequest(p, "/devicecontrol/operations", {
        method: "POST",
        ...json({ deviceId: t.agent, c8y_Restart: {} }),
      });
      expect(res.status).toBe(500);
    } finally {
      repair();
      rec.stop();
    }
    expect(rec.events).toEqual([]);
    const after = (
      await (await p.request("/devicecontrol/operations?pageSize=1&withTotalElements=true")).json()
    ).statistics.totalElements as number;
    expect(after).toBe(before);
  });

  it("keeps the status when the record of the change cannot be written", async () => {
    const op = await createOp({ deviceId: t.agent, c8y_Restart: {} });
    const repair = breakAuditWrites();
    try {
      expect((await faultyPut(op.id, { status: "EXECUTING" })).status).toBe(500);
    } finally {
      repair();
    }
    expect((await (await p.request(`/devicecontrol/operations/${op.id}`)).json()).status).toBe("PENDING");
    expect(await historyOf(op.id)).toHaveLength(1);
  });

  it("writes no record when the change itself fails", async () => {
    const op = await createOp({ deviceId: t.agent, c8y_Restart: {} });
    const { db } = p.platform.ctx;
    db.exec(
      "CREATE TRIGGER test_break_ops AFTER UPDATE ON operations BEGIN SELECT RAISE(ABORT, 'broken'); END",
    );
    try {
      expect((await faultyPut(op.id, { status: "EXECUTING" })).status).toBe(500);
    } finally {
      db.exec("DROP TRIGGER test_break_ops");
    }
    expect(await historyOf(op.id)).toHaveLength(1);
  });

  it("deletes no managed object when its record cannot be written", async () => {
    const mo = await createMo(p, { name: "Survivor" });
    const repair = breakAuditWrites();
    try {
      expect((await faultyRequest(p, `/inventory/managedObjects/${mo}`, { method: "DELETE" })).status).toBe(
        500,
      );
    } finally {
      repair();
    }
    expect((await p.request(`/inventory/managedObjects/${mo}`)).status).toBe(200);
  });

  it("refuses to write a record outside the caller's transaction", () => {
    const audit = auditService(p.platform.ctx);
    const entry = { type: "Operation", sourceId: "1", activity: "Operation updated", text: "x" };
    expect(() => audit.record({ user: "admin" }, entry)).toThrow(/inside the transaction/);
  });
});

describe("audit records cannot be changed or deleted", () => {
  it("answers PUT and DELETE with 405 in the platform's error shape", async () => {
    const [record] = (await audits("pageSize=1")).auditRecords;
    for (const [method, path] of [
      ["PUT", `/audit/auditRecords/${record!.id}`],
      ["DELETE", `/audit/auditRecords/${record!.id}`],
      ["DELETE", "/audit/auditRecords"],
      ["PUT", "/audit/auditRecords"],
    ] as const) {
      const res = await p.request(path, { method, ...json({ text: "changed" }) });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect((await errorOf(res)).error).toBe("general/methodNotAllowed");
    }
    expect(await (await p.request(`/audit/auditRecords/${record!.id}`)).json()).toEqual(record);
  });

  it("refuses changes even straight in the database", () => {
    const { db } = p.platform.ctx;
    expect(() => db.prepare("UPDATE audit_records SET text = 'x'").run()).toThrow(/cannot be changed/);
    expect(() => db.prepare("DELETE FROM audit_records").run()).toThrow(/cannot be deleted/);
  });
});

describe("POST /audit/auditRecords", () => {
  const valid = () => ({
    type: "Inventory",
    time: "2025-05-01T10:00:00.000+02:00",
    text: "Managed Object updated: my_Prop: value",
    source: { id: t.agent },
    activity: "Managed Object updated",
  });

  it("creates a record with the client's time, and answers with Location and the record", async () => {
    const res = await p.request("/audit/auditRecords", {
      method: "POST",
      headers: { "content-type": `${VENDOR}auditRecord+json`, accept: `${VENDOR}auditRecord+json` },
      body: JSON.stringify({
        ...valid(),
        severity: "WARNING",
        id: "1",
        creationTime: "2000-01-01T00:00:00.000Z",
        application: "forged",
        changes: [{ attribute: "x" }],
        c8y_Custom: { reason: "test" },
      }),
    });
    expect(res.status).toBe(201);
    const record = (await res.json()) as Json;
    expect(res.headers.get("location")).toBe(record.self);
    expect(record).toEqual({
      id: expect.stringMatching(/^\d+$/),
      self: `${p.url}/audit/auditRecords/${record.id}`,
      type: "Inventory",
      time: "2025-05-01T08:00:00.000Z",
      creationTime: at(clock),
      source: { id: t.agent, self: `${p.url}/inventory/managedObjects/${t.agent}` },
      com_cumulocity_model_event_AuditSourceDevice: { id: t.agent },
      user: "admin",
      activity: "Managed Object updated",
      text: "Managed Object updated: my_Prop: value",
      severity: "warning",
      c8y_Custom: { reason: "test" },
    });
    expect(await (await p.request(`/audit/auditRecords/${record.id}`)).json()).toEqual(record);
  });

  it("keeps a source that is no managed object, and a user given by the client", async () => {
    const res = await postAudit({
      ...valid(),
      type: "Application",
      source: { id: "app-17" },
      user: "someone",
    });
    expect(res.status).toBe(201);
    const record = (await res.json()) as Json;
    expect(record).toMatchObject({ source: { id: "app-17" }, user: "someone", severity: "information" });
    expect(record).not.toHaveProperty("com_cumulocity_model_event_AuditSourceDevice");
  });

  it("answers without a body when the request has no Accept header", async () => {
    const res = await withoutAccept(p, "POST", "/audit/auditRecords", JSON.stringify(valid()));
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/\/audit\/auditRecords\/\d+$/);
    expect(res.body).toBe("");
  });

  it("is refused to device and bootstrap users", async () => {
    const before = await totalRecords();
    for (const auth of [agentAuth, p.bootstrap]) {
      const res = await postAudit(valid(), auth);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).error).toBe("security/Forbidden");
    }
    expect(await totalRecords()).toBe(before);
  });

  it.each([
    ["no activity", { activity: undefined }, "undefined/validationError"],
    ["no source", { source: undefined }, "undefined/validationError"],
    ["no time", { time: undefined }, "undefined/validationError"],
    ["no type", { type: undefined }, "undefined/validationError"],
    ["empty text", { text: "" }, "undefined/validationError"],
    ["source without id", { source: {} }, "audit/Invalid Data"],
    ["source a string", { source: "42" }, "audit/Invalid Data"],
    ["source id an object", { source: { id: { id: 1 } } }, "audit/Invalid Data"],
    ["type a number", { type: 5 }, "audit/Invalid Data"],
    ["type too long", { type: "x".repeat(300) }, "audit/Invalid Data"],
    ["activity an array", { activity: ["x"] }, "audit/Invalid Data"],
    ["text a number", { text: 7 }, "audit/Invalid Data"],
    ["time not a date", { time: "yesterday" }, "audit/Invalid Data"],
    ["time that does not exist", { time: "2025-02-30T10:00:00Z" }, "audit/Invalid Data"],
    ["time a number", { time: 1714550400000 }, "audit/Invalid Data"],
    ["unknown severity", { severity: "loud" }, "audit/Invalid Data"],
    ["severity a number", { severity: 3 }, "audit/Invalid Data"],
    ["user an object", { user: {} }, "audit/Invalid Data"],
    [
      "source device not an id",
      { com_cumulocity_model_event_AuditSourceDevice: { id: "abc" } },
      "audit/Invalid Data",
    ],
    ["empty fragment name", { "": {} }, "audit/Invalid Data"],
  ])("refuses %s with 422 and writes nothing", async (_name, change, error) => {
    const before = await totalRecords();
    const res = await postAudit({ ...valid(), ...change });
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.error).toBe(error);
    if (error === "undefined/validationError")
      expect(err.message).toMatch(/^Following mandatory fields should be included: /);
    expect(await totalRecords()).toBe(before);
  });

  it("names every missing mandatory field", async () => {
    const res = await postAudit({ severity: "information" });
    expect((await errorOf(res)).message).toBe(
      "Following mandatory fields should be included: activity,source,text,time,type",
    );
  });
});

describe("GET /audit/auditRecords filters and paging", () => {
  // A separate platform with a known set of POSTed records, one hour apart.
  let q: TestPlatform;
  const made: Json[] = [];
  const plan: [type: string, source: string, user: string, app: string | undefined][] = [
    ["Alarm", "100", "alice", "cockpit"],
    ["Operation", "200", "bob", undefined],
    ["Operation", "200", "alice", "devicemanagement"],
    ["Operation", "300", "alice", "devicemanagement"],
    ["Alarm", "100", "bob", "cockpit"],
    ["User", "alice", "admin", undefined],
  ];
  const qlist = async (query: string) => {
    const res = await q.request(`/audit/auditRecords?${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()) as Page;
  };
  const ids = (page: Page) => page.auditRecords.map((r) => r.id);
  const pick = (...i: number[]) => i.map((n) => made[n]!.id);

  beforeAll(async () => {
    q = await startTestPlatform();
    // Created out of time order: lists follow `time`, not creation.
    const order = [2, 0, 5, 1, 4, 3];
    const byIndex = new Map<number, Json>();
    for (const i of order) {
      const [type, source, user, app] = plan[i]!;
      const res = await q.request("/audit/auditRecords", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...(app ? { "x-cumulocity-application-key": app } : {}),
        },
        body: JSON.stringify({
          type,
          source: { id: source },
          user,
          activity: `${type} changed`,
          text: `record ${i}`,
          time: at(Date.parse("2025-06-01T00:00:00.000Z") + i * 3_600_000),
        }),
      });
      expect(res.status).toBe(201);
      byIndex.set(i, (await res.json()) as Json);
    }
    for (let i = 0; i < plan.length; i++) made.push(byIndex.get(i)!);
  });
  afterAll(() => q.close());

  it("lists oldest first by time, newest first with revert", async () => {
    expect(ids(await qlist("pageSize=100"))).toEqual(pick(0, 1, 2, 3, 4, 5));
    expect(ids(await qlist("pageSize=100&revert=true"))).toEqual(pick(5, 4, 3, 2, 1, 0));
  });

  it("filters by source, type, user and application, combined", async () => {
    expect(ids(await qlist("source=200&pageSize=100"))).toEqual(pick(1, 2));
    expect(ids(await qlist("source=200&type=Operation"))).toEqual(pick(1, 2));
    expect(ids(await qlist("source=100&type=Operation"))).toEqual([]);
    expect(ids(await qlist("type=Alarm"))).toEqual(pick(0, 4));
    expect(ids(await qlist("user=alice&pageSize=100"))).toEqual(pick(0, 2, 3));
    expect(ids(await qlist("application=devicemanagement"))).toEqual(pick(2, 3));
    expect(ids(await qlist("type=Operation&user=alice&application=devicemanagement"))).toEqual(pick(2, 3));
    expect(ids(await qlist("source=nothing"))).toEqual([]);
  });

  it("filters time half-open [dateFrom, dateTo)", async () => {
    const from = encodeURIComponent(made[1]!.time as string);
    const to = encodeURIComponent(made[4]!.time as string);
    expect(ids(await qlist(`dateFrom=${from}&dateTo=${to}`))).toEqual(pick(1, 2, 3));
    expect(ids(await qlist(`dateFrom=${from}&dateTo=${to}&revert=true`))).toEqual(pick(3, 2, 1));
    expect(ids(await qlist("dateFrom=2025-06-01T04:00:00%2B02:00&pageSize=100"))).toEqual(pick(2, 3, 4, 5));
    expect(ids(await qlist("dateTo=2025-06-01"))).toEqual([]);
  });

  it("pages with statistics and links", async () => {
    const page2 = await qlist("pageSize=2&currentPage=2&withTotalPages=true&withTotalElements=true");
    expect(ids(page2)).toEqual(pick(2, 3));
    expect(page2.statistics).toEqual({ currentPage: 2, pageSize: 2, totalPages: 3, totalElements: 6 });
    expect(page2.next).toContain("currentPage=3");
    expect(page2.prev).toContain("currentPage=1");
    const filtered = await qlist("type=Operation&pageSize=2&withTotalPages=true&withTotalElements=true");
    expect(filtered.statistics).toEqual({ currentPage: 1, pageSize: 2, totalPages: 2, totalElements: 3 });
  });

  it.each([
    "dateFrom=yesterday",
    "dateTo=2025-13-01",
    "dateFrom=2025-02-30T00:00:00Z",
    "revert=maybe",
    "pageSize=-1",
    "currentPage=abc",
    "withTotalPages=yes",
  ])("refuses %s with 422 audit/Invalid Data", async (query) => {
    const res = await q.request(`/audit/auditRecords?${query}`);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).error).toBe("audit/Invalid Data");
  });

  it.each(["99999999", "abc", "0", "-1"])("answers 404 audit/Not Found for record %s", async (id) => {
    const res = await q.request(`/audit/auditRecords/${id}`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({
      error: "audit/Not Found",
      message: `Finding audit record from database failed : No auditRecord for id '${id}'!`,
    });
  });

  it("finds one operation's history by an index lookup, without sorting", () => {
    const plan = auditService(q.platform.ctx).store.pagePlan({ source: "200", type: "Operation" }, false);
    expect(plan.join("\n")).toMatch(/SEARCH a USING INDEX audit_by_source \(source_id=\? AND type=\?\)/);
    expect(plan.join("\n")).not.toMatch(/TEMP B-TREE|SCAN a/);
    const reverted = auditService(q.platform.ctx).store.pagePlan({ source: "200", type: "Operation" }, true);
    expect(reverted.join("\n")).toMatch(/SEARCH a USING INDEX audit_by_source/);
    expect(reverted.join("\n")).not.toMatch(/TEMP B-TREE/);
  });
});

describe("who may read what", () => {
  it("shows device users the records about their devices and their own, nobody else's", async () => {
    const own = await createOp({ deviceId: t.child, c8y_Restart: {} });
    const foreign = await createOp({ deviceId: t.other, c8y_Restart: {} });
    expect((await putOp(foreign.id, { status: "EXECUTING" }, otherAuth)).status).toBe(200);
    const [ownRecord] = await historyOf(own.id);
    const foreignRecords = await historyOf(foreign.id);

    const mine = (await audits("pageSize=2000", agentAuth)).auditRecords.map((r) => r.id);
    expect(mine).toContain(ownRecord!.id);
    for (const r of foreignRecords) expect(mine).not.toContain(r.id);
    expect((await audits(`source=${foreign.id}`, agentAuth)).auditRecords).toEqual([]);
    const theirs = (await audits(`source=${foreign.id}&withTotalElements=true`, otherAuth)).statistics;
    expect(theirs.totalElements).toBe(2);

    expect((await p.request(`/audit/auditRecords/${ownRecord!.id}`, { auth: agentAuth })).status).toBe(200);
    const denied = await p.request(`/audit/auditRecords/${foreignRecords[0]!.id}`, { auth: agentAuth });
    expect(denied.status).toBe(403);
    expect((await errorOf(denied)).error).toBe("security/Forbidden");
  });

  it("lets the bootstrap user read nothing", async () => {
    const [any] = (await audits("pageSize=1")).auditRecords;
    for (const path of ["/audit", "/audit/auditRecords", `/audit/auditRecords/${any!.id}`]) {
      const res = await p.request(path, { auth: p.bootstrap });
      expect(res.status, path).toBe(403);
    }
  });
});
