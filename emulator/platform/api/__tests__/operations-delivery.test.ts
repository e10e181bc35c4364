// The delivery fragment of operations: what it says before and after an agent received the operation over the
// agent endpoint, by long-polling (raw Bayeux) and by websocket (the real CometD client).
import { CometD, type Message as CometdMessage } from "cometd";
import { adapt } from "cometd-nodejs-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { dataOf, RawClient } from "../../realtime/__tests__/support.js";
import { createMo, deviceUser, json } from "../devicecontrol/__tests__/fixtures.js";

adapt();

let clock = Date.parse("2025-07-01T08:00:00.000Z");
const at = (ms: number) => new Date(ms).toISOString();
let p: TestPlatform;
const AGENT = { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} };
const DEVICE_PASSWORD = "agent-password-1";
let agent: string;
let otherAgent: string;
let agentAuth: string;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => clock });
  agent = await createMo(p, { name: "Gateway", owner: "device_gw", fragments: AGENT });
  otherAgent = await createMo(p, { name: "Other", fragments: AGENT });
  agentAuth = await deviceUser(p, "device_gw", DEVICE_PASSWORD);
});
afterAll(() => p.close());

type Operation = Record<string, unknown> & {
  id: string;
  status: string;
  delivery: { status: string; time: string; log: { status: string; time: string }[] };
};

