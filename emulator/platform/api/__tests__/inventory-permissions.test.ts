import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";

const VENDOR = "application/vnd.com.nsn.cumulocity.";
const REF = `${VENDOR}managedObjectReference+json`;
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests
type Json = Record<string, any>;

let p: TestPlatform;
let dev: string;
let other: string;

beforeAll(async () => {
  p = await startTestPlatform();
  await p.platform.ctx.users.upsert(TENANT, "device_perm", "perm-pw-1", "device");
  await p.platform.ctx.users.upsert(TENANT, "device_other", "other-pw-1", "device");
  dev = basic(`${TENANT}/device_perm`, "perm-pw-1");
  other = basic(`${TENANT}/device_other`, "other-pw-1");
});
afterAll(() => p.close());

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

function link(parent: string, kind: string, child: string, auth?: string) {
  return p.request(`/inventory/managedObjects/${parent}/${kind}`, {
    method: "POST",
    headers: { "content-type": REF, accept: "application/json" },
    body: JSON.stringify({ managedObject: { id: child } }),
    auth,
  });
}

const status = async (path: string, auth: string, init: RequestInit = {}) =>
  (await p.request(path, { ...init, auth })).status;

async function listIds(qs: string, auth: string): Promise<string[]> {
  const res = await p.request(`/inventory/managedObjects?pageSize=100&${qs}`, { auth });
  expect(res.status).toBe(200);
  return ((await res.json()).managedObjects as Json[]).map((m) => m.id as string);
}

describe("device users", () => {
  it("own what they create and may read and change it", async () => {
    const mo = await create({ name: "my device", c8y_IsDevice: {} }, dev);
    expect(mo.owner).toBe("device_perm");
    expect(await status(`/inventory/managedObjects/${mo.id}`, dev)).toBe(200);
    const res = await p.request(`/inventory/managedObjects/${mo.id}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ c8y_Firmware: { version: "2" }, owner: "device_perm" }),
      auth: dev,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).c8y_Firmware).toEqual({ version: "2" });
  });

  it("may not give objects away, and own what they create whatever the body says", async () => {
    const mo = await create({ name: "mine" }, dev);
    const res = await p.request(`/inventory/managedObjects/${mo.id}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ owner: "admin" }),
      auth: dev,
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe("security/Forbidden");
    // On create the owner is not the client's to choose: the object is the device user's all the same.
    const created = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: "for admin", owner: "admin" }),
      auth: dev,
    });
    expect(created.status).toBe(201);
    expect((await created.json()).owner).toBe("device_perm");
  });

  it("cannot touch objects of others", async () => {
    const foreign = await create({ name: "admin's" });
    const path = `/inventory/managedObjects/${foreign.id}`;
    expect(await status(path, dev)).toBe(403);
    expect(
      await status(path, dev, { method: "PUT", headers: JSON_HEADERS, body: JSON.stringify({ name: "x" }) }),
    ).toBe(403);
    expect(await status(path, dev, { method: "DELETE" })).toBe(403);
    expect(await status(`${path}/childDevices`, dev)).toBe(403);
    expect((await p.request(path)).status).toBe(200);
    expect((await (await p.request(path)).json()).name).toBe("admin's");
    // Unknown ids stay 404 for everybody.
    expect(await status("/inventory/managedObjects/999999999", dev)).toBe(404);
  });

  it("see their objects and everything below them in lists", async () => {
    const group = await create({ name: "admin group", c8y_IsDeviceGroup: {} });
    const gw = await create({ name: "gw", c8y_IsDevice: {}, marker: "perm-list" }, dev);
    const child = await create({ name: "child by admin", marker: "perm-list" });
    const foreign = await create({ name: "not visible", marker: "perm-list" });
    const othersDevice = await create({ name: "other's", marker: "perm-list" }, other);
    expect((await link(group.id, "childAssets", gw.id)).status).toBe(201);
    expect((await link(gw.id, "childDevices", child.id)).status).toBe(201);

    const query = `query=${encodeURIComponent("marker eq 'perm-list'")}`;
    expect(await listIds(query, dev)).toEqual([gw.id, child.id]);
    expect(await listIds(query, other)).toEqual([othersDevice.id]);
    expect(await listIds(query, p.admin)).toEqual([gw.id, child.id, foreign.id, othersDevice.id]);
    expect(await status(`/inventory/managedObjects/${child.id}`, dev)).toBe(200);
    expect(await (await p.request(`/inventory/managedObjects/count?${query}`, { auth: dev })).json()).toBe(2);
    expect(await listIds("text=perm", dev)).toEqual([]);
    expect(await listIds("text=gw", dev)).toEqual([gw.id]);
    // The admin's group is invisible, so the device's gateway is a root for it.
    expect(await listIds(`onlyRoots=true&${query}`, dev)).toEqual([gw.id]);
    expect(await listIds(`onlyRoots=true&${query}`, p.admin)).toEqual([foreign.id, othersDevice.id]);
    expect(await listIds(`ids=${foreign.id},${gw.id}`, dev)).toEqual([gw.id]);
  });

  it("link children only where they can access both sides", async () => {
    const mine = await create({ name: "mine" }, dev);
    const mine2 = await create({ name: "mine too" }, dev);
    const foreign = await create({ name: "admin's" });
    expect((await link(mine.id, "childDevices", mine2.id, dev)).status).toBe(201);
    expect((await link(mine.id, "childDevices", foreign.id, dev)).status).toBe(403);
    expect((await link(foreign.id, "childDevices", mine.id, dev)).status).toBe(403);

    const inline = await p.request(`/inventory/managedObjects/${mine.id}/childDevices`, {
      method: "POST",
      headers: { "content-type": `${VENDOR}managedObject+json`, accept: "application/json" },
      body: JSON.stringify({ name: "inline by device", c8y_IsDevice: {} }),
      auth: dev,
    });
    expect(inline.status).toBe(201);
    expect((await inline.json()).owner).toBe("device_perm");
  });

  it("may unlink their own object from a parent they cannot see", async () => {
    const group = await create({ name: "admin group", c8y_IsDeviceGroup: {} });
    const mine = await create({ name: "mine" }, dev);
    expect((await link(group.id, "childAssets", mine.id)).status).toBe(201);
    expect(
      await status(`/inventory/managedObjects/${group.id}/childAssets/${mine.id}`, other, {
        method: "DELETE",
      }),
    ).toBe(403);
    expect(
      await status(`/inventory/managedObjects/${group.id}/childAssets/${mine.id}`, dev, { method: "DELETE" }),
    ).toBe(204);
  });

  it("may delete their own hierarchy", async () => {
    const gw = await create({ name: "gw", c8y_IsDevice: {} }, dev);
    const child = await create({ name: "child", c8y_IsDevice: {} }, dev);
    expect((await link(gw.id, "childDevices", child.id, dev)).status).toBe(201);
    expect(await status(`/inventory/managedObjects/${gw.id}?cascade=true`, dev, { method: "DELETE" })).toBe(
      204,
    );
    expect(await status(`/inventory/managedObjects/${child.id}`, p.admin)).toBe(404);
  });
});

