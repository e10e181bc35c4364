import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChangeEvent } from "../../events.js";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { withoutAccept as rawWithoutAccept } from "../devicecontrol/__tests__/fixtures.js";

const VENDOR = "application/vnd.com.nsn.cumulocity.";
const MO_TYPE = `${VENDOR}managedObject+json;charset=UTF-8;ver=0.9`;
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const COLLECTIONS = [
  "childDevices",
  "childAssets",
  "childAdditions",
  "deviceParents",
  "assetParents",
  "additionParents",
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests
type Json = Record<string, any>;

let p: TestPlatform;
let events: ChangeEvent[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  p = await startTestPlatform();
  unsubscribe = p.platform.ctx.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  unsubscribe();
  await p.close();
});
beforeEach(() => {
  events = [];
});

async function create(body: Json, auth?: string): Promise<Json> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
    auth,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
}

async function get(id: string, qs = ""): Promise<Json> {
  const res = await p.request(`/inventory/managedObjects/${id}${qs}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function put(id: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) {
  return p.request(`/inventory/managedObjects/${id}`, {
    method: "PUT",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function link(parent: string, kind: string, child: string) {
  const res = await p.request(`/inventory/managedObjects/${parent}/${kind}`, {
    method: "POST",
    headers: { "content-type": `${VENDOR}managedObjectReference+json`, accept: "application/json" },
    body: JSON.stringify({ managedObject: { id: child } }),
  });
  expect(res.status).toBe(201);
}

const exists = async (id: string) => (await p.request(`/inventory/managedObjects/${id}`)).status === 200;
const total = () =>
  (p.platform.ctx.db.prepare("SELECT count(*) AS n FROM managed_objects").get() as { n: number }).n;

/** fetch always sends an Accept header; this sends none, like many device clients. */
const withoutAccept = (method: string, path: string, body: string) => rawWithoutAccept(p, method, path, body);

describe("POST /inventory/managedObjects", () => {
  it("creates an object with the platform's representation", async () => {
    const res = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: { "content-type": `${VENDOR}managedObject+json`, accept: `${VENDOR}managedObject+json` },
      body: JSON.stringify({
        name: "Pump 7",
        type: "acme_Pump",
        c8y_IsDevice: {},
        c8y_SupportedOperations: ["c8y_Restart"],
        c8y_Hardware: { model: "P7", serialNumber: "SN-7" },
        rating: 4.5,
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(MO_TYPE);
    const mo = await res.json();
    expect(mo.id).toMatch(/^\d+$/);
    expect(res.headers.get("location")).toBe(`${p.url}/inventory/managedObjects/${mo.id}`);
    expect(mo).toMatchObject({
      self: `${p.url}/inventory/managedObjects/${mo.id}`,
      name: "Pump 7",
      type: "acme_Pump",
      owner: "admin",
      c8y_IsDevice: {},
      c8y_SupportedOperations: ["c8y_Restart"],
      c8y_Hardware: { model: "P7", serialNumber: "SN-7" },
      rating: 4.5,
    });
    expect(mo.creationTime).toMatch(ISO_MS);
    expect(mo.lastUpdated).toBe(mo.creationTime);
    for (const c of COLLECTIONS)
      expect(mo[c]).toEqual({ self: `${p.url}/inventory/managedObjects/${mo.id}/${c}`, references: [] });
    expect(await get(mo.id)).toEqual(mo);
  });

  it("gives ids from one increasing sequence", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b" });
    expect(BigInt(b.id)).toBeGreaterThan(BigInt(a.id));
  });

  it.each([
    [`${VENDOR}managedObject+json`],
    ["APPLICATION/VND.COM.NSN.CUMULOCITY.MANAGEDOBJECT+JSON;VER=0.9;CHARSET=UTF-8"],
    ["application/json;charset=utf-8"],
  ])("accepts content type %s", async (contentType) => {
    const res = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: { "content-type": contentType, accept: "application/json" },
      body: JSON.stringify({ name: "ct" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
  });

  it("answers without a body when no Accept header is sent", async () => {
    const res = await withoutAccept("POST", "/inventory/managedObjects", JSON.stringify({ name: "quiet" }));
    expect(res.status).toBe(201);
    expect(res.body).toBe("");
    const location = res.headers.location as string;
    expect(location).toMatch(/\/inventory\/managedObjects\/\d+$/);
    expect((await p.request(location.slice(p.url.length))).status).toBe(200);
  });

  it("ignores read-only fields and null fragments", async () => {
    const mo = await create({
      id: "1",
      self: "http://elsewhere/1",
      creationTime: "2000-01-01T00:00:00.000Z",
      lastUpdated: "2000-01-01T00:00:00.000Z",
      childDevices: { references: [{ managedObject: { id: "1" } }] },
      assetParents: { references: [] },
      c8y_LatestMeasurements: { x: 1 },
      gone: null,
      name: null,
      kept: { a: 1 },
    });
    expect(mo.id).not.toBe("1");
    expect(mo.creationTime).not.toBe("2000-01-01T00:00:00.000Z");
    expect(mo.childDevices.references).toEqual([]);
    expect(mo).not.toHaveProperty("c8y_LatestMeasurements");
    expect(mo).not.toHaveProperty("gone");
    expect(mo).not.toHaveProperty("name");
    expect(mo.kept).toEqual({ a: 1 });
  });

  // The vendor's create schema (managedObjectCreate) has no owner: the creator owns a new object, whatever the body
  // says, as it does with the other fields the platform sets (docs/contract.md, "Read-only fields").
  it.each([["someone"], [""], [7], [null]])("ignores an owner of %j on create", async (owner) => {
    const mo = await create({ name: "owned", owner, lastUpdated: "2000-01-01T00:00:00.000Z" });
    expect(mo.owner).toBe("admin");
    expect(mo.lastUpdated).not.toBe("2000-01-01T00:00:00.000Z");
    expect(await get(mo.id)).toEqual(mo);
  });

  it("publishes a CREATE event with the full object", async () => {
    const mo = await create({ name: "evented", c8y_IsDevice: {} });
    expect(events).toEqual([{ api: "managedobjects", action: "CREATE", id: mo.id, data: mo }]);
  });

  describe("bulk", () => {
    const bulk = (items: unknown[], contentType = `${VENDOR}managedObjectCollection+json`) =>
      p.request("/inventory/managedObjects", {
        method: "POST",
        headers: { "content-type": contentType, accept: `${VENDOR}managedObjectCollection+json` },
        body: JSON.stringify({ managedObjects: items }),
      });

    it("creates up to 50 objects in one request", async () => {
      const items = Array.from({ length: 50 }, (_, i) => ({ name: `bulk ${i}`, c8y_IsDevice: {} }));
      const res = await bulk(items);
      expect(res.status).toBe(201);
      expect(res.headers.get("content-type")).toBe(
        `${VENDOR}managedObjectCollection+json;charset=UTF-8;ver=0.9`,
      );
      const body = await res.json();
      expect(body.managedObjects).toHaveLength(50);
      expect(body.managedObjects.map((m: Json) => m.name)).toEqual(items.map((i) => i.name));
      expect(events.filter((e) => e.action === "CREATE")).toHaveLength(50);
    });

    it("treats plain JSON holding only managedObjects as bulk", async () => {
      const res = await bulk([{ name: "plain 1" }, { name: "plain 2" }], "application/json");
      expect(res.status).toBe(201);
      expect((await res.json()).managedObjects).toHaveLength(2);
    });

    it.each([
      ["51 objects", Array.from({ length: 51 }, () => ({ name: "x" }))],
      ["no objects", []],
      ["one invalid item", [{ name: "ok" }, { name: 5 }, { name: "ok too" }]],
      ["a non-object item", [{ name: "ok" }, "text"]],
      ["a bad fragment name", [{ name: "ok" }, { "a.b": 1 }]],
    ])("rejects %s without creating anything", async (_name, items) => {
      const before = total();
      const res = await bulk(items);
      expect(res.status).toBe(422);
      expect((await res.json()).error).toBe("inventory/Invalid Data");
      expect(total()).toBe(before);
      expect(events).toEqual([]);
    });

    it("rejects a collection body without a managedObjects list", async () => {
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: { "content-type": `${VENDOR}managedObjectCollection+json` },
        body: JSON.stringify({ name: "single" }),
      });
      expect(res.status).toBe(422);
    });
  });

  describe("externalIds on create", () => {
    it("binds the identities with the object", async () => {
      const mo = await create({
        name: "with ids",
        externalIds: [
          { type: "c8y_Serial", externalId: "create-1" },
          { type: "c8y_MAC", externalId: "create-1-mac" },
        ],
      });
      expect(mo).not.toHaveProperty("externalIds");
      const res = await p.request("/identity/externalIds/c8y_Serial/create-1");
      expect((await res.json()).managedObject.id).toBe(mo.id);
      const list = await (await p.request(`/identity/globalIds/${mo.id}/externalIds`)).json();
      expect(list.externalIds).toHaveLength(2);
    });

    it("fails the whole request when an id is already bound", async () => {
      await create({ name: "first", externalIds: [{ type: "c8y_Serial", externalId: "taken-1" }] });
      const before = total();
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({
          name: "second",
          externalIds: [
            { type: "c8y_Serial", externalId: "fresh-1" },
            { type: "c8y_Serial", externalId: "taken-1" },
          ],
        }),
      });
      expect(res.status).toBe(409);
      expect((await res.json()).error).toBe("identity/Duplicate");
      expect(total()).toBe(before);
      expect((await p.request("/identity/externalIds/c8y_Serial/fresh-1")).status).toBe(404);
    });

    it("fails a bulk create when one item's id is taken", async () => {
      await create({ name: "holder", externalIds: [{ type: "c8y_Serial", externalId: "taken-bulk" }] });
      const before = total();
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: { "content-type": `${VENDOR}managedObjectCollection+json` },
        body: JSON.stringify({
          managedObjects: [
            { name: "a", externalIds: [{ type: "c8y_Serial", externalId: "bulk-fresh" }] },
            { name: "b", externalIds: [{ type: "c8y_Serial", externalId: "taken-bulk" }] },
          ],
        }),
      });
      expect(res.status).toBe(409);
      expect(total()).toBe(before);
      expect((await p.request("/identity/externalIds/c8y_Serial/bulk-fresh")).status).toBe(404);
    });

    it.each([
      ["not an array", { type: "c8y_Serial", externalId: "x" }],
      ["missing value", [{ type: "c8y_Serial" }]],
      ["empty type", [{ type: "", externalId: "x" }]],
      [
        "the same id twice",
        [
          { type: "t", externalId: "x" },
          { type: "t", externalId: "x" },
        ],
      ],
      ["an overlong value", [{ type: "t", externalId: "x".repeat(1001) }]],
    ])("rejects %s with 422", async (_name, externalIds) => {
      const before = total();
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ name: "bad ids", externalIds }),
      });
      expect(res.status).toBe(422);
      expect((await res.json()).error).toBe("inventory/Invalid Data");
      expect(total()).toBe(before);
    });
  });

  describe("bad input", () => {
    it.each([
      ["malformed JSON", "{nope", 400, "inventory/Bad Request"],
      ["an empty body", "", 400, "inventory/Bad Request"],
      ["an array", "[]", 422, "inventory/Invalid Data"],
      ["a string", '"x"', 422, "inventory/Invalid Data"],
      ["a numeric name", '{"name": 5}', 422, "inventory/Invalid Data"],
      ["an object type", '{"type": {}}', 422, "inventory/Invalid Data"],
      ["an empty fragment name", '{"": 1}', 422, "inventory/Invalid Data"],
      ["a dotted fragment name", '{"a.b": 1}', 422, "inventory/Invalid Data"],
      ["a $ fragment name", '{"$set": 1}', 422, "inventory/Invalid Data"],
      ["deep nesting", `{"deep": ${"[".repeat(150)}${"]".repeat(150)}}`, 422, "inventory/Invalid Data"],
    ])("refuses %s", async (_name, body, status, error) => {
      const before = total();
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: JSON_HEADERS,
        body,
      });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain(`${VENDOR}error+json`);
      expect((await res.json()).error).toBe(error);
      expect(total()).toBe(before);
    });

    it("refuses a huge body with 413 and a foreign content type with 415", async () => {
      const huge = JSON.stringify({ name: "big", blob: "x".repeat(2 * 1024 * 1024) });
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: JSON_HEADERS,
        body: huge,
      });
      expect(res.status).toBe(413);
      const xml = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: "<mo/>",
      });
      expect(xml.status).toBe(415);
    });

    it("keeps a '__proto__' fragment as a plain fragment", async () => {
      const res = await p.request("/inventory/managedObjects", {
        method: "POST",
        headers: JSON_HEADERS,
        body: '{"name": "proto", "__proto__": {"polluted": true}}',
      });
      expect(res.status).toBe(201);
      const text = await res.text();
      expect(text).toContain('"__proto__":{"polluted":true}');
      expect(({} as Json).polluted).toBeUndefined();
    });
  });
});

describe("GET /inventory/managedObjects/{id}", () => {
  it.each(["999999999", "abc", "12a", "-1", "1.5", "99999999999999999999"])(
    "answers 404 inventory/Not Found for %s",
    async (id) => {
      const res = await p.request(`/inventory/managedObjects/${id}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        error: "inventory/Not Found",
        message: `Finding device data from database failed : No managedObject for id '${id}'!`,
      });
    },
  );

  it("answers application/json when only that is accepted", async () => {
    const mo = await create({ name: "plain" });
    const res = await p.request(`/inventory/managedObjects/${mo.id}`, {
      headers: { accept: "application/json" },
    });
    expect(res.headers.get("content-type")).toBe("application/json");
  });

  it("refuses a malformed boolean parameter with 422", async () => {
    const mo = await create({ name: "flags" });
    const res = await p.request(`/inventory/managedObjects/${mo.id}?withChildren=maybe`);
    expect(res.status).toBe(422);
  });
});

