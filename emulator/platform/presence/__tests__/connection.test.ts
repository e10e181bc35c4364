// c8y_Connection: push connections of agents on the operations endpoint, over long-polling and websocket, and how
// they end. The reconnect window is short here, so a long poll that stops reconnecting lapses quickly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualTime } from "../../../../tests/support/manual-time.js";
import { basic, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { connectReplyOf, RawClient, waitFor } from "../../realtime/__tests__/support.js";
import {
  agent,
  create,
  get,
  presenceOf,
  put,
  SETTINGS,
  startPresencePlatform,
  statusesOf,
  Watcher,
} from "./support.js";
import { RawWebSocket } from "./ws-client.js";

const WINDOW_MS = 800;
const DEVICE = "device_gw";
let p: TestPlatform;
let time: ManualTime;
let watcher: Watcher;
let device: string;

beforeAll(async () => {
  ({ p, time } = await startPresencePlatform(undefined, { realtime: { sessionWindowMs: WINDOW_MS } }));
  await p.platform.ctx.users.upsert(TENANT, DEVICE, "gw-secret", "device", "generated");
  device = basic(`${TENANT}/${DEVICE}`, "gw-secret");
  watcher = await Watcher.open(p);
});
afterAll(async () => {
  await p.close();
});

const connectionOf = async (id: string) => ((await get(p, id)).c8y_Connection as { status: string }).status;

/**
 * The agent's own long-polling session on the operations endpoint, subscribed to its channels. Its handshake asks
 * for a long reconnect interval, so it lives until the test ends it, however slowly the test goes on.
 */
async function listen(ids: string | string[], endpoint = "/notification/operations"): Promise<RawClient> {
  const c = new RawClient(p, endpoint, device);
  expect(await c.handshake({ advice: { interval: 600_000 } })).toMatchObject({ successful: true });
  for (const id of [ids].flat()) expect(await c.subscribe(`/${id}`)).toMatchObject({ successful: true });
  await c.connect({ timeout: 0 });
  return c;
}

async function disconnect(c: RawClient): Promise<void> {
  const closed = waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
  const [reply] = await c.send([{ id: c.nextId(), channel: "/meta/disconnect", clientId: c.clientId }]);
  expect(reply).toMatchObject({ successful: true });
  expect(await closed).toMatchObject({ reason: "disconnected" });
}

/**
 * The connection just ended: CONNECTED stands until the grace has passed, and the first check after it writes
 * DISCONNECTED, announced as an inventory update.
 */
async function expectDisconnectedAtGrace(id: string): Promise<void> {
  time.advance(SETTINGS.disconnectGraceMs - 1);
  expect(await connectionOf(id)).toBe("CONNECTED");
  time.advance(1 + SETTINGS.checkIntervalMs);
  expect(await connectionOf(id)).toBe("DISCONNECTED");
  expect(statusesOf(await watcher.updates(id))).toEqual([
    { availability: "UNAVAILABLE", connection: "DISCONNECTED" },
  ]);
}

/** Lets the disconnect grace pass (and the check after it run). */
const afterGrace = () => time.advance(SETTINGS.disconnectGraceMs + SETTINGS.checkIntervalMs);

describe("an agent listening for its operations", () => {
  it("is CONNECTED once it subscribes over long-polling, announced as an inventory update", async () => {
    const id = await agent(p, 10, DEVICE);
    await watcher.updates(id);
    await listen(id);
    expect(await connectionOf(id)).toBe("CONNECTED");
    expect(statusesOf(await watcher.updates(id))).toEqual([
      { availability: "UNAVAILABLE", connection: "CONNECTED" },
    ]);
  });

  it("is CONNECTED on the older /devicecontrol/notifications path too", async () => {
    const id = await agent(p, 10, DEVICE);
    await listen(id, "/devicecontrol/notifications");
    expect(await connectionOf(id)).toBe("CONNECTED");
  });

  it("is CONNECTED over websocket, and DISCONNECTED after the socket is cut and the session lapses", async () => {
    const id = await agent(p, 10, DEVICE);
    const ws = await RawWebSocket.open(p.url, "/notification/operations", device);
    const [hs] = await ws.exchange([
      { id: "1", channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["websocket"] },
    ]);
    expect(hs).toMatchObject({ successful: true });
    const clientId = String(hs!.clientId);
    expect(
      (await ws.exchange([{ id: "2", channel: "/meta/subscribe", clientId, subscription: `/${id}` }]))[0],
    ).toMatchObject({ successful: true });
    // The connect is held: the device now waits for operations.
    const held = waitFor(p, "connect", (e) => e.clientId === clientId);
    ws.send([{ id: "3", channel: "/meta/connect", clientId, connectionType: "websocket" }]);
    await held;
    expect(await connectionOf(id)).toBe("CONNECTED");
    await watcher.updates(id);

    const lapsed = waitFor(p, "session-closed", (e) => e.clientId === clientId);
    ws.destroy();
    expect(await lapsed).toMatchObject({ reason: "expired" });
    await expectDisconnectedAtGrace(id);
  });

  it("does not write on every long poll", async () => {
    const id = await agent(p, 10, DEVICE);
    const c = await listen(id);
    await watcher.updates(id);
    for (let i = 0; i < 20; i++)
      expect(connectReplyOf(await c.connect({ timeout: 0 }))).toMatchObject({ successful: true });
    expect(await watcher.updates(id)).toEqual([]);
  });
});

describe("the end of a push connection", () => {
  it("is DISCONNECTED once the grace has passed after a disconnect, not before", async () => {
    const id = await agent(p, 10, DEVICE);
    const c = await listen(id);
    await watcher.updates(id);
    await disconnect(c);
    await expectDisconnectedAtGrace(id);
  });

  it("is DISCONNECTED after a long-polling session stops reconnecting and lapses", async () => {
    const id = await agent(p, 10, DEVICE);
    const c = new RawClient(p, "/notification/operations", device);
    const lapsed = waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
    await c.open([`/${id}`]);
    expect(await connectionOf(id)).toBe("CONNECTED");
    expect(await lapsed).toMatchObject({ reason: "expired" });
    afterGrace();
    expect(await connectionOf(id)).toBe("DISCONNECTED");
  });

  it("is DISCONNECTED when the platform ends the session", async () => {
    const id = await agent(p, 10, DEVICE);
    const c = await listen(id);
    const closed = waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
    expect(p.realtime.dropSession(c.clientId)).toBe(true);
    expect(await closed).toMatchObject({ reason: "dropped" });
    afterGrace();
    expect(await connectionOf(id)).toBe("DISCONNECTED");
  });

  it("stays CONNECTED, without a write, when the agent is back within the grace (a re-handshake)", async () => {
    const id = await agent(p, 10, DEVICE);
    await disconnect(await listen(id));
    time.advance(SETTINGS.disconnectGraceMs - 1);
    await listen(id);
    await watcher.updates(id);
    afterGrace();
    expect(await connectionOf(id)).toBe("CONNECTED");
    expect(await watcher.updates(id)).toEqual([]);
  });

  it("waits for the last of several sessions of one agent", async () => {
    const id = await agent(p, 10, DEVICE);
    const first = await listen(id);
    const second = await listen(id);
    await disconnect(first);
    afterGrace();
    expect(await connectionOf(id)).toBe("CONNECTED");
    await disconnect(second);
    afterGrace();
    expect(await connectionOf(id)).toBe("DISCONNECTED");
  });
});

describe("which subscriptions are push connections", () => {
  it("counts each agent a session subscribes to: a gateway may listen for a child agent below it", async () => {
    const gateway = await agent(p, 10, DEVICE);
    const childAgent = String(
      (
        await create(p, {
          name: "Child agent",
          owner: DEVICE,
          c8y_IsDevice: {},
          com_cumulocity_model_Agent: {},
          c8y_RequiredAvailability: { responseInterval: 10 },
        })
      ).id,
    );
    const plainChild = String(
      (
        await create(p, {
          name: "Sensor",
          owner: DEVICE,
          c8y_IsDevice: {},
          c8y_RequiredAvailability: { responseInterval: 10 },
        })
      ).id,
    );
    for (const child of [childAgent, plainChild]) {
      const res = await p.request(`/inventory/managedObjects/${gateway}/childDevices`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ managedObject: { id: child } }),
      });
      expect(res.status).toBe(201);
    }
    const c = await listen([gateway, childAgent]);
    expect(await connectionOf(gateway)).toBe("CONNECTED");
    expect(await connectionOf(childAgent)).toBe("CONNECTED");
    // The sensor's operations reach the gateway's channel; the sensor holds no push connection of its own.
    expect(await connectionOf(plainChild)).toBe("DISCONNECTED");
    const [unsubscribed] = await c.send([
      { id: c.nextId(), channel: "/meta/unsubscribe", clientId: c.clientId, subscription: `/${childAgent}` },
    ]);
    expect(unsubscribed).toMatchObject({ successful: true });
    afterGrace();
    expect(await connectionOf(childAgent)).toBe("DISCONNECTED");
    expect(await connectionOf(gateway)).toBe("CONNECTED");
  });

  it("does not count the realtime endpoint, nor the admin's wildcard on the operations endpoint", async () => {
    const id = await agent(p, 10, DEVICE);
    const realtime = new RawClient(p, "/notification/realtime");
    const lapsed = waitFor(p, "session-closed", (e) => e.clientId === realtime.clientId);
    await realtime.open([`/operations/${id}`, `/managedobjects/${id}`]);
    await new RawClient(p, "/notification/operations").open(["/*"]);
    expect(await connectionOf(id)).toBe("DISCONNECTED");
    await lapsed;
  });

  it("counts an admin's subscription to the agent's channel (the platform cannot tell who listens)", async () => {
    const id = await agent(p, 10, DEVICE);
    await new RawClient(p, "/notification/operations").open([`/${id}`]);
    expect(await connectionOf(id)).toBe("CONNECTED");
  });
});

describe("monitoring and connections", () => {
  it("shows a connection opened before monitoring started, in the update that starts it", async () => {
    const id = await agent(p, null, DEVICE);
    await listen(id);
    expect(await presenceOf(p, id)).toEqual({ c8y_Availability: undefined, c8y_Connection: undefined });
    const monitored = await put(p, id, { c8y_RequiredAvailability: { responseInterval: 10 } });
    expect(monitored.c8y_Connection).toEqual({ status: "CONNECTED" });
  });

  it("is MAINTENANCE while the interval is ≤ 0, connected or not", async () => {
    const id = await agent(p, 0, DEVICE);
    await listen(id);
    expect(await presenceOf(p, id)).toEqual({
      c8y_Availability: { status: "MAINTENANCE" },
      c8y_Connection: { status: "MAINTENANCE" },
    });
    const back = await put(p, id, { c8y_RequiredAvailability: { responseInterval: 5 } });
    expect(back.c8y_Connection).toEqual({ status: "CONNECTED" });
  });
});
