import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { DELETE as remove, GET as read, PUT as update } from "@/app/api/devices/[id]/route";
import { basic, type TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
});
afterAll(() => p.close());

const json = { "content-type": "application/json", accept: "application/json" };

const create = (body: Record<string, unknown>) => createObject(p, body);

/** The object exactly as the platform holds it. */
async function stored(id: string): Promise<Record<string, unknown>> {
  const res = await p.request(`/inventory/managedObjects/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function link(parent: string, collection: string, child: string) {
  const res = await p.request(`/inventory/managedObjects/${parent}/${collection}`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ managedObject: { id: child } }),
  });
  expect(res.status).toBe(201);
}

const seedDevice = () =>
  create({
    name: "RaspPi 0001",
    type: "c8y_Linux",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: ["c8y_Restart", "c8y_Configuration"],
    c8y_Hardware: { model: "RaspPi BCM2708", revision: "000e", serialNumber: "0001" },
    c8y_Software: { "pi-driver": "pi-driver-3.4.5.jar" },
    acme_Custom: { nested: { a: 1 } },
  });

const put = (id: string, body: unknown) =>
  call(update, `/api/devices/${id}`, { method: "PUT", body, cookie, params: { id } });

describe("GET /api/devices/[id]", () => {
  it("answers the object's fields, fragments, parents and child counts", async () => {
    const id = await seedDevice();
    const group = await create({ name: "Hall 1", type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} });
    const child = await create({ name: "Meter", c8y_IsDevice: {} });
    await link(group, "childAssets", id);
    await link(id, "childDevices", child);

    const a = await call(read, `/api/devices/${id}`, { cookie, params: { id } });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      id,
      name: "RaspPi 0001",
      type: "c8y_Linux",
      owner: "admin",
      isDevice: true,
      isAgent: true,
      isGroup: false,
      deviceParents: [],
      assetParents: [{ id: group, name: "Hall 1" }],
      childCounts: { devices: 1, assets: 0, additions: 0 },
    });
    expect(a.json.lastUpdated).toEqual(expect.any(String));
    expect(a.json.creationTime).toEqual(expect.any(String));
    // Fragments hold everything else, and nothing of the base fields or reference collections.
    expect(Object.keys(a.json.fragments).sort()).toEqual([
      "acme_Custom",
      "c8y_Hardware",
      "c8y_IsDevice",
      "c8y_Software",
      "c8y_SupportedOperations",
      "com_cumulocity_model_Agent",
    ]);
    expect(a.json.fragments.acme_Custom).toEqual({ nested: { a: 1 } });

    const c = await call(read, `/api/devices/${child}`, { cookie, params: { id: child } });
    expect(c.json.deviceParents).toEqual([{ id, name: "RaspPi 0001" }]);
  });

  it("answers 404 not_found for an unknown object and 422 for an id that is no path segment", async () => {
    const a = await call(read, "/api/devices/999999999", { cookie, params: { id: "999999999" } });
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
    const b = await call(read, "/api/devices/x", { cookie, params: { id: "../etc" } });
    expect(b.status).toBe(422);
    expect(b.json.error.code).toBe("invalid_input");
  });

  it("needs a session", async () => {
    const a = await call(read, "/api/devices/1", { params: { id: "1" } });
    expect(a.status).toBe(401);
  });
});

describe("PUT /api/devices/[id]", () => {
  it("sends only the changed fragments: a form edit, a JSON edit, a removal and the name", async () => {
    const id = await seedDevice();
    const before = await stored(id);
    const a = await put(id, {
      expectedLastUpdated: before.lastUpdated,
      changes: {
        name: "Pump room gateway",
        c8y_Hardware: { model: "RaspPi 4", serialNumber: "0001" },
        acme_Custom: { nested: { a: 2 }, list: [1, 2] },
        c8y_Software: null,
      },
    });
    expect(a.status).toBe(200);
    expect(a.json.name).toBe("Pump room gateway");
    expect(a.json.fragments.c8y_Hardware).toEqual({ model: "RaspPi 4", serialNumber: "0001" });
    expect(a.json.fragments).not.toHaveProperty("c8y_Software");
    expect(a.json.lastUpdated).not.toBe(before.lastUpdated);

    // The platform holds exactly that: replaced whole (no merge), removed, and the rest untouched.
    const after = await stored(id);
    expect(after.name).toBe("Pump room gateway");
    expect(after.c8y_Hardware).toEqual({ model: "RaspPi 4", serialNumber: "0001" });
    expect(after.acme_Custom).toEqual({ nested: { a: 2 }, list: [1, 2] });
    expect(after).not.toHaveProperty("c8y_Software");
    expect(after.c8y_SupportedOperations).toEqual(before.c8y_SupportedOperations);
    expect(after.com_cumulocity_model_Agent).toEqual({});
    expect(after.type).toBe("c8y_Linux");
  });

  it("answers 409 conflict with the current object when it changed since it was loaded, and writes nothing", async () => {
    const id = await seedDevice();
    const loaded = await stored(id);
    // Someone else (an agent, step 4 of the startup phase) updates the object meanwhile.
    const other = await p.request(`/inventory/managedObjects/${id}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ c8y_Firmware: { name: "bootloader", version: "2" } }),
    });
    expect(other.status).toBe(200);

    const a = await put(id, {
      expectedLastUpdated: loaded.lastUpdated,
      changes: { c8y_Hardware: { model: "mine" } },
    });
    expect(a.status).toBe(409);
    expect(a.json.error.code).toBe("conflict");
    expect(a.json.error.message).toMatch(/changed by someone else/);
    expect(a.json.current.fragments.c8y_Firmware).toEqual({ name: "bootloader", version: "2" });
    expect(a.json.error.fields.lastUpdated).toBe(a.json.current.lastUpdated);
    expect((await stored(id)).c8y_Hardware).toEqual(loaded.c8y_Hardware);

    // Overwriting knowingly: force writes the operator's fragment and keeps the other change.
    const b = await put(id, {
      expectedLastUpdated: loaded.lastUpdated,
      changes: { c8y_Hardware: { model: "mine" } },
      force: true,
    });
    expect(b.status).toBe(200);
    const after = await stored(id);
    expect(after.c8y_Hardware).toEqual({ model: "mine" });
    expect(after.c8y_Firmware).toEqual({ name: "bootloader", version: "2" });
  });

  it("accepts the same instant written with an offset", async () => {
    const id = await seedDevice();
    const loaded = (await stored(id)).lastUpdated as string;
    const offset = new Date(loaded).toISOString().replace("Z", "+00:00");
    const a = await put(id, { expectedLastUpdated: offset, changes: { acme_X: { on: true } } });
    expect(a.status).toBe(200);
  });

  it.each([
    ["no changes", { changes: {} }, "changes"],
    ["only read-only fields", { changes: { lastUpdated: "2020-01-01T00:00:00Z", owner: "x" } }, "changes"],
    ["a reference collection", { changes: { childDevices: { references: [] } } }, "changes.childDevices"],
    [
      "a platform-computed fragment",
      { changes: { c8y_Availability: { status: "AVAILABLE" } } },
      "changes.c8y_Availability",
    ],
    ["a dotted fragment name", { changes: { "a.b": 1 } }, "changes.a.b"],
    ["an empty name", { changes: { name: "  " } }, "changes.name"],
    [
      "operations that are not a list",
      { changes: { c8y_SupportedOperations: "c8y_Restart" } },
      "changes.c8y_SupportedOperations",
    ],
    ["hardware with a number", { changes: { c8y_Hardware: { model: 4 } } }, "changes.c8y_Hardware.model"],
    [
      "a software list item without a name",
      { changes: { c8y_SoftwareList: [{ version: "1" }] } },
      "changes.c8y_SoftwareList.[0].name",
    ],
    ["no expectedLastUpdated", { changes: { acme_X: 1 } }, "expectedLastUpdated"],
  ])("answers 422 invalid_input for %s, before the platform is asked", async (_name, partial, field) => {
    const id = await seedDevice();
    const loaded = await stored(id);
    const body = { expectedLastUpdated: loaded.lastUpdated, ...partial };
    if (field === "expectedLastUpdated")
      delete (body as { expectedLastUpdated?: unknown }).expectedLastUpdated;
    const a = await put(id, body);
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(Object.keys(a.json.error.fields)).toContain(field);
    expect((await stored(id)).lastUpdated).toBe(loaded.lastUpdated);
  });

  it("drops the platform's read-only fields (owner, lastUpdated, id, self, creationTime): never forwarded", async () => {
    const id = await seedDevice();
    const loaded = await stored(id);
    const a = await put(id, {
      expectedLastUpdated: loaded.lastUpdated,
      owner: "mallory",
      changes: {
        owner: "mallory",
        lastUpdated: "2020-01-01T00:00:00.000Z",
        creationTime: "2020-01-01T00:00:00.000Z",
        id: "1",
        self: "http://elsewhere.invalid/inventory/managedObjects/1",
        acme_Kept: { on: true },
      },
    });
    expect(a.status).toBe(200);
    const after = await stored(id);
    expect(after).toMatchObject({ id, owner: loaded.owner, creationTime: loaded.creationTime });
    expect(after.self).toBe(loaded.self);
    expect(after.lastUpdated).not.toBe("2020-01-01T00:00:00.000Z");
    expect(after.acme_Kept).toEqual({ on: true });
  });

  it("answers 400 bad_json for a body that is not JSON", async () => {
    const a = await call(update, "/api/devices/1", {
      method: "PUT",
      body: "{changes:",
      headers: { "content-type": "application/json" },
      cookie,
      params: { id: "1" },
    });
    expect(a.status).toBe(400);
    expect(a.json.error.code).toBe("bad_json");
  });

  it("answers 404 for an object that is gone", async () => {
    const a = await put("999999998", { expectedLastUpdated: "2020-01-01T00:00:00.000Z", changes: { a: 1 } });
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
  });

  it("refuses a mutation without the console header", async () => {
    const id = await seedDevice();
    const a = await call(update, `/api/devices/${id}`, {
      method: "PUT",
      body: { expectedLastUpdated: "x", changes: { a: 1 } },
      csrf: false,
      cookie,
      params: { id },
    });
    expect(a.status).toBe(403);
    expect(a.json.error.code).toBe("cross_site_refused");
  });
});