describe("the bootstrap user", () => {
  it("gets 403 on every inventory call", async () => {
    const mo = await create({ name: "target" });
    const calls: [string, string, unknown?][] = [
      ["GET", "/inventory"],
      ["GET", "/inventory/managedObjects"],
      ["GET", "/inventory/managedObjects/count"],
      ["POST", "/inventory/managedObjects", { name: "x" }],
      ["PUT", "/inventory/managedObjects", { managedObjects: [{ id: mo.id, name: "x" }] }],
      ["GET", `/inventory/managedObjects/${mo.id}`],
      ["PUT", `/inventory/managedObjects/${mo.id}`, { name: "x" }],
      ["DELETE", `/inventory/managedObjects/${mo.id}`],
      ["GET", `/inventory/managedObjects/${mo.id}/childDevices`],
      ["POST", `/inventory/managedObjects/${mo.id}/childDevices`, { name: "x" }],
      ["GET", `/inventory/managedObjects/${mo.id}/childDevices/${mo.id}`],
      ["DELETE", `/inventory/managedObjects/${mo.id}/childDevices/${mo.id}`],
      ["GET", `/inventory/managedObjects/${mo.id}/assetParents`],
    ];
    for (const [method, path, body] of calls) {
      const res = await p.request(path, {
        method,
        auth: p.bootstrap,
        headers: body === undefined ? {} : JSON_HEADERS,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await res.json()).error).toBe("security/Forbidden");
    }
    expect((await (await p.request(`/inventory/managedObjects/${mo.id}`)).json()).name).toBe("target");
  });

  it("answers 401 without credentials", async () => {
    expect((await p.request("/inventory/managedObjects", { auth: null })).status).toBe(401);
  });
});
