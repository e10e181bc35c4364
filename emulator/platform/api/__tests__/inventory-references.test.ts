import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChangeEvent } from "../../events.js";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";

const VENDOR = "application/vnd.com.nsn.cumulocity.";
const REF = `${VENDOR}managedObjectReference+json`;
const REFS = `${VENDOR}managedObjectReferenceCollection+json`;
const MO = `${VENDOR}managedObject+json`;
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

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

async function create(name: string, extra: Json = {}): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name, ...extra }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as Json).id as string;
}

async function get(id: string): Promise<Json> {
  return (await (await p.request(`/inventory/managedObjects/${id}`)).json()) as Json;
}

function post(parent: string, kind: string, contentType: string, body: unknown) {
  return p.request(`/inventory/managedObjects/${parent}/${kind}`, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const refIds = (mo: Json, coll: string) =>
  (mo[coll].references as Json[]).map((r) => r.managedObject.id as string);
const moUrl = (id: string) => `${p.url}/inventory/managedObjects/${id}`;

describe.each([
  ["childDevices", "deviceParents"],
  ["childAssets", "assetParents"],
  ["childAdditions", "additionParents"],
])("%s", (kind, parentKind) => {
  it("links by id, shows both directions and unlinks", async () => {
    const parent = await create("parent");
    const child = await create("child");
    events = [];
    const res = await post(parent, kind, REF, { managedObject: { id: child } });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${moUrl(parent)}/${kind}/${child}`);
    const body = await res.json();
    expect(body.self).toBe(`${moUrl(parent)}/${kind}/${child}`);
    expect(body.managedObject).toMatchObject({ id: child, name: "child", self: moUrl(child) });
    expect(refIds(body.managedObject, parentKind)).toEqual([parent]);

    const parentMo = await get(parent);
    expect(parentMo[kind].references).toEqual([
      {
        self: `${moUrl(parent)}/${kind}/${child}`,
        managedObject: { id: child, name: "child", self: moUrl(child) },
      },
    ]);
    expect(refIds(await get(child), parentKind)).toEqual([parent]);
    expect(events.map((e) => [e.action, e.id]).sort()).toEqual(
      [
        ["UPDATE", child],
        ["UPDATE", parent],
      ].sort(),
    );
    const parentEvent = events.find((e) => e.id === parent) as { data?: unknown };
    expect(parentEvent.data).toEqual(parentMo);

    const single = await p.request(`/inventory/managedObjects/${parent}/${kind}/${child}`);
    expect(single.status).toBe(200);
    expect(single.headers.get("content-type")).toBe(`${REF};charset=UTF-8;ver=0.9`);
    expect((await single.json()).managedObject.id).toBe(child);

    const inverse = await p.request(`/inventory/managedObjects/${child}/${parentKind}/${parent}`);
    expect(inverse.status).toBe(200);
    expect((await inverse.json()).managedObject.id).toBe(parent);

    events = [];
    const del = await p.request(`/inventory/managedObjects/${parent}/${kind}/${child}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect((await get(parent))[kind].references).toEqual([]);
    expect((await get(child))[parentKind].references).toEqual([]);
    expect(events.map((e) => e.action)).toEqual(["UPDATE", "UPDATE"]);

    const again = await p.request(`/inventory/managedObjects/${parent}/${kind}/${child}`, {
      method: "DELETE",
    });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      error: "inventory/Invalid Data",
      message: `managedObject ${child} is not a child of ${parent}`,
    });
  });

  it("refuses a second link with 409 inventory/Duplicate", async () => {
    const parent = await create("parent");
    const child = await create("child");
    expect((await post(parent, kind, REF, { managedObject: { id: child } })).status).toBe(201);
    const res = await post(parent, kind, REF, { managedObject: { id: child } });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toBe("inventory/Duplicate");
    expect(refIds(await get(parent), kind)).toEqual([child]);
  });
});