describe("DELETE /api/devices/[id]", () => {
  const del = (id: string, query = "") =>
    call(remove, `/api/devices/${id}${query}`, { method: "DELETE", cookie, params: { id } });

  it("deletes the device only; its child devices stay without cascade", async () => {
    const id = await seedDevice();
    const child = await create({ name: "Child", c8y_IsDevice: {} });
    await link(id, "childDevices", child);
    const a = await del(id);
    expect(a.status).toBe(204);
    expect((await p.request(`/inventory/managedObjects/${id}`)).status).toBe(404);
    expect((await p.request(`/inventory/managedObjects/${child}`)).status).toBe(200);
  });

  it("with cascade also deletes the hierarchy below the device", async () => {
    const id = await seedDevice();
    const child = await create({ name: "Child", c8y_IsDevice: {} });
    await link(id, "childDevices", child);
    const a = await del(id, "?cascade=true");
    expect(a.status).toBe(204);
    expect((await p.request(`/inventory/managedObjects/${child}`)).status).toBe(404);
  });

  it("with withDeviceUser also removes the device's own user, so its credentials stop working", async () => {
    // The device's side of the startup phase: register, knock, be accepted, collect credentials (step 0).
    const serial = "del-user-1";
    const poll = () =>
      p.request("/devicecontrol/deviceCredentials", {
        method: "POST",
        auth: p.bootstrap,
        headers: json,
        body: JSON.stringify({ id: serial }),
      });
    await p.request("/devicecontrol/newDeviceRequests", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ id: serial }),
    });
    expect((await poll()).status).toBe(404);
    const accepted = await p.request(`/devicecontrol/newDeviceRequests/${serial}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ status: "ACCEPTED" }),
    });
    expect(accepted.status).toBe(200);
    const creds = (await (await poll()).json()) as { tenantId: string; username: string; password: string };
    const deviceAuth = basic(`${creds.tenantId}/${creds.username}`, creds.password);
    const made = await p.request("/inventory/managedObjects", {
      method: "POST",
      auth: deviceAuth,
      headers: json,
      body: JSON.stringify({ name: "Self-made", c8y_IsDevice: {} }),
    });
    const id = ((await made.json()) as { id: string }).id;

    const a = await del(id, "?withDeviceUser=true");
    expect(a.status).toBe(204);
    expect((await p.request("/inventory/managedObjects?pageSize=1", { auth: deviceAuth })).status).toBe(401);
  });

  it("answers 404 for an unknown object and 422 for a flag that is not a boolean", async () => {
    expect((await del("999999997")).status).toBe(404);
    const id = await seedDevice();
    const a = await del(id, "?cascade=perhaps");
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty("cascade");
    expect((await p.request(`/inventory/managedObjects/${id}`)).status).toBe(200);
  });
});
