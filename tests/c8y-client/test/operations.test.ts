import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperationStatus } from "@c8y/client";
import { failure, startHarness, unique, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("operations", () => {
  it("creates, lists by device and agent, and walks the status to SUCCESSFUL", async () => {
    const { inventory, operation } = h.client;
    const agent = (
      await inventory.create({ name: unique("gateway"), c8y_IsDevice: {}, com_cumulocity_model_Agent: {} })
    ).data;
    const child = (await inventory.create({ name: unique("pump"), c8y_IsDevice: {} })).data;
    await inventory.childDevicesAdd(child.id, agent.id);

    const created = await operation.create({
      deviceId: child.id,
      description: "Restart device",
      c8y_Restart: {},
    });
    expect(created.res.status).toBe(201);
    const op = created.data;
    const opId = String(op.id);
    expect(opId).toMatch(/^\d+$/);
    expect(op).toMatchObject({ deviceId: child.id, status: OperationStatus.PENDING, c8y_Restart: {} });

    const byDevice = await operation.list({ deviceId: child.id });
    expect(byDevice.res.status).toBe(200);
    expect(byDevice.data.map((o) => o.id)).toEqual([opId]);
    expect(byDevice.data[0]).toMatchObject({ deviceName: child.name });

    const forAgent = await operation.list({ agentId: agent.id, status: OperationStatus.PENDING });
    expect(forAgent.data.map((o) => o.id)).toEqual([opId]);

    const executing = await operation.update({ id: opId, status: OperationStatus.EXECUTING });
    expect(executing.res.status).toBe(200);
    expect(executing.data.status).toBe(OperationStatus.EXECUTING);
    await operation.update({ id: opId, status: OperationStatus.SUCCESSFUL });
    expect((await operation.detail(opId)).data.status).toBe(OperationStatus.SUCCESSFUL);
    expect((await operation.list({ agentId: agent.id, status: OperationStatus.PENDING })).data).toEqual([]);

    // SUCCESSFUL is final.
    const again = await failure(operation.update({ id: opId, status: OperationStatus.PENDING }));
    expect(again.res.status).toBe(422);
    expect(again.data?.error).toBe("devicecontrol/Invalid Data");
  });

  it("cancels a pending operation with a reason", async () => {
    const { inventory, operation } = h.client;
    const agent = (await inventory.create({ name: unique("agent"), com_cumulocity_model_Agent: {} })).data;
    const op = (await operation.create({ deviceId: agent.id, c8y_Command: { text: "uptime" } })).data;
    const cancelled = await operation.update({
      id: String(op.id),
      status: OperationStatus.FAILED,
      failureReason: "User cancelled operation",
    });
    expect(cancelled.data).toMatchObject({
      status: OperationStatus.FAILED,
      failureReason: "User cancelled operation",
    });
  });
});
