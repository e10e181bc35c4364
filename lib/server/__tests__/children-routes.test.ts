import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as candidates } from "@/app/api/devices/[id]/candidates/route";
import { DELETE as unlink } from "@/app/api/devices/[id]/children/[childId]/route";
import { GET as list, POST as link } from "@/app/api/devices/[id]/children/route";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
});
afterAll(() => p.close());

const create = (body: Record<string, unknown>) => createObject(p, body);

/** The ids the platform lists in a child collection. */
async function platformChildren(id: string, collection: string): Promise<string[]> {
  const res = await p.request(`/inventory/managedObjects/${id}/${collection}?pageSize=100`);
  const body = (await res.json()) as { references: { managedObject: { id: string } }[] };
  return body.references.map((r) => r.managedObject.id);
}

const childrenPath = (id: string) => `/api/devices/${id}/children`;
const doLink = (id: string, body: unknown) => call(link, childrenPath(id), { body, cookie, params: { id } });
const doUnlink = (id: string, childId: string, kind: string) =>
  call(unlink, `${childrenPath(id)}/${childId}?kind=${kind}`, {
    method: "DELETE",
    cookie,
    params: { id, childId },
  });
const doList = (id: string, query: string) =>
  call(list, `${childrenPath(id)}?${query}`, { cookie, params: { id } });

describe("children of a device", () => {
  it("links a child device and a child asset, lists them paged, and unlinks without deleting", async () => {
    const gw = await create({ name: "Gateway", c8y_IsDevice: {}, com_cumulocity_model_Agent: {} });
    const kids = [];
    for (let i = 1; i <= 3; i++)
      kids.push(await create({ name: `Sensor ${i}`, type: "acme_Sensor", c8y_IsDevice: {} }));
    const asset = await create({ name: "Manual", type: "acme_Doc" });

    for (const kid of kids) {
      const a = await doLink(gw, { kind: "devices", childId: kid });
      expect(a.status).toBe(201);
      expect(a.json).toEqual({ kind: "devices", childId: kid, alreadyLinked: false });
    }
    expect((await doLink(gw, { kind: "assets", childId: asset })).status).toBe(201);
    expect(await platformChildren(gw, "childDevices")).toEqual(kids);
    expect(await platformChildren(gw, "childAssets")).toEqual([asset]);

    const page1 = await doList(gw, "kind=devices&page=1&pageSize=2");
    expect(page1.status).toBe(200);
    expect(page1.json).toMatchObject({ kind: "devices", page: 1, pageSize: 2, total: 3, hasNext: true });
    expect(page1.json.items).toEqual([
      {
        id: kids[0],
        name: "Sensor 1",
        type: "acme_Sensor",
        isDevice: true,
        isAgent: false,
        isGroup: false,
        owner: "admin",
      },
      {
        id: kids[1],
        name: "Sensor 2",
        type: "acme_Sensor",
        isDevice: true,
        isAgent: false,
        isGroup: false,
        owner: "admin",
      },
    ]);
    const page2 = await doList(gw, "kind=devices&page=2&pageSize=2");
    expect(page2.json.items.map((i: { id: string }) => i.id)).toEqual([kids[2]]);
    expect(page2.json.hasNext).toBe(false);
    const assets = await doList(gw, "kind=assets");
    expect(assets.json.items.map((i: { id: string }) => i.id)).toEqual([asset]);

    const u = await doUnlink(gw, kids[1]!, "devices");
    expect(u.status).toBe(204);
    expect(await platformChildren(gw, "childDevices")).toEqual([kids[0], kids[2]]);
    expect((await p.request(`/inventory/managedObjects/${kids[1]}`)).status).toBe(200);
  });

  it("treats linking an existing child again as done", async () => {
    const gw = await create({ name: "Gateway 2", c8y_IsDevice: {} });
    const kid = await create({ name: "Kid", c8y_IsDevice: {} });
    expect((await doLink(gw, { kind: "devices", childId: kid })).status).toBe(201);
    const again = await doLink(gw, { kind: "devices", childId: kid });
    expect(again.status).toBe(200);
    expect(again.json.alreadyLinked).toBe(true);
    expect(await platformChildren(gw, "childDevices")).toEqual([kid]);
  });

  it("passes the platform's refusal of a cycle or a self link on as 422", async () => {
    const a = await create({ name: "A", c8y_IsDevice: {} });
    const b = await create({ name: "B", c8y_IsDevice: {} });
    await doLink(a, { kind: "devices", childId: b });
    const cycle = await doLink(b, { kind: "devices", childId: a });
    expect(cycle.status).toBe(422);
    expect(cycle.json.error.code).toBe("upstream_rejected");
    expect(cycle.json.error.message).toMatch(/cycle/);
    const self = await doLink(a, { kind: "assets", childId: a });
    expect(self.status).toBe(422);
  });

  it("answers 404 for an unknown child or parent, and 422 when unlinking something that is no child", async () => {
    const gw = await create({ name: "Gateway 3", c8y_IsDevice: {} });
    const missing = await doLink(gw, { kind: "devices", childId: "999999980" });
    expect(missing.status).toBe(404);
    expect((await doList("999999981", "kind=devices")).status).toBe(404);
    const stranger = await create({ name: "Stranger" });
    const u = await doUnlink(gw, stranger, "devices");
    expect(u.status).toBe(422);
    expect(u.json.error.message).toMatch(/not a child/);
  });

  it.each([
    ["an unknown kind", { kind: "additions", childId: "1" }, "kind"],
    ["a child id with a slash", { kind: "devices", childId: "1/2" }, "childId"],
    ["no child id", { kind: "devices" }, "childId"],
  ])("answers 422 invalid_input for %s", async (_name, body, field) => {
    const gw = await create({ name: "Gateway 4" });
    const a = await doLink(gw, body);
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty(field);
  });

  it("answers 422 for a bad page or kind in the list and the unlink", async () => {
    const gw = await create({ name: "Gateway 5" });
    expect((await doList(gw, "kind=devices&page=0")).status).toBe(422);
    expect((await doList(gw, "kind=devices&pageSize=1000")).status).toBe(422);
    expect((await doUnlink(gw, "1", "groups")).status).toBe(422);
  });
});

