import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChangeEvent } from "../../events.js";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const json = { "content-type": "application/json", accept: "application/json" };

it("publishes a DELETE for each operation that goes with a deleted device, before the device's own DELETE", async () => {
  const post = async (path: string, body: unknown) =>
    (await (await p.request(path, { method: "POST", headers: json, body: JSON.stringify(body) })).json()) as {
      id: string;
    };
  const agent = await post("/inventory/managedObjects", {
    name: "Agent",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
  });
  const child = await post("/inventory/managedObjects", { name: "Child", c8y_IsDevice: {} });
  await post(`/inventory/managedObjects/${agent.id}/childDevices`, { managedObject: { id: child.id } });
  const op1 = await post("/devicecontrol/operations", { deviceId: child.id, c8y_Restart: {} });
  const op2 = await post("/devicecontrol/operations", { deviceId: agent.id, c8y_Restart: {} });

  const seen: ChangeEvent[] = [];
  const off = p.platform.ctx.events.subscribe((e) => seen.push(e));
  const res = await p.request(`/inventory/managedObjects/${agent.id}?cascade=true`, { method: "DELETE" });
  off();
  expect(res.status).toBe(204);
  const deletes = seen.filter((e) => e.action === "DELETE").map((e) => `${e.api}:${e.id}`);
  expect(deletes).toEqual(
    expect.arrayContaining([
      `operations:${op1.id}`,
      `operations:${op2.id}`,
      `managedobjects:${agent.id}`,
      `managedobjects:${child.id}`,
    ]),
  );
  const opEvent = seen.find((e) => e.api === "operations" && e.id === op1.id);
  expect(opEvent).toMatchObject({ deviceId: child.id, agentId: agent.id });
  expect(deletes.indexOf(`operations:${op1.id}`)).toBeLessThan(deletes.indexOf(`managedobjects:${child.id}`));
  expect((await p.request(`/devicecontrol/operations/${op1.id}`)).status).toBe(404);
});
