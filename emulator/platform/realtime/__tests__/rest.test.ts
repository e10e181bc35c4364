// Deliveries caused by real REST calls (inventory and device control), as an agent and the console see them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import { dataOf, RawClient } from "./support.js";

let p: TestPlatform;
let agent: string;
let child: string;

async function rest(method: string, path: string, body?: unknown): Promise<Record<string, string>> {
  const res = await p.request(path, {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as Record<string, string>;
}

beforeAll(async () => {
  p = await startTestPlatform();
  agent = (
    await rest("POST", "/inventory/managedObjects", {
      name: "Agent",
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
    })
  ).id!;
  child = (
    await rest("POST", `/inventory/managedObjects/${agent}/childDevices`, { name: "Child", c8y_IsDevice: {} })
  ).id!;
});
afterAll(async () => {
  await p.close();
});

describe("deliveries from REST", () => {
  it("wakes the agent's held connect with a new operation for its child, bare", async () => {
    const c = await new RawClient(p, "/devicecontrol/notifications").open([`/${agent}`]);
    const { reply } = await c.held();
    const created = await rest("POST", "/devicecontrol/operations", {
      deviceId: child,
      description: "Restart",
      c8y_Restart: {},
    });
    const replies = await reply;
    expect(dataOf(replies)).toEqual([
      {
        channel: `/${agent}`,
        id: expect.any(String),
        data: expect.objectContaining({
          id: created.id,
          deviceId: child,
          status: "PENDING",
          c8y_Restart: {},
        }),
      },
    ]);
    expect(replies.at(-1)).toMatchObject({ channel: "/meta/connect", successful: true });
  });

  it("tells a realtime subscriber about an operation's creation and status changes, not the agent endpoint", async () => {
    const rt = await new RawClient(p).open([`/operations/${child}`]);
    const ops = await new RawClient(p, "/notification/operations").open([`/${agent}`]);
    const created = await rest("POST", "/devicecontrol/operations", { deviceId: child, c8y_Restart: {} });
    await rest("PUT", `/devicecontrol/operations/${created.id}`, { status: "EXECUTING" });
    await rest("PUT", `/devicecontrol/operations/${created.id}`, { status: "SUCCESSFUL" });
    const data = dataOf(await rt.connect({ timeout: 0 }));
    expect(data.map((m) => [m.channel, m.data.realtimeAction, m.data.data.id, m.data.data.status])).toEqual([
      [`/operations/${child}`, "CREATE", created.id, "PENDING"],
      [`/operations/${child}`, "UPDATE", created.id, "EXECUTING"],
      [`/operations/${child}`, "UPDATE", created.id, "SUCCESSFUL"],
    ]);
    expect(dataOf(await ops.connect({ timeout: 0 })).map((m) => m.data.id)).toEqual([created.id]);
  });

  it("tells a realtime subscriber about managed-object changes, a deletion by id", async () => {
    const device = (await rest("POST", "/inventory/managedObjects", { name: "Lamp", c8y_IsDevice: {} })).id;
    const rt = await new RawClient(p).open([`/managedobjects/${device}`]);
    await rest("PUT", `/inventory/managedObjects/${device}`, { name: "Lamp 2" });
    await rest("DELETE", `/inventory/managedObjects/${device}`);
    const data = dataOf(await rt.connect({ timeout: 0 }));
    expect(data).toEqual([
      {
        channel: `/managedobjects/${device}`,
        id: expect.any(String),
        data: { realtimeAction: "UPDATE", data: expect.objectContaining({ id: device, name: "Lamp 2" }) },
      },
      {
        channel: `/managedobjects/${device}`,
        id: expect.any(String),
        data: { realtimeAction: "DELETE", data: device },
      },
    ]);
  });
});
