// Which channel carries what, on which endpoint, and who may listen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { dataOf, insertObject, operationEvent, RawClient } from "./support.js";

let p: TestPlatform;
// agent (owned by device_a) ─ child; other agent (owned by device_b)
let agent: string;
let child: string;
let otherAgent: string;
let deviceA: string;
let deviceB: string;

beforeAll(async () => {
  p = await startTestPlatform();
  const { users } = p.platform.ctx;
  await users.upsert(TENANT, "device_a", "secret-a", "device", "generated");
  await users.upsert(TENANT, "device_b", "secret-b", "device", "generated");
  deviceA = basic(`${TENANT}/device_a`, "secret-a");
  deviceB = basic(`${TENANT}/device_b`, "secret-b");
  agent = insertObject(p, { owner: "device_a", agent: true });
  child = insertObject(p, { owner: "device_a", parent: agent });
  otherAgent = insertObject(p, { owner: "device_b", agent: true });
});
afterAll(async () => {
  await p.close();
});

describe("operations endpoint", () => {
  it("delivers each new operation, bare, on the agent's channel (for the agent and for devices below it)", async () => {
    const c = await new RawClient(p, "/notification/operations").open([`/${agent}`]);
    const forAgent = operationEvent("900", agent, agent);
    const forChild = operationEvent("901", child, agent);
    p.platform.ctx.events.publish(forAgent);
    p.platform.ctx.events.publish(forChild);
    // Updates, deletions and other agents' operations do not travel here.
    p.platform.ctx.events.publish(operationEvent("900", agent, agent, "UPDATE", "EXECUTING"));
    p.platform.ctx.events.publish({
      api: "operations",
      action: "DELETE",
      id: "901",
      deviceId: child,
      agentId: agent,
    });
    p.platform.ctx.events.publish(operationEvent("902", otherAgent, otherAgent));
    p.platform.ctx.events.publish({
      api: "managedobjects",
      action: "UPDATE",
      id: agent,
      data: { id: agent },
    });
    const replies = await c.connect({ timeout: 0 });
    expect(dataOf(replies)).toEqual([
      { channel: `/${agent}`, id: expect.any(String), data: forAgent.data },
      { channel: `/${agent}`, id: expect.any(String), data: forChild.data },
    ]);
    expect(replies.at(-1)).toMatchObject({ channel: "/meta/connect", successful: true });
  });

  it("drops operations for devices without an agent", async () => {
    const c = await new RawClient(p, "/notification/operations").open(["/*"]);
    p.platform.ctx.events.publish(operationEvent("903", "12345", undefined));
    expect(dataOf(await c.connect({ timeout: 0 }))).toEqual([]);
  });
});

