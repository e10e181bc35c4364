import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { DELETE as unbind, GET as list, POST as bind } from "@/app/api/devices/[id]/identity/route";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { call, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
});
afterAll(() => p.close());

const json = { "content-type": "application/json", accept: "application/json" };

async function create(name: string): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name, c8y_IsDevice: {} }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** What the platform itself says about an external id: the bound object's id, or null. */
async function resolve(type: string, value: string): Promise<string | null> {
  const res = await p.request(
    `/identity/externalIds/${encodeURIComponent(type)}/${encodeURIComponent(value)}`,
  );
  if (res.status === 404) return null;
  return ((await res.json()) as { managedObject: { id: string } }).managedObject.id;
}

const path = (id: string) => `/api/devices/${id}/identity`;
const add = (id: string, body: unknown) => call(bind, path(id), { body, cookie, params: { id } });
const del = (id: string, body: unknown) =>
  call(unbind, path(id), { method: "DELETE", body, cookie, params: { id } });

describe("identity of a device", () => {
  it("lists, binds and unbinds external ids", async () => {
    const id = await create("Gateway A");
    expect((await call(list, path(id), { cookie, params: { id } })).json).toEqual({ items: [] });

    const a = await add(id, { type: "c8y_Serial", externalId: "gw-A" });
    expect(a.status).toBe(201);
    expect(a.json).toEqual({ type: "c8y_Serial", externalId: "gw-A" });
    await add(id, { type: "c8y_MAC", externalId: "00:11:22:33:44:55" });
    expect(await resolve("c8y_Serial", "gw-A")).toBe(id);

    const l = await call(list, path(id), { cookie, params: { id } });
    expect(l.json.items).toEqual([
      { type: "c8y_Serial", externalId: "gw-A" },
      { type: "c8y_MAC", externalId: "00:11:22:33:44:55" },
    ]);

    const d = await del(id, { type: "c8y_Serial", externalId: "gw-A" });
    expect(d.status).toBe(204);
    expect(await resolve("c8y_Serial", "gw-A")).toBeNull();
    // The object itself stays.
    expect((await p.request(`/inventory/managedObjects/${id}`)).status).toBe(200);
  });

  it("explains a duplicate: which device holds the id already", async () => {
    const holder = await create("Pump 7");
    const other = await create("Pump 8");
    await add(holder, { type: "c8y_Serial", externalId: "pump-7" });

    const a = await add(other, { type: "c8y_Serial", externalId: "pump-7" });
    expect(a.status).toBe(409);
    expect(a.json.error.code).toBe("conflict");
    expect(a.json.error.message).toContain(`already bound to device ${holder} “Pump 7”`);
    expect(a.json.error.fields).toEqual({ externalId: a.json.error.message, boundTo: holder });
    expect(await resolve("c8y_Serial", "pump-7")).toBe(holder);
  });

  it("says when the id is bound to this very device already", async () => {
    const id = await create("Pump 9");
    await add(id, { type: "c8y_Serial", externalId: "pump-9" });
    const a = await add(id, { type: "c8y_Serial", externalId: "pump-9" });
    expect(a.status).toBe(409);
    expect(a.json.error.message).toMatch(/already bound to this device/);
  });

  it("never unbinds another device's id through this device's page", async () => {
    const holder = await create("Owner");
    const other = await create("Other");
    await add(holder, { type: "c8y_Serial", externalId: "owned-1" });
    const a = await del(other, { type: "c8y_Serial", externalId: "owned-1" });
    expect(a.status).toBe(404);
    expect(a.json.error.message).toMatch(/not bound to this device/);
    expect(await resolve("c8y_Serial", "owned-1")).toBe(holder);
    const b = await del(other, { type: "c8y_Serial", externalId: "never-bound" });
    expect(b.status).toBe(404);
  });

  it("keeps ids with slashes and spaces intact", async () => {
    const id = await create("Odd ids");
    const odd = { type: "acme Asset Tag", externalId: "rack 4/slot 2" };
    expect((await add(id, odd)).status).toBe(201);
    expect(await resolve(odd.type, odd.externalId)).toBe(id);
    expect((await del(id, odd)).status).toBe(204);
    expect(await resolve(odd.type, odd.externalId)).toBeNull();
  });

  it.each([
    ["no type", { externalId: "x" }, "type"],
    ["an empty id", { type: "c8y_Serial", externalId: "  " }, "externalId"],
    ["a control character", { type: "c8y_Serial", externalId: "a\u0007b" }, "externalId"],
    ["a number", { type: "c8y_Serial", externalId: 17 }, "externalId"],
  ])("answers 422 invalid_input for %s", async (_name, body, field) => {
    const id = await create("Bad input");
    const a = await add(id, body);
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty(field);
  });

  it("answers 404 for an unknown device", async () => {
    const a = await add("999999990", { type: "c8y_Serial", externalId: "lost" });
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
    const l = await call(list, path("999999990"), { cookie, params: { id: "999999990" } });
    expect(l.status).toBe(404);
  });
});