describe("PUT /inventory/managedObjects/{id}", () => {
  it("replaces top-level fragments whole, removes nulls and keeps the rest", async () => {
    const mo = await create({
      name: "before",
      type: "t1",
      c8y_Hardware: { model: "A", serialNumber: "1" },
      keep: [1, 2],
      drop: { x: 1 },
    });
    events = [];
    const res = await put(mo.id, {
      name: "after",
      c8y_Hardware: { model: "B" },
      drop: null,
      added: "yes",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await res.json();
    expect(body).toMatchObject({
      id: mo.id,
      name: "after",
      type: "t1",
      c8y_Hardware: { model: "B" },
      keep: [1, 2],
      added: "yes",
      creationTime: mo.creationTime,
    });
    expect(body.c8y_Hardware).not.toHaveProperty("serialNumber");
    expect(body).not.toHaveProperty("drop");
    expect(Date.parse(body.lastUpdated)).toBeGreaterThan(Date.parse(mo.lastUpdated));
    expect(await get(mo.id)).toEqual(body);
    expect(events).toEqual([{ api: "managedobjects", action: "UPDATE", id: mo.id, data: body }]);
  });

  it("removes name and type with null", async () => {
    const mo = await create({ name: "n", type: "t" });
    const body = await (await put(mo.id, { name: null, type: null })).json();
    expect(body).not.toHaveProperty("name");
    expect(body).not.toHaveProperty("type");
  });

  it("ignores read-only fields", async () => {
    const mo = await create({ name: "ro" });
    const body = await (
      await put(mo.id, {
        name: "ro2",
        id: "1",
        self: "x",
        creationTime: "2000-01-01T00:00:00.000Z",
        lastUpdated: "2000-01-01T00:00:00.000Z",
        childAssets: { references: [{ managedObject: { id: "1" } }] },
        c8y_LatestMeasurements: {},
      })
    ).json();
    expect(body.id).toBe(mo.id);
    expect(body.creationTime).toBe(mo.creationTime);
    expect(body.lastUpdated).not.toBe("2000-01-01T00:00:00.000Z");
    expect(body.childAssets.references).toEqual([]);
    expect(body).not.toHaveProperty("c8y_LatestMeasurements");
  });

  it("lets an admin change the owner", async () => {
    const mo = await create({ name: "hand over" });
    expect((await (await put(mo.id, { owner: "device_new" })).json()).owner).toBe("device_new");
  });

  it.each([[{}], [{ id: "self" }], [{ lastUpdated: "x", self: "y" }]])(
    "treats %j as a heartbeat answering the id only",
    async (raw) => {
      const mo = await create({ name: "hb", c8y_IsDevice: {} });
      const body = (raw as Json).id === "self" ? { id: mo.id } : raw;
      const res = await put(mo.id, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: mo.id });
      expect(await get(mo.id)).toEqual(mo);
      expect(events.filter((e) => e.action === "UPDATE")).toEqual([]);
    },
  );

  it("answers a PUT without Accept with an empty body", async () => {
    const mo = await create({ name: "silent" });
    const res = await withoutAccept(
      "PUT",
      `/inventory/managedObjects/${mo.id}`,
      JSON.stringify({ name: "s2" }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect((await get(mo.id)).name).toBe("s2");
  });

  it.each([
    ["malformed JSON", "{", 400],
    ["an array", "[1]", 422],
    ["a numeric name", '{"name": 1, "x": 1}', 422],
    ["a dotted fragment", '{"ok": 1, "a.b": 1}', 422],
    ["a null owner", '{"owner": null}', 422],
  ])("refuses %s without changing anything", async (_name, body, status) => {
    const mo = await create({ name: "stable", x: 0 });
    const res = await put(mo.id, body);
    expect(res.status).toBe(status);
    expect(await get(mo.id)).toEqual(mo);
    expect(events.filter((e) => e.action === "UPDATE")).toEqual([]);
  });

  it("answers 404 for unknown ids", async () => {
    for (const id of ["999999999", "nope"]) {
      const res = await put(id, { name: "x" });
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe("inventory/Not Found");
    }
  });

  it("supports X-HTTP-METHOD: PUT on a POST", async () => {
    const mo = await create({ name: "override" });
    const res = await p.request(`/inventory/managedObjects/${mo.id}`, {
      method: "POST",
      headers: { ...JSON_HEADERS, "x-http-method": "PUT" },
      body: JSON.stringify({ name: "overridden" }),
    });
    expect(res.status).toBe(200);
    expect((await get(mo.id)).name).toBe("overridden");
  });
});

describe("PUT /inventory/managedObjects (bulk)", () => {
  it("updates every listed object in one go", async () => {
    const a = await create({ name: "a", x: 1 });
    const b = await create({ name: "b", x: 1 });
    events = [];
    const res = await p.request("/inventory/managedObjects", {
      method: "PUT",
      headers: { "content-type": `${VENDOR}managedObjectCollection+json`, accept: "application/json" },
      body: JSON.stringify({
        managedObjects: [
          { id: a.id, x: 2 },
          { id: b.id, x: 3 },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).managedObjects.map((m: Json) => m.x)).toEqual([2, 3]);
    expect(events.map((e) => e.action)).toEqual(["UPDATE", "UPDATE"]);
  });

  it("changes nothing when one id is unknown", async () => {
    const a = await create({ name: "a", x: 1 });
    const res = await p.request("/inventory/managedObjects", {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        managedObjects: [
          { id: a.id, x: 2 },
          { id: "999999999", x: 3 },
        ],
      }),
    });
    expect(res.status).toBe(404);
    expect((await get(a.id)).x).toBe(1);
  });

  it("requires an id on every item", async () => {
    const res = await p.request("/inventory/managedObjects", {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ managedObjects: [{ x: 2 }] }),
    });
    expect(res.status).toBe(422);
  });
});

describe("DELETE /inventory/managedObjects/{id}", () => {
  it("deletes one object, unlinks it and announces both changes", async () => {
    const parent = await create({ name: "parent", c8y_IsDevice: {} });
    const child = await create({ name: "child", c8y_IsDevice: {} });
    const grandchild = await create({ name: "grandchild", c8y_IsDevice: {} });
    await link(parent.id, "childDevices", child.id);
    await link(child.id, "childDevices", grandchild.id);
    events = [];
    const res = await p.request(`/inventory/managedObjects/${child.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await exists(child.id)).toBe(false);
    expect(await exists(grandchild.id)).toBe(true);
    expect((await get(parent.id)).childDevices.references).toEqual([]);
    expect((await get(grandchild.id)).deviceParents.references).toEqual([]);
    expect(events.find((e) => e.action === "DELETE")).toEqual({
      api: "managedobjects",
      action: "DELETE",
      id: child.id,
    });
    const updated = events.filter((e) => e.action === "UPDATE").map((e) => e.id);
    expect(updated.sort()).toEqual([parent.id, grandchild.id].sort());
    expect((await p.request(`/inventory/managedObjects/${child.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("cascades through a device's children with cascade=true", async () => {
    const gw = await create({ name: "gw", c8y_IsDevice: {} });
    const c1 = await create({ name: "c1", c8y_IsDevice: {} });
    const c2 = await create({ name: "c2", c8y_IsDevice: {} });
    const addition = await create({ name: "software list" });
    await link(gw.id, "childDevices", c1.id);
    await link(c1.id, "childDevices", c2.id);
    await link(gw.id, "childAdditions", addition.id);
    events = [];
    expect(
      (await p.request(`/inventory/managedObjects/${gw.id}?cascade=true`, { method: "DELETE" })).status,
    ).toBe(204);
    for (const id of [gw.id, c1.id, c2.id, addition.id]) expect(await exists(id)).toBe(false);
    expect(
      events
        .filter((e) => e.action === "DELETE")
        .map((e) => e.id)
        .sort(),
    ).toEqual([gw.id, c1.id, c2.id, addition.id].sort());
  });

  it("leaves children alone without cascade, and cascade on a plain object deletes only it", async () => {
    const gw = await create({ name: "gw", c8y_IsDevice: {} });
    const c1 = await create({ name: "c1", c8y_IsDevice: {} });
    await link(gw.id, "childDevices", c1.id);
    expect((await p.request(`/inventory/managedObjects/${gw.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await exists(c1.id)).toBe(true);

    const thing = await create({ name: "no device" });
    const below = await create({ name: "below" });
    await link(thing.id, "childAdditions", below.id);
    await p.request(`/inventory/managedObjects/${thing.id}?cascade=true`, { method: "DELETE" });
    expect(await exists(below.id)).toBe(true);
  });

  it("deletes the whole hierarchy of any object with forceCascade", async () => {
    const thing = await create({ name: "no device" });
    const below = await create({ name: "below" });
    const deeper = await create({ name: "deeper", c8y_IsDevice: {} });
    await link(thing.id, "childAdditions", below.id);
    await link(below.id, "childAssets", deeper.id);
    await p.request(`/inventory/managedObjects/${thing.id}?forceCascade=true&cascade=false`, {
      method: "DELETE",
    });
    for (const id of [thing.id, below.id, deeper.id]) expect(await exists(id)).toBe(false);
  });

  it("deletes a group's sub-groups by default and their devices only with cascade", async () => {
    const make = async () => {
      const group = await create({ name: "g", type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} });
      const sub = await create({ name: "sub", type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} });
      const dev = await create({ name: "dev", c8y_IsDevice: {} });
      const subDev = await create({ name: "subdev", c8y_IsDevice: {} });
      await link(group.id, "childAssets", sub.id);
      await link(group.id, "childAssets", dev.id);
      await link(sub.id, "childAssets", subDev.id);
      return { group, sub, dev, subDev };
    };
    const plain = await make();
    await p.request(`/inventory/managedObjects/${plain.group.id}`, { method: "DELETE" });
    expect(await exists(plain.group.id)).toBe(false);
    expect(await exists(plain.sub.id)).toBe(false);
    expect(await exists(plain.dev.id)).toBe(true);
    expect(await exists(plain.subDev.id)).toBe(true);

    const cascaded = await make();
    await p.request(`/inventory/managedObjects/${cascaded.group.id}?cascade=true`, { method: "DELETE" });
    for (const o of Object.values(cascaded)) expect(await exists(o.id)).toBe(false);
  });

  it("removes the object's external ids and operations", async () => {
    const mo = await create({
      name: "with data",
      c8y_IsDevice: {},
      externalIds: [{ type: "t", externalId: "del-1" }],
    });
    const db = p.platform.ctx.db;
    db.prepare(
      "INSERT INTO operations (id, device_id, status, creation_time, fragments) VALUES (?, ?, 'PENDING', ?, '{}')",
    ).run(Number(p.platform.ctx.nextId()), Number(mo.id), new Date().toISOString());
    await p.request(`/inventory/managedObjects/${mo.id}`, { method: "DELETE" });
    expect((await p.request("/identity/externalIds/t/del-1")).status).toBe(404);
    expect(db.prepare("SELECT count(*) AS n FROM operations WHERE device_id = ?").get(Number(mo.id))).toEqual(
      {
        n: 0,
      },
    );
  });

  it("deletes the device user with withDeviceUser=true only", async () => {
    const users = p.platform.ctx.users;
    await users.upsert(TENANT, "device_keep", "pw-keep-1", "device");
    await users.upsert(TENANT, "device_gone", "pw-gone-1", "device");
    const keep = await create({ name: "k", c8y_IsDevice: {} }, basic(`${TENANT}/device_keep`, "pw-keep-1"));
    const gone = await create({ name: "g", c8y_IsDevice: {} }, basic(`${TENANT}/device_gone`, "pw-gone-1"));
    await p.request(`/inventory/managedObjects/${keep.id}`, { method: "DELETE" });
    expect(users.exists(TENANT, "device_keep")).toBe(true);
    await p.request(`/inventory/managedObjects/${gone.id}?withDeviceUser=true`, { method: "DELETE" });
    expect(users.exists(TENANT, "device_gone")).toBe(false);
    const res = await p.request("/inventory/managedObjects", {
      auth: basic(`${TENANT}/device_gone`, "pw-gone-1"),
    });
    expect(res.status).toBe(401);
  });

  it("never deletes a non-device user with withDeviceUser", async () => {
    const mo = await create({ name: "admin's", c8y_IsDevice: {} });
    await p.request(`/inventory/managedObjects/${mo.id}?withDeviceUser=true`, { method: "DELETE" });
    expect(p.platform.ctx.users.exists(TENANT, "admin")).toBe(true);
  });

  it("refuses malformed flags and unknown ids", async () => {
    const mo = await create({ name: "flag" });
    expect(
      (await p.request(`/inventory/managedObjects/${mo.id}?cascade=yes`, { method: "DELETE" })).status,
    ).toBe(422);
    expect(await exists(mo.id)).toBe(true);
    expect((await p.request("/inventory/managedObjects/abc", { method: "DELETE" })).status).toBe(404);
  });
});

describe("GET /inventory", () => {
  it("answers the API root", async () => {
    const res = await p.request("/inventory");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}inventoryApi+json;charset=UTF-8;ver=0.9`);
    const body = await res.json();
    expect(body.managedObjectsForType).toBe(`${p.url}/inventory/managedObjects?type={type}`);
    expect(body.managedObjectsForFragmentType).toBe(
      `${p.url}/inventory/managedObjects?fragmentType={fragmentType}`,
    );
    expect(body.managedObjectsForListOfIds).toBe(`${p.url}/inventory/managedObjects?ids={ids}`);
  });
});
