import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };
const EXTERNAL_ID_TYPE = "application/vnd.com.nsn.cumulocity.externalId+json;charset=UTF-8;ver=0.9";

let p: TestPlatform;
let device: string;

beforeAll(async () => {
  p = await startTestPlatform();
  await p.platform.ctx.users.upsert(TENANT, "device_id1", "device-pw-1", "device");
  device = basic(`${TENANT}/device_id1`, "device-pw-1");
});
afterAll(() => p.close());

async function createObject(body: Record<string, unknown> = {}, auth?: string): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name: "obj", ...body }),
    auth,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** fetch always sends an Accept header; this sends none, like many device clients. */
function postWithoutAccept(url: string, auth: string, body: string) {
  return new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { authorization: auth, "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function bind(id: string, type: string, externalId: string, init: { auth?: string } = {}) {
  return p.request(`/identity/globalIds/${id}/externalIds`, {
    method: "POST",
    headers: {
      "content-type": "application/vnd.com.nsn.cumulocity.externalId+json",
      accept: "application/vnd.com.nsn.cumulocity.externalId+json",
    },
    body: JSON.stringify({ type, externalId }),
    auth: init.auth,
  });
}

const path = (type: string, value: string) =>
  `/identity/externalIds/${encodeURIComponent(type)}/${encodeURIComponent(value)}`;

describe("identity API root", () => {
  it("lists the URI templates", async () => {
    const res = await p.request("/identity");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.com.nsn.cumulocity.identityApi+json;charset=UTF-8;ver=0.9",
    );
    const body = await res.json();
    expect(body.externalId).toBe(`${p.url}/identity/externalIds/{type}/{externalId}`);
    expect(body.externalIdsOfGlobalId).toBe(`${p.url}/identity/globalIds/{globalId}/externalIds`);
  });
});