describe("POST variants", () => {
  it("links by the child's self URL and by a numeric id", async () => {
    const parent = await create("parent");
    const a = await create("a");
    const b = await create("b");
    expect((await post(parent, "childAssets", REF, { managedObject: { self: moUrl(a) } })).status).toBe(201);
    expect((await post(parent, "childAssets", REF, { managedObject: { id: Number(b) } })).status).toBe(201);
    expect(refIds(await get(parent), "childAssets")).toEqual([a, b]);
  });

  it("links a list of references at once", async () => {
    const parent = await create("parent");
    const a = await create("a");
    const b = await create("b");
    const res = await post(parent, "childDevices", REFS, {
      references: [{ managedObject: { id: a } }, { managedObject: { id: b } }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await res.json();
    expect(body.self).toBe(`${moUrl(parent)}/childDevices`);
    expect(body.references.map((r: Json) => r.managedObject.id)).toEqual([a, b]);
    expect(body.references[0].self).toBe(`${moUrl(parent)}/childDevices/${a}`);
    expect(refIds(await get(parent), "childDevices")).toEqual([a, b]);
  });

  it("links nothing when one entry of a list fails", async () => {
    const parent = await create("parent");
    const a = await create("a");
    const linked = await create("linked");
    expect((await post(parent, "childDevices", REF, { managedObject: { id: linked } })).status).toBe(201);
    const dup = await post(parent, "childDevices", REFS, {
      references: [{ managedObject: { id: a } }, { managedObject: { id: linked } }],
    });
    expect(dup.status).toBe(409);
    const missing = await post(parent, "childDevices", REFS, {
      references: [{ managedObject: { id: a } }, { managedObject: { id: "999999999" } }],
    });
    expect(missing.status).toBe(404);
    expect(refIds(await get(parent), "childDevices")).toEqual([linked]);
  });

  it("creates a new object inline and links it", async () => {
    const parent = await create("gateway", { c8y_IsDevice: {} });
    events = [];
    const res = await post(parent, "childDevices", MO, { name: "inline child", c8y_IsDevice: {} });
    expect(res.status).toBe(201);
    const child = await res.json();
    expect(child).toMatchObject({ name: "inline child", owner: "admin", c8y_IsDevice: {} });
    expect(res.headers.get("location")).toBe(`${moUrl(parent)}/childDevices/${child.id}`);
    expect(refIds(child, "deviceParents")).toEqual([parent]);
    expect(refIds(await get(parent), "childDevices")).toEqual([child.id]);
    expect(events.map((e) => [e.action, e.id])).toEqual([
      ["CREATE", child.id],
      ["UPDATE", parent],
    ]);
  });

  it("guesses the variant of plain JSON from the body", async () => {
    const parent = await create("parent");
    const a = await create("a");
    const b = await create("b");
    expect((await post(parent, "childAssets", "application/json", { managedObject: { id: a } })).status).toBe(
      201,
    );
    expect(
      (await post(parent, "childAssets", "application/json", { references: [{ managedObject: { id: b } }] }))
        .status,
    ).toBe(201);
    const inline = await post(parent, "childAssets", "application/json", { name: "new one" });
    expect(inline.status).toBe(201);
    const created = await inline.json();
    expect(refIds(await get(parent), "childAssets")).toEqual([a, b, created.id]);
  });

  it("allows the same object in different collections of one parent", async () => {
    const parent = await create("parent");
    const child = await create("child");
    expect((await post(parent, "childDevices", REF, { managedObject: { id: child } })).status).toBe(201);
    expect((await post(parent, "childAssets", REF, { managedObject: { id: child } })).status).toBe(201);
  });

  it.each([
    ["no managedObject", { id: "1" }, REF, 422],
    ["a non-digit id", { managedObject: { id: "abc" } }, REF, 422],
    ["a foreign self URL", { managedObject: { self: "http://x/other/5" } }, REF, 422],
    ["an empty list", { references: [] }, REFS, 422],
    ["a list item without managedObject", { references: [{}] }, REFS, 422],
    ["malformed JSON", "{", REF, 400],
    ["an unknown child", { managedObject: { id: "999999999" } }, REF, 404],
    ["an invalid inline object", { name: 7 }, MO, 422],
  ])("refuses %s", async (_name, body, contentType, status) => {
    const parent = await create("parent");
    const before = (p.platform.ctx.db.prepare("SELECT count(*) AS n FROM managed_objects").get() as Json).n;
    const res = await post(parent, "childDevices", contentType, body);
    expect(res.status).toBe(status);
    expect(typeof (await res.json()).error).toBe("string");
    expect(refIds(await get(parent), "childDevices")).toEqual([]);
    expect((p.platform.ctx.db.prepare("SELECT count(*) AS n FROM managed_objects").get() as Json).n).toBe(
      before,
    );
  });

  it("answers 404 for an unknown parent", async () => {
    const child = await create("child");
    for (const parent of ["999999999", "nope"]) {
      const res = await post(parent, "childDevices", REF, { managedObject: { id: child } });
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe("inventory/Not Found");
      expect((await p.request(`/inventory/managedObjects/${parent}/childDevices`)).status).toBe(404);
      expect((await p.request(`/inventory/managedObjects/${parent}/childDevices/${child}`)).status).toBe(404);
      expect(
        (await p.request(`/inventory/managedObjects/${parent}/childDevices/${child}`, { method: "DELETE" }))
          .status,
      ).toBe(404);
    }
  });
});

describe("hierarchy rules", () => {
  it("refuses to link an object to itself", async () => {
    const a = await create("a");
    const res = await post(a, "childAssets", REF, { managedObject: { id: a } });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toBe("inventory/Invalid Data");
  });

  it("refuses links that close a cycle, over any kind of reference", async () => {
    const a = await create("a");
    const b = await create("b");
    const c = await create("c");
    expect((await post(a, "childAssets", REF, { managedObject: { id: b } })).status).toBe(201);
    expect((await post(b, "childDevices", REF, { managedObject: { id: c } })).status).toBe(201);
    for (const kind of ["childAssets", "childDevices", "childAdditions"]) {
      expect((await post(c, kind, REF, { managedObject: { id: a } })).status).toBe(422);
      expect((await post(b, kind, REF, { managedObject: { id: a } })).status).toBe(422);
    }
    // A diamond is no cycle.
    expect((await post(a, "childDevices", REF, { managedObject: { id: c } })).status).toBe(201);
  });
});

describe("reference lists", () => {
  it("pages children with their full objects, oldest link first", async () => {
    const parent = await create("parent");
    const children: string[] = [];
    for (const n of ["c", "a", "b"]) children.push(await create(n, { c8y_IsDevice: {}, rank: n }));
    for (const child of [...children].reverse())
      expect((await post(parent, "childDevices", REF, { managedObject: { id: child } })).status).toBe(201);

    const res = await p.request(
      `/inventory/managedObjects/${parent}/childDevices?pageSize=2&withTotalPages=true`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`${REFS};charset=UTF-8;ver=0.9`);
    const body = await res.json();
    expect(body.statistics).toEqual({ currentPage: 1, pageSize: 2, totalPages: 2 });
    expect(body.self).toBe(`${moUrl(parent)}/childDevices?pageSize=2&withTotalPages=true&currentPage=1`);
    expect(body.next).toBe(`${moUrl(parent)}/childDevices?pageSize=2&withTotalPages=true&currentPage=2`);
    expect(body.references.map((r: Json) => r.managedObject.id)).toEqual([children[2], children[1]]);
    expect(body.references[0].self).toBe(`${moUrl(parent)}/childDevices/${children[2]}`);
    expect(body.references[0].managedObject).toMatchObject({ rank: "b", c8y_IsDevice: {} });
    expect(body.references[0].managedObject.deviceParents.references[0].managedObject.id).toBe(parent);

    const filtered = await (
      await p.request(
        `/inventory/managedObjects/${parent}/childDevices?pageSize=10&query=${encodeURIComponent("$filter=rank ne 'a' $orderby=name")}`,
      )
    ).json();
    expect(filtered.references.map((r: Json) => r.managedObject.name)).toEqual(["b", "c"]);
    const bad = await p.request(
      `/inventory/managedObjects/${parent}/childDevices?query=${encodeURIComponent("rank eq")}`,
    );
    expect(bad.status).toBe(422);

    const parents = await (await p.request(`/inventory/managedObjects/${children[0]}/deviceParents`)).json();
    expect(parents.references.map((r: Json) => r.managedObject.id)).toEqual([parent]);
    expect(parents.references[0].self).toBe(`${moUrl(children[0]!)}/deviceParents/${parent}`);
  });

  it("answers 422 for a single reference that does not exist", async () => {
    const parent = await create("parent");
    const other = await create("other");
    for (const child of [other, "abc", "999999999"]) {
      const res = await p.request(`/inventory/managedObjects/${parent}/childAssets/${child}`);
      expect(res.status).toBe(422);
      expect((await res.json()).message).toBe(`managedObject ${child} is not a child of ${parent}`);
    }
    expect((await p.request(`/inventory/managedObjects/${other}/assetParents/${parent}`)).status).toBe(422);
  });

  it("unlinks a list given in a DELETE body, all or nothing", async () => {
    const parent = await create("parent");
    const a = await create("a");
    const b = await create("b");
    const c = await create("c");
    for (const child of [a, b])
      expect((await post(parent, "childAssets", REF, { managedObject: { id: child } })).status).toBe(201);
    const del = (ids: string[]) =>
      p.request(`/inventory/managedObjects/${parent}/childAssets`, {
        method: "DELETE",
        headers: { "content-type": REFS },
        body: JSON.stringify({ references: ids.map((id) => ({ managedObject: { id } })) }),
      });
    const partial = await del([a, c]);
    expect(partial.status).toBe(422);
    expect(refIds(await get(parent), "childAssets")).toEqual([a, b]);
    expect((await del([a, b])).status).toBe(204);
    expect(refIds(await get(parent), "childAssets")).toEqual([]);
    expect(await get(a)).toMatchObject({ id: a, name: "a" });
  });
});
