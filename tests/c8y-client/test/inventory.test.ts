import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type IManagedObject } from "@c8y/client";
import { ADMIN_PASSWORD, failure, startHarness, TENANT, unique, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("authentication", () => {
  it("logs in with BasicAuth and learns the tenant id from currentTenant", async () => {
    const client = await Client.authenticate(
      { tenant: TENANT, user: "admin", password: ADMIN_PASSWORD },
      h.url,
    );
    expect(client.core.tenant).toBe(TENANT);
  });

  it("rejects a wrong password with 401 security/Unauthorized", async () => {
    const err = await failure(
      Client.authenticate({ tenant: TENANT, user: "admin", password: "wrong" }, h.url),
    );
    expect(err.res.status).toBe(401);
    expect(err.data?.error).toBe("security/Unauthorized");
  });
});

describe("managed objects", () => {
  it("creates, reads, updates and deletes", async () => {
    const inventory = h.client.inventory;
    const created = await inventory.create({
      name: "Pump 7",
      type: "acme_Pump",
      c8y_IsDevice: {},
      c8y_Hardware: { model: "P7", serialNumber: "SN-7" },
    });
    expect(created.res.status).toBe(201);
    const id = created.data.id;
    expect(id).toMatch(/^\d+$/);
    expect(created.data).toMatchObject({ name: "Pump 7", type: "acme_Pump", owner: "admin" });

    const detail = await inventory.detail(id);
    expect(detail.res.status).toBe(200);
    expect(detail.data).toMatchObject({
      id,
      name: "Pump 7",
      c8y_Hardware: { model: "P7", serialNumber: "SN-7" },
    });

    // A fragment in the body replaces the old value as a whole; fragments not sent stay.
    const updated = await inventory.update({ id, name: "Pump 8", c8y_Hardware: { model: "P8" } });
    expect(updated.res.status).toBe(200);
    expect(updated.data.name).toBe("Pump 8");
    expect(updated.data.c8y_Hardware).toEqual({ model: "P8" });
    expect(updated.data.c8y_IsDevice).toEqual({});

    const removed = await inventory.delete(id);
    expect(removed.res.status).toBe(204);
    const gone = await failure(inventory.detail(id));
    expect(gone.res.status).toBe(404);
    expect(gone.data?.error).toBe("inventory/Not Found");
  });

  it("lists with type, fragmentType and query filters, page by page", async () => {
    const inventory = h.client.inventory;
    const type = unique("acme_Sensor");
    const fragment = unique("acme_Marker").replace(/-/g, "_");
    const names = [unique("sensor a"), unique("sensor b"), unique("sensor c")];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const body: Partial<IManagedObject> = { name, type: i < 2 ? type : `${type}-other`, [fragment]: {} };
      ids.push(String((await inventory.create(body)).data.id));
    }

    const first = await inventory.list({ type, pageSize: 1, withTotalPages: true });
    expect(first.res.status).toBe(200);
    expect(first.data.map((mo) => mo.id)).toEqual([ids[0]]);
    expect(first.paging?.totalPages).toBe(2);
    const second = await first.paging!.next();
    expect(second.data.map((mo) => mo.id)).toEqual([ids[1]]);

    const byFragment = await inventory.list({ fragmentType: fragment, pageSize: 10 });
    expect(byFragment.data.map((mo) => mo.id)).toEqual(ids);

    const byQuery = await inventory.listQuery({ name: names[2] }, { pageSize: 10 });
    expect(byQuery.data.map((mo) => mo.id)).toEqual([ids[2]]);

    const counted = await inventory.count({ type });
    expect(counted.data).toBe(2);
  });

  it("rejects an unparsable query with 422 inventory/Invalid Data", async () => {
    const err = await failure(h.client.inventory.list({ query: "$filter=(name eq" }));
    expect(err.res.status).toBe(422);
    expect(err.data?.error).toBe("inventory/Invalid Data");
  });
});

describe("child devices", () => {
  it("adds, lists and removes a child device and keeps the parent link in step", async () => {
    const inventory = h.client.inventory;
    const agent = (
      await inventory.create({ name: unique("gateway"), c8y_IsDevice: {}, com_cumulocity_model_Agent: {} })
    ).data;
    const child = (await inventory.create({ name: unique("sensor"), c8y_IsDevice: {} })).data;

    const added = await inventory.childDevicesAdd(child.id, agent.id);
    expect(added.res.status).toBe(201);
    expect(added.data.id).toBe(child.id);

    const listed = await inventory.childDevicesList(agent.id);
    expect(listed.res.status).toBe(200);
    expect(listed.data.map((mo) => mo.id)).toEqual([child.id]);
    expect(listed.data[0]).toMatchObject({ name: child.name });

    const childDetail = (await inventory.detail(child.id)).data;
    expect(childDetail.deviceParents?.references.map((r) => r.managedObject.id)).toEqual([agent.id]);

    const duplicate = await failure(inventory.childDevicesAdd(child.id, agent.id));
    expect(duplicate.res.status).toBe(409);

    const removed = await inventory.childDevicesRemove(child.id, agent.id);
    expect(removed.res.status).toBe(204);
    expect((await inventory.childDevicesList(agent.id)).data).toEqual([]);
    expect((await inventory.detail(child.id)).data.deviceParents?.references ?? []).toEqual([]);
  });

  it("creates a child device in one call", async () => {
    const inventory = h.client.inventory;
    const agent = (await inventory.create({ name: unique("gateway"), com_cumulocity_model_Agent: {} })).data;
    const created = await inventory.childDevicesCreate(
      { name: unique("inline child"), c8y_IsDevice: {} },
      agent.id,
    );
    expect(created.res.status).toBe(201);
    const listed = await inventory.childDevicesList(agent.id);
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]!.name).toMatch(/^inline child/);
  });
});