const createOp = async (deviceId: string) => {
  const res = await p.request("/devicecontrol/operations", {
    method: "POST",
    ...json({ deviceId, description: "Restart device", c8y_Restart: {} }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Operation;
};
const readOp = async (id: string) =>
  (await (await p.request(`/devicecontrol/operations/${id}`)).json()) as Operation;
const agentSession = () => new RawClient(p, "/notification/operations", agentAuth).open([`/${agent}`]);

describe("delivery before an agent received the operation", () => {
  it("is PENDING with an empty log, and stays so while no agent listens", async () => {
    const created = clock;
    const op = await createOp(agent);
    expect(op.delivery).toEqual({ status: "PENDING", time: at(created), log: [] });
    clock += 1000;
    expect((await readOp(op.id)).delivery).toEqual({ status: "PENDING", time: at(created), log: [] });
  });
});

describe("delivery over long-polling", () => {
  it("records the hand-over in the connect reply: the PENDING state and SEND go into the log, status DELIVERED", async () => {
    const c = await agentSession();
    const created = clock;
    const op = await createOp(agent);
    clock += 5000;
    const delivered = dataOf(await c.connect({ timeout: 0 }));
    // The agent gets the operation as it was created.
    expect(delivered).toEqual([{ channel: `/${agent}`, id: expect.any(String), data: op }]);
    expect((await readOp(op.id)).delivery).toEqual({
      status: "DELIVERED",
      time: at(clock),
      log: [
        { status: "PENDING", time: at(created) },
        { status: "SEND", time: at(clock) },
      ],
    });
  });

  it("leaves the operations of other agents alone", async () => {
    const c = await agentSession();
    const mine = await createOp(agent);
    const theirs = await createOp(otherAgent);
    expect(dataOf(await c.connect({ timeout: 0 })).map((m) => (m.data as Operation).id)).toEqual([mine.id]);
    expect((await readOp(theirs.id)).delivery.status).toBe("PENDING");
    expect((await readOp(mine.id)).delivery.status).toBe("DELIVERED");
  });

  it("appends every further hand-over to the log", async () => {
    const first = await agentSession();
    const second = await new RawClient(p, "/notification/operations").open(["/*"]);
    const created = clock;
    const op = await createOp(agent);
    clock += 1000;
    await first.connect({ timeout: 0 });
    const t1 = clock;
    clock += 1000;
    expect(dataOf(await second.connect({ timeout: 0 }))).toHaveLength(1);
    expect((await readOp(op.id)).delivery).toEqual({
      status: "DELIVERED",
      time: at(clock),
      log: [
        { status: "PENDING", time: at(created) },
        { status: "SEND", time: at(t1) },
        { status: "DELIVERED", time: at(t1) },
        { status: "SEND", time: at(clock) },
      ],
    });
  });

  it("announces the change as an UPDATE on the realtime endpoint", async () => {
    const watcher = await new RawClient(p).open([`/operations/${agent}`]);
    const c = await agentSession();
    const op = await createOp(agent);
    await c.connect({ timeout: 0 });
    const changes = dataOf(await watcher.connect({ timeout: 0 })).map(
      (m) => m.data as { realtimeAction: string; data: Operation },
    );
    expect(
      changes.map((ch) => [ch.realtimeAction, ch.data.id, ch.data.status, ch.data.delivery.status]),
    ).toEqual([
      ["CREATE", op.id, "PENDING", "PENDING"],
      ["UPDATE", op.id, "PENDING", "DELIVERED"],
    ]);
    expect(changes[1]!.data).toEqual(await readOp(op.id));
  });

  it("keeps the delivery through status changes and writes no audit record for it", async () => {
    const c = await agentSession();
    const op = await createOp(agent);
    await c.connect({ timeout: 0 });
    const delivery = (await readOp(op.id)).delivery;
    const put = await p.request(`/devicecontrol/operations/${op.id}`, {
      method: "PUT",
      ...json({ status: "EXECUTING", delivery: { status: "PENDING", time: at(0), log: [] } }),
      auth: agentAuth,
    });
    expect(put.status).toBe(200);
    expect((await readOp(op.id)).delivery).toEqual(delivery);
    const history = await (await p.request(`/audit/auditRecords?source=${op.id}&type=Operation`)).json();
    expect(history.auditRecords.map((r: { activity: string }) => r.activity)).toEqual([
      "Operation created",
      "Operation updated",
    ]);
  });

  it("hands over an operation deleted meanwhile without recording anything or failing the session", async () => {
    const c = await agentSession();
    const op = await createOp(agent);
    expect(
      (await p.request(`/devicecontrol/operations?deviceId=${agent}&status=PENDING`, { method: "DELETE" }))
        .status,
    ).toBe(204);
    const replies = await c.connect({ timeout: 0 });
    expect(replies.at(-1)).toMatchObject({ channel: "/meta/connect", successful: true });
    expect((await p.request(`/devicecontrol/operations/${op.id}`)).status).toBe(404);
    // The session goes on: the next operation is delivered and recorded.
    const next = await createOp(agent);
    expect(dataOf(await c.connect({ timeout: 0 })).map((m) => (m.data as Operation).id)).toEqual([next.id]);
    expect((await readOp(next.id)).delivery.status).toBe("DELIVERED");
  });
});

describe("delivery over websocket", () => {
  it("records the hand-over when the operation leaves as a frame", async () => {
    const cometd = new CometD();
    cometd.unregisterTransport("long-polling");
    cometd.unregisterTransport("callback-polling");
    cometd.configure({ url: `${p.url}/notification/operations`, logLevel: "warn" });
    const token = Buffer.from(`${TENANT}/device_gw:${DEVICE_PASSWORD}`).toString("base64");
    try {
      const hs = await new Promise<CometdMessage>((resolve) =>
        cometd.handshake({ ext: { "com.cumulocity.authn": { token } } }, resolve),
      );
      expect(hs.successful).toBe(true);
      expect(cometd.getTransport()?.type).toBe("websocket");
      const received: CometdMessage[] = [];
      let arrived: (m: CometdMessage) => void = () => undefined;
      const first = new Promise<CometdMessage>((resolve) => (arrived = resolve));
      await new Promise<CometdMessage>((resolve) =>
        cometd.subscribe(
          `/${agent}`,
          (m) => {
            received.push(m);
            arrived(m);
          },
          resolve,
        ),
      );
      const created = clock;
      const op = await createOp(agent);
      expect((await first).data).toEqual(op);
      expect((await readOp(op.id)).delivery).toEqual({
        status: "DELIVERED",
        time: at(created),
        log: [
          { status: "PENDING", time: at(created) },
          { status: "SEND", time: at(created) },
        ],
      });
      expect(received).toHaveLength(1);
    } finally {
      await new Promise((resolve) => cometd.disconnect(resolve));
    }
  });
});
