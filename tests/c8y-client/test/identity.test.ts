import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startHarness, unique, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("identity", () => {
  it("binds, resolves, lists and unbinds an external id", async () => {
    const { identity, inventory } = h.client;
    const device = (await inventory.create({ name: unique("device"), c8y_IsDevice: {} })).data;
    const externalId = unique("SN");

    const created = await identity.create({
      type: "c8y_Serial",
      externalId,
      managedObject: { id: device.id },
    });
    expect(created.res.status).toBe(201);
    expect(created.data).toMatchObject({ type: "c8y_Serial", externalId, managedObject: { id: device.id } });

    const detail = await identity.detail({ type: "c8y_Serial", externalId });
    expect(detail.res.status).toBe(200);
    expect(detail.data.managedObject?.id).toBe(device.id);

    const listed = await identity.list(device.id);
    expect(listed.res.status).toBe(200);
    expect(listed.data.map((x) => [x.type, x.externalId])).toEqual([["c8y_Serial", externalId]]);

    const removed = await identity.delete({ type: "c8y_Serial", externalId });
    expect(removed.res.status).toBe(204);
    const gone = await failure(identity.detail({ type: "c8y_Serial", externalId }));
    expect(gone.res.status).toBe(404);
    expect(gone.data?.error).toBe("identity/Not Found");
    expect((await identity.list(device.id)).data).toEqual([]);
  });

  it("refuses to bind an external id that belongs to another object (409 identity/Duplicate)", async () => {
    const { identity, inventory } = h.client;
    const first = (await inventory.create({ name: unique("first") })).data;
    const second = (await inventory.create({ name: unique("second") })).data;
    const externalId = unique("IMEI");
    await identity.create({ type: "c8y_IMEI", externalId, managedObject: { id: first.id } });

    const err = await failure(
      identity.create({ type: "c8y_IMEI", externalId, managedObject: { id: second.id } }),
    );
    expect(err.res.status).toBe(409);
    expect(err.data?.error).toBe("identity/Duplicate");
  });
});
