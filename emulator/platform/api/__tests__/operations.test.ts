import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import {
  bindExternalId,
  createMo,
  deviceUser,
  errorOf,
  json,
  link,
  recordEvents,
  VENDOR,
} from "../devicecontrol/__tests__/fixtures.js";

// A clock the tests move, so that creation times (and the date filters) are exact.
const clock = Date.parse("2025-05-02T12:00:00.000Z");
let p: TestPlatform;

/** agentA ─childDevices→ child ─→ grandchild ─→ agentB (an agent itself) ─→ leaf; lonely has no agent above it. */
const t = {} as Record<
  "agentA" | "child" | "grandchild" | "agentB" | "leaf" | "lonely" | "otherAgent",
  string
>;
let agentAuth: string;
let otherAuth: string;

const AGENT = { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} };

beforeAll(async () => {
  p = await startTestPlatform({ now: () => clock });
  t.agentA = await createMo(p, { name: "Agent A", owner: "device_agent-a", fragments: AGENT });
  t.child = await createMo(p, { name: "Child", owner: "device_agent-a" });
  t.grandchild = await createMo(p, { name: "Grandchild", owner: "device_agent-a" });
  t.agentB = await createMo(p, { name: "Agent B", owner: "device_agent-a", fragments: AGENT });
  t.leaf = await createMo(p, { name: "Leaf", owner: "device_agent-a" });
  t.lonely = await createMo(p, { name: "Lonely" });
  t.otherAgent = await createMo(p, { name: "Other", owner: "device_other", fragments: AGENT });
  await link(p, t.agentA, "childDevices", t.child);
  await link(p, t.child, "childDevices", t.grandchild);
  await link(p, t.grandchild, "childDevices", t.agentB);
  await link(p, t.agentB, "childDevices", t.leaf);
  await bindExternalId(p, "c8y_Serial", "child-serial", t.child);
  agentAuth = await deviceUser(p, "device_agent-a");
  otherAuth = await deviceUser(p, "device_other");
});
afterAll(() => p.close());

const create = (body: unknown, auth?: string) =>
  p.request("/devicecontrol/operations", { method: "POST", ...json(body), ...(auth ? { auth } : {}) });
const createOk = async (body: Record<string, unknown>, auth?: string) => {
  const res = await create(body, auth);
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown> & { id: string };
};
const update = (id: string, body: unknown, auth?: string) =>
  p.request(`/devicecontrol/operations/${id}`, { method: "PUT", ...json(body), ...(auth ? { auth } : {}) });
const list = async (query: string, auth?: string) => {
  const res = await p.request(`/devicecontrol/operations?${query}`, auth ? { auth } : {});
  expect(res.status).toBe(200);
  return (await res.json()) as {
    operations: (Record<string, unknown> & { id: string })[];
    statistics: unknown;
  };
};
const ids = (ops: { id: string }[]) => ops.map((o) => o.id);