describe("realtime endpoint", () => {
  it("wraps operation changes as {realtimeAction, data}; a deletion carries only the id", async () => {
    const c = await new RawClient(p).open([`/operations/${child}`]);
    const created = operationEvent("910", child, agent);
    const updated = operationEvent("910", child, agent, "UPDATE", "EXECUTING");
    p.platform.ctx.events.publish(created);
    p.platform.ctx.events.publish(updated);
    p.platform.ctx.events.publish({
      api: "operations",
      action: "DELETE",
      id: "910",
      deviceId: child,
      agentId: agent,
    });
    p.platform.ctx.events.publish(operationEvent("911", agent, agent));
    const data = dataOf(await c.connect({ timeout: 0 }));
    expect(data).toEqual([
      {
        channel: `/operations/${child}`,
        id: expect.any(String),
        data: { realtimeAction: "CREATE", data: created.data },
      },
      {
        channel: `/operations/${child}`,
        id: expect.any(String),
        data: { realtimeAction: "UPDATE", data: updated.data },
      },
      {
        channel: `/operations/${child}`,
        id: expect.any(String),
        data: { realtimeAction: "DELETE", data: "910" },
      },
    ]);
    expect(new Set(data.map((m) => m.id)).size).toBe(3);
  });

  it("wraps managed-object changes the same way", async () => {
    const c = await new RawClient(p).open(["/managedobjects/*"]);
    const mo = { id: child, name: "Child", c8y_IsDevice: {} };
    p.platform.ctx.events.publish({ api: "managedobjects", action: "CREATE", id: child, data: mo });
    p.platform.ctx.events.publish({
      api: "managedobjects",
      action: "UPDATE",
      id: child,
      data: { ...mo, name: "Renamed" },
    });
    p.platform.ctx.events.publish({ api: "managedobjects", action: "DELETE", id: child });
    expect(dataOf(await c.connect({ timeout: 0 })).map((m) => [m.channel, m.data])).toEqual([
      [`/managedobjects/${child}`, { realtimeAction: "CREATE", data: mo }],
      [`/managedobjects/${child}`, { realtimeAction: "UPDATE", data: { ...mo, name: "Renamed" } }],
      [`/managedobjects/${child}`, { realtimeAction: "DELETE", data: child }],
    ]);
  });

  it("reaches every subscribed client, each once", async () => {
    const a = await new RawClient(p).open(["/operations/*", `/operations/${agent}`]);
    const b = await new RawClient(p).open([`/operations/${agent}`]);
    const other = await new RawClient(p).open([`/operations/${child}`]);
    p.platform.ctx.events.publish(operationEvent("920", agent, agent));
    expect(dataOf(await a.connect({ timeout: 0 }))).toHaveLength(1);
    expect(dataOf(await b.connect({ timeout: 0 }))).toHaveLength(1);
    expect(dataOf(await other.connect({ timeout: 0 }))).toHaveLength(0);
  });
});

describe("authorisation", () => {
  it("lets a device user subscribe to its own agent and nothing else on the operations endpoint", async () => {
    const c = await new RawClient(p, "/notification/operations", deviceA).open();
    expect(await c.subscribe(`/${agent}`)).toMatchObject({ successful: true });
    for (const channel of [`/${otherAgent}`, "/*", "/99999"]) {
      const r = await c.subscribe(channel);
      expect(r, channel).toMatchObject({ successful: false, error: `403:${channel}:Subscription denied` });
    }
    p.platform.ctx.events.publish(operationEvent("930", child, agent));
    p.platform.ctx.events.publish(operationEvent("931", otherAgent, otherAgent));
    expect(dataOf(await c.connect({ timeout: 0 })).map((m) => m.data.id)).toEqual(["930"]);
  });

  it("lets a device user read only ids it can access on the realtime endpoint, without wildcards", async () => {
    const token = Buffer.from(`${TENANT}/device_b:secret-b`).toString("base64");
    const c = new RawClient(p, "/notification/realtime", null);
    expect(await c.handshake({ ext: { "com.cumulocity.authn": { token } } })).toMatchObject({
      successful: true,
    });
    expect(await c.subscribe(`/operations/${otherAgent}`)).toMatchObject({ successful: true });
    expect(await c.subscribe(`/managedobjects/${otherAgent}`)).toMatchObject({ successful: true });
    for (const channel of [
      `/operations/${agent}`,
      `/managedobjects/${child}`,
      "/operations/*",
      "/managedobjects/*",
    ]) {
      expect(await c.subscribe(channel), channel).toMatchObject({
        successful: false,
        error: `403:${channel}:Subscription denied`,
      });
    }
  });

  it("keeps the session's principal: a device's session cannot subscribe beyond it even with an admin header later", async () => {
    const c = new RawClient(p, "/notification/operations", deviceB);
    await c.handshake();
    const admin = new RawClient(p, "/notification/operations", p.admin);
    admin.clientId = c.clientId;
    expect(await admin.subscribe(`/${agent}`)).toMatchObject({
      successful: false,
      error: `403:/${agent}:Subscription denied`,
    });
  });

  it("lets the admin subscribe to anything on both endpoints", async () => {
    const ops = await new RawClient(p, "/notification/operations").open([
      `/${agent}`,
      `/${otherAgent}`,
      "/*",
    ]);
    const rt = await new RawClient(p).open([
      "/operations/*",
      "/managedobjects/*",
      `/managedobjects/${child}`,
    ]);
    expect(ops.clientId).not.toBe(rt.clientId);
  });
});