describe("link candidates", () => {
  it("finds objects by part of the name (any case) and by id, never the object itself", async () => {
    const gw = await create({ name: "Candidate host", c8y_IsDevice: {} });
    const a = await create({ name: "Boiler O'Brien", c8y_IsDevice: {} });
    const b = await create({ name: "boiler room sensor", c8y_IsDevice: {} });

    const byName = await call(candidates, `/api/devices/${gw}/candidates?q=BOILER`, {
      cookie,
      params: { id: gw },
    });
    expect(byName.status).toBe(200);
    expect(byName.json.items.map((i: { id: string }) => i.id).sort()).toEqual([a, b].sort());

    const quoted = await call(candidates, `/api/devices/${gw}/candidates?q=${encodeURIComponent("O'Bri")}`, {
      cookie,
      params: { id: gw },
    });
    expect(quoted.json.items.map((i: { id: string }) => i.id)).toEqual([a]);

    const byId = await call(candidates, `/api/devices/${gw}/candidates?q=${b}`, {
      cookie,
      params: { id: gw },
    });
    expect(byId.json.items[0]).toMatchObject({ id: b, name: "boiler room sensor" });

    const self = await call(candidates, `/api/devices/${gw}/candidates?q=Candidate`, {
      cookie,
      params: { id: gw },
    });
    expect(self.json.items).toEqual([]);
  });

  it("answers 422 without a search text", async () => {
    const a = await call(candidates, "/api/devices/1/candidates?q=", { cookie, params: { id: "1" } });
    expect(a.status).toBe(422);
  });
});