describe("binding and resolving external ids", () => {
  it("binds, resolves, lists and unbinds", async () => {
    const id = await createObject();
    const created = await bind(id, "c8y_Serial", "raspi-0001");
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe(EXTERNAL_ID_TYPE);
    expect(created.headers.get("location")).toBe(`${p.url}/identity/externalIds/c8y_Serial/raspi-0001`);
    expect(await created.json()).toEqual({
      externalId: "raspi-0001",
      type: "c8y_Serial",
      self: `${p.url}/identity/externalIds/c8y_Serial/raspi-0001`,
      managedObject: { id, self: `${p.url}/inventory/managedObjects/${id}` },
    });

    const got = await p.request(path("c8y_Serial", "raspi-0001"));
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe(EXTERNAL_ID_TYPE);
    expect((await got.json()).managedObject.id).toBe(id);

    expect((await bind(id, "c8y_MAC", "00:11:22:33")).status).toBe(201);
    const list = await p.request(`/identity/globalIds/${id}/externalIds`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe(
      "application/vnd.com.nsn.cumulocity.externalIdCollection+json;charset=UTF-8;ver=0.9",
    );
    const listed = await list.json();
    expect(listed.self).toBe(`${p.url}/identity/globalIds/${id}/externalIds`);
    expect(listed.externalIds.map((e: { type: string }) => e.type)).toEqual(["c8y_Serial", "c8y_MAC"]);

    const del = await p.request(path("c8y_Serial", "raspi-0001"), { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    const gone = await p.request(path("c8y_Serial", "raspi-0001"));
    expect(gone.status).toBe(404);
    // The object itself stays.
    expect((await p.request(`/inventory/managedObjects/${id}`)).status).toBe(200);
  });

  it("answers an empty body on POST without Accept", async () => {
    const id = await createObject();
    const res = await postWithoutAccept(
      `${p.url}/identity/globalIds/${id}/externalIds`,
      p.admin,
      JSON.stringify({ type: "c8y_Serial", externalId: "no-accept-1" }),
    );
    expect(res.status).toBe(201);
    expect(res.location).toBe(`${p.url}/identity/externalIds/c8y_Serial/no-accept-1`);
    expect(res.body).toBe("");
  });

  it("answers 404 identity/Not Found with the platform's message", async () => {
    const res = await p.request("/identity/externalIds/c8y_Serial/raspi-unknown");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/vnd.com.nsn.cumulocity.error+json");
    expect(await res.json()).toMatchObject({
      error: "identity/Not Found",
      message: "External id not found; external id = ID [type=c8y_Serial, value=raspi-unknown]",
    });
    const del = await p.request("/identity/externalIds/c8y_Serial/raspi-unknown", { method: "DELETE" });
    expect(del.status).toBe(404);
    expect((await del.json()).error).toBe("identity/Not Found");
  });

  it.each(["999999", "abc", "12.5", "0"])("answers 404 for global id %s", async (id) => {
    for (const res of [
      await p.request(`/identity/globalIds/${id}/externalIds`),
      await bind(id, "c8y_Serial", `for-${id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "identity/Not Found", message: "Global ID not found" });
    }
  });

  it("refuses an id bound to another object with 409 identity/Duplicate", async () => {
    const a = await createObject();
    const b = await createObject();
    expect((await bind(a, "c8y_Serial", "dup-1")).status).toBe(201);
    const res = await bind(b, "c8y_Serial", "dup-1");
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: "identity/Duplicate",
      message: "ID [type=c8y_Serial, value=dup-1] was already bound to different Global ID.",
    });
    expect((await (await p.request(path("c8y_Serial", "dup-1"))).json()).managedObject.id).toBe(a);
  });

  it("treats binding the same pair to the same object again as success", async () => {
    const a = await createObject();
    expect((await bind(a, "c8y_Serial", "again-1")).status).toBe(201);
    const res = await bind(a, "c8y_Serial", "again-1");
    expect(res.status).toBe(201);
    expect((await res.json()).managedObject.id).toBe(a);
    const list = await (await p.request(`/identity/globalIds/${a}/externalIds`)).json();
    expect(list.externalIds).toHaveLength(1);
  });

  it("keeps type and value case-sensitive and separate", async () => {
    const a = await createObject();
    const b = await createObject();
    expect((await bind(a, "c8y_Serial", "Case-1")).status).toBe(201);
    expect((await bind(b, "c8y_Serial", "case-1")).status).toBe(201);
    expect((await bind(b, "c8y_serial", "Case-1")).status).toBe(201);
    expect((await (await p.request(path("c8y_Serial", "Case-1"))).json()).managedObject.id).toBe(a);
    expect((await (await p.request(path("c8y_serial", "Case-1"))).json()).managedObject.id).toBe(b);
  });

  it.each([
    ["space", "with space"],
    ["dots", "a.b.c"],
    ["slash", "a/b"],
    ["percent", "100%"],
    ["unicode", "gerät-ü"],
    ["plus and query chars", "a+b?c=d&e#f"],
  ])("handles an external id with %s", async (_name, value) => {
    const id = await createObject();
    const created = await bind(id, "c8y Serial", value);
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.externalId).toBe(value);
    expect(body.self).toBe(`${p.url}${path("c8y Serial", value)}`);
    const got = await p.request(path("c8y Serial", value));
    expect(got.status).toBe(200);
    expect((await got.json()).managedObject.id).toBe(id);
    // The self link works as it stands.
    expect((await p.request(body.self.slice(p.url.length))).status).toBe(200);
    expect((await p.request(path("c8y Serial", value), { method: "DELETE" })).status).toBe(204);
  });

  it("gives a clean 4xx for paths that cannot name an external id", async () => {
    for (const raw of [
      "/identity/externalIds/c8y_Serial/a/b",
      "/identity/externalIds/c8y_Serial/%E0%A4%A",
      "/identity/externalIds/c8y_Serial/",
      "/identity/externalIds/c8y_Serial/..",
    ]) {
      const res = await p.request(raw);
      expect(res.status, raw).toBeGreaterThanOrEqual(400);
      expect(res.status, raw).toBeLessThan(500);
      expect(typeof (await res.json()).error).toBe("string");
    }
  });

  it.each([
    ["missing type", { externalId: "x" }, 422, "undefined/validationError"],
    ["missing externalId", { type: "c8y_Serial" }, 422, "undefined/validationError"],
    ["number value", { type: "c8y_Serial", externalId: 5 }, 422, "identity/Invalid Data"],
    ["empty value", { type: "c8y_Serial", externalId: "" }, 422, "identity/Invalid Data"],
    ["array body", [], 422, "identity/Invalid Data"],
    ["too long", { type: "c8y_Serial", externalId: "x".repeat(2000) }, 422, "identity/Invalid Data"],
  ])("refuses a binding with %s", async (_name, body, status, error) => {
    const id = await createObject();
    const res = await p.request(`/identity/globalIds/${id}/externalIds`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    expect((await res.json()).error).toBe(error);
    expect((await (await p.request(`/identity/globalIds/${id}/externalIds`)).json()).externalIds).toEqual([]);
  });

  it("refuses malformed JSON and foreign content types", async () => {
    const id = await createObject();
    const bad = await p.request(`/identity/globalIds/${id}/externalIds`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    const xml = await p.request(`/identity/globalIds/${id}/externalIds`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<x/>",
    });
    expect(xml.status).toBe(415);
  });

  it("ignores a managedObject sent along in the body (the JS client does that)", async () => {
    const id = await createObject();
    const other = await createObject();
    const res = await p.request(`/identity/globalIds/${id}/externalIds`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ type: "c8y_Serial", externalId: "js-1", managedObject: { id: other } }),
    });
    expect(res.status).toBe(201);
    expect((await res.json()).managedObject.id).toBe(id);
  });

  it("removes the external ids with their object", async () => {
    const id = await createObject();
    expect((await bind(id, "c8y_Serial", "dies-with-object")).status).toBe(201);
    expect((await p.request(`/inventory/managedObjects/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await p.request(path("c8y_Serial", "dies-with-object"))).status).toBe(404);
    // The pair is free again.
    expect((await bind(await createObject(), "c8y_Serial", "dies-with-object")).status).toBe(201);
  });
});

describe("search", () => {
  it("resolves the known ids and skips the unknown", async () => {
    const a = await createObject();
    expect((await bind(a, "c8y_Serial", "search-1")).status).toBe(201);
    const res = await p.request("/identity/search", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        externalIds: [
          { type: "c8y_Serial", externalId: "search-1" },
          { type: "c8y_Serial", externalId: "search-unknown" },
          { type: "c8y_Serial", externalId: "search-1" },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.externalIds).toHaveLength(1);
    expect(body.externalIds[0]).toMatchObject({ externalId: "search-1", managedObject: { id: a } });
  });

  it.each([
    ["no list", {}],
    ["bad item", { externalIds: [{ type: 1 }] }],
    ["not an object", "text"],
  ])("answers 400 for %s", async (_name, body) => {
    const res = await p.request("/identity/search", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("identity/Bad Request");
  });
});

describe("permissions", () => {
  it("lets a device user bind and resolve ids of its own objects only", async () => {
    const own = await createObject({ name: "own" }, device);
    const foreign = await createObject({ name: "admin's" });
    expect((await bind(own, "c8y_Serial", "dev-own", { auth: device })).status).toBe(201);
    expect((await p.request(path("c8y_Serial", "dev-own"), { auth: device })).status).toBe(200);

    expect((await bind(foreign, "c8y_Serial", "dev-foreign", { auth: device })).status).toBe(403);
    expect((await bind(foreign, "c8y_Serial", "admin-foreign")).status).toBe(201);
    const res = await p.request(path("c8y_Serial", "admin-foreign"), { auth: device });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe("security/Forbidden");
    expect(
      (await p.request(path("c8y_Serial", "admin-foreign"), { method: "DELETE", auth: device })).status,
    ).toBe(403);
    expect((await p.request(`/identity/globalIds/${foreign}/externalIds`, { auth: device })).status).toBe(
      403,
    );

    const search = await p.request("/identity/search", {
      method: "POST",
      headers: JSON_HEADERS,
      auth: device,
      body: JSON.stringify({
        externalIds: [
          { type: "c8y_Serial", externalId: "dev-own" },
          { type: "c8y_Serial", externalId: "admin-foreign" },
        ],
      }),
    });
    expect((await search.json()).externalIds.map((e: { externalId: string }) => e.externalId)).toEqual([
      "dev-own",
    ]);
  });

  it("gives the bootstrap user 403 on every identity call", async () => {
    const id = await createObject();
    for (const [method, url] of [
      ["GET", "/identity"],
      ["GET", "/identity/externalIds/c8y_Serial/x"],
      ["DELETE", "/identity/externalIds/c8y_Serial/x"],
      ["GET", `/identity/globalIds/${id}/externalIds`],
    ] as const) {
      const res = await p.request(url, { method, auth: p.bootstrap });
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    expect((await bind(id, "c8y_Serial", "boot", { auth: p.bootstrap })).status).toBe(403);
  });

  it("answers 401 without credentials", async () => {
    expect((await p.request("/identity/externalIds/c8y_Serial/x", { auth: null })).status).toBe(401);
  });
});