describe("POST /devicecontrol/operations", () => {
  it("creates a PENDING operation with the device's fragments", async () => {
    const res = await p.request("/devicecontrol/operations", {
      method: "POST",
      headers: { "content-type": `${VENDOR}operation+json`, accept: `${VENDOR}operation+json` },
      body: JSON.stringify({ deviceId: t.agentA, description: "Restart device", c8y_Restart: {} }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}operation+json;charset=UTF-8;ver=0.9`);
    const op = await res.json();
    expect(op).toEqual({
      id: expect.stringMatching(/^\d+$/),
      self: `${p.url}/devicecontrol/operations/${op.id}`,
      creationTime: new Date(clock).toISOString(),
      deviceId: t.agentA,
      agentId: t.agentA,
      status: "PENDING",
      delivery: { status: "PENDING", time: new Date(clock).toISOString(), log: [] },
      description: "Restart device",
      c8y_Restart: {},
    });
    expect(res.headers.get("location")).toBe(op.self);
    const read = await p.request(`/devicecontrol/operations/${op.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(op);
  });

  it("ignores status, failureReason and other read-only fields on create", async () => {
    const op = await createOk({
      deviceId: Number(t.agentA),
      status: "SUCCESSFUL",
      failureReason: "nope",
      id: "1",
      creationTime: "2000-01-01T00:00:00.000Z",
      agentId: t.lonely,
      bulkOperationId: 7,
      delivery: { status: "DELIVERED", time: "2000-01-01T00:00:00.000Z", log: [] },
      c8y_Command: { text: "uptime" },
    });
    expect(op.status).toBe("PENDING");
    expect(op).not.toHaveProperty("failureReason");
    expect(op).not.toHaveProperty("bulkOperationId");
    expect(op.id).not.toBe("1");
    expect(op.creationTime).toBe(new Date(clock).toISOString());
    expect(op.delivery).toEqual({ status: "PENDING", time: new Date(clock).toISOString(), log: [] });
    expect(op.c8y_Command).toEqual({ text: "uptime" });
  });

  it.each([
    ["no deviceId", { c8y_Restart: {} }, 422, "undefined/validationError"],
    ["empty deviceId", { deviceId: "" }, 422, "undefined/validationError"],
    ["deviceId not an id", { deviceId: "abc" }, 422, "devicecontrol/Invalid Data"],
    ["deviceId object", { deviceId: { id: "1" } }, 422, "devicecontrol/Invalid Data"],
    ["deviceId fraction", { deviceId: 1.5 }, 422, "devicecontrol/Invalid Data"],
    ["unknown device", { deviceId: "99999999" }, 422, "devicecontrol/Invalid Data"],
    ["empty fragment name", { deviceId: "PLACEHOLDER", "": {} }, 422, "devicecontrol/Invalid Data"],
    ["array body", [{ deviceId: "1" }], 422, "devicecontrol/Invalid Data"],
  ])("refuses %s and stores nothing", async (_name, body, status, error) => {
    const before = (await list("pageSize=1&withTotalElements=true")).statistics;
    const payload = JSON.parse(JSON.stringify(body).replace("PLACEHOLDER", t.agentA));
    const res = await create(payload);
    expect(res.status).toBe(status);
    const err = await errorOf(res);
    expect(err.error).toBe(error);
    if (error === "undefined/validationError")
      expect(err.message).toBe("Following mandatory fields should be included: deviceId");
    expect((await list("pageSize=1&withTotalElements=true")).statistics).toEqual(before);
  });

  it("keeps a fragment named __proto__ as an ordinary fragment", async () => {
    const res = await p.request("/devicecontrol/operations", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: `{"deviceId":"${t.agentA}","__proto__":{"x":1},"c8y_Restart":{}}`,
    });
    expect(res.status).toBe(201);
    const text = await (await p.request(`/devicecontrol/operations/${(await res.json()).id}`)).text();
    expect(text).toContain('"__proto__":{"x":1}');
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await p.request("/devicecontrol/operations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    await errorOf(res);
  });
});

describe("routing to the nearest agent", () => {
  it.each([
    ["the agent itself", "agentA", "agentA"],
    ["a child device", "child", "agentA"],
    ["a grandchild", "grandchild", "agentA"],
    ["an agent below an agent", "agentB", "agentB"],
    ["a child of the lower agent", "leaf", "agentB"],
  ] as const)("routes an operation for %s", async (_name, device, agent) => {
    const rec = recordEvents(p);
    try {
      const op = await createOk({ deviceId: t[device], c8y_Restart: {} });
      expect(op.agentId).toBe(t[agent]);
      const forAgent = await list(`agentId=${t[agent]}&pageSize=2000`);
      expect(ids(forAgent.operations)).toContain(op.id);
      const other = agent === "agentA" ? "agentB" : "agentA";
      expect(ids((await list(`agentId=${t[other]}&pageSize=2000`)).operations)).not.toContain(op.id);
      expect(rec.events).toEqual([
        {
          api: "operations",
          action: "CREATE",
          id: op.id,
          deviceId: t[device],
          agentId: t[agent],
          data: op,
        },
      ]);
    } finally {
      rec.stop();
    }
  });

  it("creates an operation for a device without an agent above it, without agentId", async () => {
    const rec = recordEvents(p);
    try {
      const op = await createOk({ deviceId: t.lonely, c8y_Restart: {} });
      expect(op).not.toHaveProperty("agentId");
      expect(rec.events).toHaveLength(1);
      expect(rec.events[0]).toMatchObject({ api: "operations", action: "CREATE", agentId: undefined });
      expect(rec.events[0]).toHaveProperty("data");
      expect((rec.events[0] as { data: object }).data).not.toHaveProperty("agentId");
    } finally {
      rec.stop();
    }
  });
});

describe("GET /devicecontrol/operations/{id}", () => {
  it.each(["99999999", "abc", "0"])("answers 404 devicecontrol/Not Found for %s", async (id) => {
    const res = await p.request(`/devicecontrol/operations/${id}`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({
      error: "devicecontrol/Not Found",
      message: `Finding device data from database failed : No operation for gid '${id}'!`,
    });
  });
});

describe("GET /devicecontrol/operations filters", () => {
  // A separate platform with a known set of operations, one second apart.
  let q: TestPlatform;
  let qClock = Date.parse("2025-06-01T00:00:00.000Z");
  const d = {} as Record<"agent" | "sensor" | "lonely", string>;
  const made: { id: string; device: string; time: string; frag: string }[] = [];
  const qlist = async (query: string) => {
    const res = await q.request(`/devicecontrol/operations?${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()) as {
      operations: (Record<string, unknown> & { id: string })[];
      statistics: Record<string, number>;
      next?: string;
      prev?: string;
    };
  };

  beforeAll(async () => {
    q = await startTestPlatform({ now: () => qClock });
    d.agent = await createMo(q, { name: "Gateway", fragments: AGENT });
    d.sensor = await createMo(q, { name: "Sensor" });
    d.lonely = await createMo(q, { fragments: { c8y_IsDevice: {} } }); // no name
    await link(q, d.agent, "childDevices", d.sensor);
    await bindExternalId(q, "c8y_Serial", "sensor-1", d.sensor);
    await bindExternalId(q, "c8y_MAC", "aa-bb", d.sensor);
    const plan: [keyof typeof d, string][] = [
      ["agent", "c8y_Restart"],
      ["sensor", "c8y_Command"],
      ["sensor", "c8y_Restart"],
      ["lonely", "c8y_Restart"],
      ["agent", "c8y_Firmware"],
      ["sensor", "c8y_Restart"],
    ];
    for (const [device, frag] of plan) {
      const res = await q.request("/devicecontrol/operations", {
        method: "POST",
        ...json({ deviceId: d[device], [frag]: {} }),
      });
      const op = (await res.json()) as { id: string; creationTime: string };
      made.push({ id: op.id, device: d[device], time: op.creationTime, frag });
      qClock += 1000;
    }
    // ops 1 and 2 run, op 1 succeeds, op 4 fails.
    const put = (id: string, body: unknown) =>
      q.request(`/devicecontrol/operations/${id}`, { method: "PUT", ...json(body) });
    await put(made[1]!.id, { status: "EXECUTING" });
    await put(made[2]!.id, { status: "EXECUTING" });
    await put(made[1]!.id, { status: "SUCCESSFUL" });
    await put(made[4]!.id, { status: "FAILED", failureReason: "no firmware" });
    q.platform.ctx.db
      .prepare("UPDATE operations SET bulk_operation_id = 15 WHERE id IN (?, ?)")
      .run(Number(made[0]!.id), Number(made[3]!.id));
  });
  afterAll(() => q.close());

  const pick = (...i: number[]) => i.map((n) => made[n]!.id);

  it("lists in ascending id order by default and newest first with revert", async () => {
    expect(ids((await qlist("pageSize=100")).operations)).toEqual(pick(0, 1, 2, 3, 4, 5));
    expect(ids((await qlist("pageSize=100&revert=true")).operations)).toEqual(pick(5, 4, 3, 2, 1, 0));
  });

  it("filters by agentId, deviceId, status and fragmentType, combined", async () => {
    expect(ids((await qlist(`agentId=${d.agent}&pageSize=100`)).operations)).toEqual(pick(0, 1, 2, 4, 5));
    expect(ids((await qlist(`deviceId=${d.sensor}&pageSize=100`)).operations)).toEqual(pick(1, 2, 5));
    expect(ids((await qlist("status=PENDING&pageSize=100")).operations)).toEqual(pick(0, 3, 5));
    expect(ids((await qlist("status=EXECUTING")).operations)).toEqual(pick(2));
    expect(ids((await qlist("status=SUCCESSFUL")).operations)).toEqual(pick(1));
    expect(ids((await qlist("status=FAILED")).operations)).toEqual(pick(4));
    expect(ids((await qlist("fragmentType=c8y_Restart&pageSize=100")).operations)).toEqual(pick(0, 2, 3, 5));
    expect(ids((await qlist(`agentId=${d.agent}&status=PENDING&pageSize=100`)).operations)).toEqual(
      pick(0, 5),
    );
    expect(
      ids((await qlist(`deviceId=${d.sensor}&fragmentType=c8y_Restart&status=EXECUTING`)).operations),
    ).toEqual(pick(2));
    expect(ids((await qlist("bulkOperationId=15")).operations)).toEqual(pick(0, 3));
    expect((await qlist("bulkOperationId=15")).operations[0]!.bulkOperationId).toBe(15);
  });

  it("filters by a repeated status: any of the given ones", async () => {
    expect(ids((await qlist("status=PENDING&status=EXECUTING&pageSize=100")).operations)).toEqual(
      pick(0, 2, 3, 5),
    );
    expect(ids((await qlist("status=SUCCESSFUL&status=FAILED&status=SUCCESSFUL")).operations)).toEqual(
      pick(1, 4),
    );
    expect(ids((await qlist(`status=EXECUTING&status=FAILED&agentId=${d.agent}`)).operations)).toEqual(
      pick(2, 4),
    );
    const counted = await qlist("status=PENDING&status=FAILED&pageSize=1&withTotalElements=true");
    expect(counted.statistics.totalElements).toBe(4);
    // An empty value among them is no filter value; a wrong one refuses the whole request.
    expect(ids((await qlist("status=&status=SUCCESSFUL")).operations)).toEqual(pick(1));
    const bad = await q.request("/devicecontrol/operations?status=PENDING&status=DONE");
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).error).toBe("devicecontrol/Invalid Data");
  });

  it("matches nothing for ids that do not exist or are not ids", async () => {
    for (const query of ["agentId=99999", "deviceId=abc", `agentId=${d.sensor}`, "fragmentType=c8y_Nothing"])
      expect((await qlist(query)).operations).toEqual([]);
  });

  it("filters creation time half-open [dateFrom, dateTo)", async () => {
    const from = encodeURIComponent(made[1]!.time);
    const to = encodeURIComponent(made[4]!.time);
    expect(ids((await qlist(`dateFrom=${from}&dateTo=${to}&pageSize=100`)).operations)).toEqual(
      pick(1, 2, 3),
    );
    expect(ids((await qlist(`dateFrom=${from}&dateTo=${to}&revert=true`)).operations)).toEqual(pick(3, 2, 1));
    expect(ids((await qlist(`dateTo=${encodeURIComponent(made[0]!.time)}`)).operations)).toEqual([]);
    // Zone offsets and zone-less values (UTC) denote the same instants.
    const plus2 = "2025-06-01T02:00:02+02:00";
    expect(ids((await qlist(`dateFrom=${encodeURIComponent(plus2)}&pageSize=100`)).operations)).toEqual(
      pick(2, 3, 4, 5),
    );
    expect(ids((await qlist("dateFrom=2025-06-01T00:00:02&pageSize=100")).operations)).toEqual(
      pick(2, 3, 4, 5),
    );
    // Sent unencoded, "+" arrives as a space; still understood.
    expect(ids((await qlist(`dateFrom=2025-06-01T02:00:02+02:00&pageSize=100`)).operations)).toEqual(
      pick(2, 3, 4, 5),
    );
    expect(ids((await qlist("dateFrom=2025-06-01&dateTo=2025-06-02&pageSize=100")).operations)).toHaveLength(
      6,
    );
    expect((await qlist("dateFrom=2025-06-02")).operations).toEqual([]);
  });

  it("pages with statistics and links", async () => {
    const page2 = await qlist("pageSize=2&currentPage=2&withTotalPages=true&withTotalElements=true");
    expect(ids(page2.operations)).toEqual(pick(2, 3));
    expect(page2.statistics).toEqual({ currentPage: 2, pageSize: 2, totalPages: 3, totalElements: 6 });
    expect(page2.next).toContain("currentPage=3");
    expect(page2.prev).toContain("currentPage=1");
    expect((await qlist("pageSize=2&currentPage=9")).operations).toEqual([]);
  });

  it("carries deviceName on list items, and deviceExternalIDs with agentId", async () => {
    const all = (await qlist("pageSize=100")).operations;
    expect(all[0]!.deviceName).toBe("Gateway");
    expect(all[1]!.deviceName).toBe("Sensor");
    expect(all[3]).not.toHaveProperty("deviceName");
    expect(all[1]).not.toHaveProperty("deviceExternalIDs");
    const forAgent = (await qlist(`agentId=${d.agent}&deviceId=${d.sensor}`)).operations;
    expect(forAgent[0]!.deviceExternalIDs).toEqual({
      self: `${q.url}/identity/globalIds/${d.sensor}/externalIds`,
      externalIds: [
        {
          externalId: "sensor-1",
          type: "c8y_Serial",
          self: `${q.url}/identity/externalIds/c8y_Serial/sensor-1`,
          managedObject: { id: d.sensor, self: `${q.url}/inventory/managedObjects/${d.sensor}` },
        },
        {
          externalId: "aa-bb",
          type: "c8y_MAC",
          self: `${q.url}/identity/externalIds/c8y_MAC/aa-bb`,
          managedObject: { id: d.sensor, self: `${q.url}/inventory/managedObjects/${d.sensor}` },
        },
      ],
    });
    // A single GET shows neither.
    const one = await (await q.request(`/devicecontrol/operations/${made[1]!.id}`)).json();
    expect(one).not.toHaveProperty("deviceName");
    expect(one).not.toHaveProperty("deviceExternalIDs");
  });

  it.each([
    "status=DONE",
    "status=pending",
    "dateFrom=yesterday",
    "dateTo=2025-13-01",
    "dateFrom=2025-02-30",
    "dateFrom=2025-02-30T00:00:00Z",
    "dateTo=2025-01-01T24:00:00Z",
    "dateTo=2025-01-01T10:61:00%2B01:00",
    "dateTo=2025-01-01T10:00:00%2B25:00",
    "bulkOperationId=x",
    "revert=maybe",
    "pageSize=-1",
    "currentPage=abc",
    "withTotalPages=yes",
  ])("refuses %s with 422", async (query) => {
    const res = await q.request(`/devicecontrol/operations?${query}`);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).error).toBe("devicecontrol/Invalid Data");
  });
});

describe("PUT /devicecontrol/operations/{id}", () => {
  const walk = async (...statuses: string[]) => {
    const op = await createOk({ deviceId: t.child, c8y_Restart: {} });
    for (const status of statuses) expect((await update(op.id, { status })).status).toBe(200);
    return op.id;
  };

  it.each([
    [[], "EXECUTING"],
    [[], "FAILED"],
    [["EXECUTING"], "SUCCESSFUL"],
    [["EXECUTING"], "FAILED"],
    [[], "PENDING"],
    [["EXECUTING"], "EXECUTING"],
  ])("allows %j → %s", async (before, next) => {
    const id = await walk(...before);
    const res = await update(id, { status: next });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect((await res.json()).status).toBe(next);
  });

  it.each([
    [[], "SUCCESSFUL"],
    [["EXECUTING"], "PENDING"],
    [["EXECUTING", "SUCCESSFUL"], "FAILED"],
    [["EXECUTING", "SUCCESSFUL"], "EXECUTING"],
    [["EXECUTING", "SUCCESSFUL"], "PENDING"],
    [["FAILED"], "EXECUTING"],
    [["FAILED"], "SUCCESSFUL"],
    [["EXECUTING", "FAILED"], "PENDING"],
  ])("refuses %j → %s with 422 and changes nothing", async (before, next) => {
    const id = await walk(...before);
    const prior = await (await p.request(`/devicecontrol/operations/${id}`)).json();
    const rec = recordEvents(p);
    try {
      const res = await update(id, { status: next, c8y_Restart: { changed: true } });
      expect(res.status).toBe(422);
      expect((await errorOf(res)).error).toBe("devicecontrol/Invalid Data");
      expect(rec.events).toEqual([]);
    } finally {
      rec.stop();
    }
    expect(await (await p.request(`/devicecontrol/operations/${id}`)).json()).toEqual(prior);
  });

  it("keeps the same final status idempotent (a device retrying its last PUT)", async () => {
    const id = await walk("EXECUTING", "SUCCESSFUL");
    expect((await update(id, { status: "SUCCESSFUL" })).status).toBe(200);
  });

  it("stores failureReason with FAILED and publishes the update", async () => {
    const id = await walk();
    const rec = recordEvents(p);
    try {
      const res = await update(id, { status: "FAILED", failureReason: "User cancelled operation" });
      const op = await res.json();
      expect(op).toMatchObject({ status: "FAILED", failureReason: "User cancelled operation" });
      expect(rec.events).toEqual([
        {
          api: "operations",
          action: "UPDATE",
          id,
          deviceId: t.child,
          agentId: t.agentA,
          data: op,
        },
      ]);
    } finally {
      rec.stop();
    }
  });

  it("ignores failureReason without FAILED", async () => {
    const id = await walk();
    const op = await (await update(id, { status: "EXECUTING", failureReason: "ignored" })).json();
    expect(op).not.toHaveProperty("failureReason");
  });

  it("updates fragments wholesale, removes them with null, and keeps deviceId", async () => {
    const op = await createOk({ deviceId: t.agentA, c8y_Command: { text: "uname -a" }, note: "x" });
    await update(op.id, { status: "EXECUTING" });
    const res = await update(op.id, {
      status: "SUCCESSFUL",
      c8y_Command: { text: "uname -a", result: "Linux 6.1" },
      note: null,
      deviceId: t.lonely,
      id: "1",
      creationTime: "2000-01-01T00:00:00.000Z",
      delivery: { status: "DELIVERED", time: "2000-01-01T00:00:00.000Z", log: [] },
    });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toEqual({
      id: op.id,
      self: op.self,
      creationTime: op.creationTime,
      deviceId: t.agentA,
      agentId: t.agentA,
      status: "SUCCESSFUL",
      delivery: op.delivery,
      c8y_Command: { text: "uname -a", result: "Linux 6.1" },
    });
    expect(await (await p.request(`/devicecontrol/operations/${op.id}`)).json()).toEqual(updated);
  });

  it.each([
    ["no status", { c8y_Command: { result: "x" } }, "undefined/validationError"],
    ["status null", { status: null }, "undefined/validationError"],
    ["unknown status", { status: "DONE" }, "devicecontrol/Invalid Data"],
    ["status number", { status: 2 }, "devicecontrol/Invalid Data"],
    ["failureReason object", { status: "FAILED", failureReason: {} }, "devicecontrol/Invalid Data"],
    ["array body", [{ status: "FAILED" }], "devicecontrol/Invalid Data"],
  ])("refuses %s with 422", async (_name, body, error) => {
    const id = await walk();
    const res = await update(id, body);
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.error).toBe(error);
    if (error === "undefined/validationError")
      expect(err.message).toBe("Following mandatory fields should be included: status");
    expect((await (await p.request(`/devicecontrol/operations/${id}`)).json()).status).toBe("PENDING");
  });

  it("answers 404 for an unknown operation", async () => {
    const res = await update("99999999", { status: "EXECUTING" });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error).toBe("devicecontrol/Not Found");
  });
});

describe("DELETE /devicecontrol/operations", () => {
  it("deletes by filter, publishes one event per operation and answers 204", async () => {
    const q = await startTestPlatform();
    try {
      const agent = await createMo(q, { name: "GW", fragments: AGENT });
      const sensor = await createMo(q, { name: "S" });
      const other = await createMo(q, { name: "O" });
      await link(q, agent, "childDevices", sensor);
      const mk = async (deviceId: string) =>
        (
          (await (
            await q.request("/devicecontrol/operations", {
              method: "POST",
              ...json({ deviceId, c8y_Restart: {} }),
            })
          ).json()) as { id: string }
        ).id;
      const a1 = await mk(agent);
      const s1 = await mk(sensor);
      const s2 = await mk(sensor);
      const o1 = await mk(other);
      await q.request(`/devicecontrol/operations/${s2}`, { method: "PUT", ...json({ status: "EXECUTING" }) });
      const rec = recordEvents(q);
      const res = await q.request(`/devicecontrol/operations?agentId=${agent}&status=PENDING`, {
        method: "DELETE",
      });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
      rec.stop();
      expect(rec.events).toEqual([
        { api: "operations", action: "DELETE", id: a1, deviceId: agent, agentId: agent },
        { api: "operations", action: "DELETE", id: s1, deviceId: sensor, agentId: agent },
      ]);
      const left = (await (await q.request("/devicecontrol/operations?pageSize=100")).json()).operations;
      expect(ids(left)).toEqual([s2, o1]);
      expect((await q.request(`/devicecontrol/operations/${a1}`)).status).toBe(404);
      // A bad filter deletes nothing.
      const bad = await q.request("/devicecontrol/operations?status=nope", { method: "DELETE" });
      expect(bad.status).toBe(422);
      expect(
        (await q.request(`/devicecontrol/operations?deviceId=${other}`, { method: "DELETE" })).status,
      ).toBe(204);
      expect(
        ids((await (await q.request("/devicecontrol/operations?pageSize=100")).json()).operations),
      ).toEqual([s2]);
      // Without any filter, everything goes.
      expect((await q.request("/devicecontrol/operations", { method: "DELETE" })).status).toBe(204);
      expect((await (await q.request("/devicecontrol/operations")).json()).operations).toEqual([]);
    } finally {
      await q.close();
    }
  });
});

describe("DELETE /devicecontrol/operations with a repeated status", () => {
  it("deletes the operations in any of the statuses and keeps the others", async () => {
    const q = await startTestPlatform();
    try {
      const agent = await createMo(q, { name: "GW", fragments: AGENT });
      const mk = async () =>
        (
          (await (
            await q.request("/devicecontrol/operations", {
              method: "POST",
              ...json({ deviceId: agent, c8y_Restart: {} }),
            })
          ).json()) as { id: string }
        ).id;
      const put = (id: string, status: string) =>
        q.request(`/devicecontrol/operations/${id}`, { method: "PUT", ...json({ status }) });
      const [pending, executing, done] = [await mk(), await mk(), await mk()];
      await put(executing, "EXECUTING");
      await put(done, "EXECUTING");
      await put(done, "SUCCESSFUL");
      const res = await q.request(
        `/devicecontrol/operations?deviceId=${agent}&status=PENDING&status=EXECUTING`,
        {
          method: "DELETE",
        },
      );
      expect(res.status).toBe(204);
      const left = (await (await q.request("/devicecontrol/operations?pageSize=100")).json()).operations;
      expect(ids(left)).toEqual([done]);
      for (const gone of [pending, executing])
        expect((await q.request(`/devicecontrol/operations/${gone}`)).status).toBe(404);
    } finally {
      await q.close();
    }
  });
});

describe("permissions", () => {
  it("lets a device user see and create operations of its own devices only", async () => {
    const own = await createOk({ deviceId: t.leaf, c8y_Restart: {} });
    const foreign = await createOk({ deviceId: t.otherAgent, c8y_Restart: {} });
    const lonely = await createOk({ deviceId: t.lonely, c8y_Restart: {} });

    const mine = ids((await list("pageSize=2000", agentAuth)).operations);
    expect(mine).toContain(own.id);
    expect(mine).not.toContain(foreign.id);
    expect(mine).not.toContain(lonely.id);
    expect(ids((await list(`deviceId=${t.otherAgent}`, agentAuth)).operations)).toEqual([]);
    expect(ids((await list("pageSize=2000", otherAuth)).operations)).toEqual(
      expect.arrayContaining([foreign.id]),
    );
    expect(ids((await list("pageSize=2000", otherAuth)).operations)).not.toContain(own.id);

    expect((await p.request(`/devicecontrol/operations/${own.id}`, { auth: agentAuth })).status).toBe(200);
    const denied = await p.request(`/devicecontrol/operations/${foreign.id}`, { auth: agentAuth });
    expect(denied.status).toBe(403);
    expect((await errorOf(denied)).error).toBe("security/Forbidden");

    const created = await create({ deviceId: t.grandchild, c8y_Restart: {} }, agentAuth);
    expect(created.status).toBe(201);
    for (const deviceId of [t.otherAgent, t.lonely, "99999999"]) {
      const res = await create({ deviceId, c8y_Restart: {} }, agentAuth);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).error).toBe("security/Forbidden");
    }
  });

  it("lets a device user run its operations through their statuses, not others'", async () => {
    const own = await createOk({ deviceId: t.agentA, c8y_Restart: {} });
    expect((await update(own.id, { status: "EXECUTING" }, agentAuth)).status).toBe(200);
    expect((await update(own.id, { status: "SUCCESSFUL" }, agentAuth)).status).toBe(200);
    const foreign = await createOk({ deviceId: t.otherAgent, c8y_Restart: {} });
    const res = await update(foreign.id, { status: "EXECUTING" }, agentAuth);
    expect(res.status).toBe(403);
    expect((await (await p.request(`/devicecontrol/operations/${foreign.id}`)).json()).status).toBe(
      "PENDING",
    );
  });

  it("keeps DELETE for admins, and the bootstrap user out entirely", async () => {
    const op = await createOk({ deviceId: t.agentA, c8y_Restart: {} });
    const del = await p.request(`/devicecontrol/operations?deviceId=${t.agentA}`, {
      method: "DELETE",
      auth: agentAuth,
    });
    expect(del.status).toBe(403);
    expect((await p.request(`/devicecontrol/operations/${op.id}`)).status).toBe(200);
    for (const [method, url, body] of [
      ["GET", "/devicecontrol/operations", undefined],
      ["GET", `/devicecontrol/operations/${op.id}`, undefined],
      ["POST", "/devicecontrol/operations", { deviceId: t.agentA, c8y_Restart: {} }],
      ["PUT", `/devicecontrol/operations/${op.id}`, { status: "EXECUTING" }],
      ["DELETE", "/devicecontrol/operations", undefined],
    ] as const) {
      const res = await p.request(url, { method, auth: p.bootstrap, ...(body ? json(body) : {}) });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect((await p.request(url, { method, auth: null, ...(body ? json(body) : {}) })).status).toBe(401);
    }
    expect((await p.request(`/devicecontrol/operations/${op.id}`)).status).toBe(200);
  });
});
