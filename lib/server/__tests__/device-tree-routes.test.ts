import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as paths } from "@/app/api/devices/[id]/paths/route";
import { GET as search } from "@/app/api/devices/search/route";
import { GET as children } from "@/app/api/devices/tree/[id]/children/route";
import { GET as roots } from "@/app/api/devices/tree/roots/route";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, platformError, signIn, startProxy, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;

const create = (body: Record<string, unknown>) => createObject(p, body);

/** Up to 50 objects per call (the platform's bulk maximum). */
async function createMany(bodies: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 50) {
    const res = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: {
        "content-type": "application/vnd.com.nsn.cumulocity.managedObjectCollection+json",
        accept: "application/json",
      },
      body: JSON.stringify({ managedObjects: bodies.slice(i, i + 50) }),
    });
    if (res.status !== 201) throw new Error(`bulk create answered ${res.status}`);
    ids.push(...((await res.json()) as { managedObjects: { id: string }[] }).managedObjects.map((m) => m.id));
  }
  return ids;
}

async function link(parent: string, kind: "childAssets" | "childDevices", childIds: string[]) {
  const res = await p.request(`/inventory/managedObjects/${parent}/${kind}`, {
    method: "POST",
    headers: { "content-type": "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json" },
    body: JSON.stringify({ references: childIds.map((id) => ({ managedObject: { id } })) }),
  });
  if (res.status !== 201) throw new Error(`link answered ${res.status}: ${await res.text()}`);
}

const group = (name: string, sub = false) => ({
  name,
  type: sub ? "c8y_DeviceSubGroup" : "c8y_DeviceGroup",
  c8y_IsDeviceGroup: {},
});
const device = (name: string, extra: Record<string, unknown> = {}) => ({ name, c8y_IsDevice: {}, ...extra });

/** The fixture: two root groups, a subgroup with a gateway, a child in two places, a big gateway, a loner. */
const ids = {} as Record<
  "plant" | "hall" | "spares" | "gateway" | "pump" | "valve" | "big" | "loner" | "asset",
  string
>;

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));

  ids.plant = await create(group("Plant North"));
  ids.spares = await create(group("Spare's shelf"));
  ids.hall = await create(group("Hall 1", true));
  ids.gateway = await create(
    device("Gateway Hall 1", {
      com_cumulocity_model_Agent: {},
      c8y_SupportedOperations: ["c8y_Restart", "c8y_Command"],
      c8y_Hardware: { model: "GW-9000", serialNumber: "SN-GW-1" },
      externalIds: [{ type: "c8y_Serial", externalId: "SN-GW-1" }],
    }),
  );
  ids.pump = await create(
    device("Pump 7", { externalIds: [{ type: "c8y_Serial", externalId: "tree-pump-7" }] }),
  );
  ids.valve = await create(
    device("Valve 3", { externalIds: [{ type: "c8y_IMEI", externalId: "350000000000003" }] }),
  );
  ids.asset = await create({ name: "Floor plan", acme_FloorPlan: {} });
  ids.big = await create(device("Big gateway", { com_cumulocity_model_Agent: {} }));
  ids.loner = await create(device("Loner sensor"));
  await link(ids.plant, "childAssets", [ids.hall, ids.asset]);
  await link(ids.hall, "childAssets", [ids.gateway]);
  await link(ids.gateway, "childDevices", [ids.pump, ids.valve]);
  await link(ids.spares, "childAssets", [ids.pump]);
  const kids = await createMany(Array.from({ length: 250 }, (_, i) => device(`Big child ${i + 1}`)));
  await link(ids.big, "childDevices", kids);
});
afterAll(() => p.close());

describe("GET /api/devices/tree/roots", () => {
  it("lists root groups first, then devices that belong to nothing, with kinds and child counts", async () => {
    const a = await call(roots, "/api/devices/tree/roots?pageSize=100", { cookie });
    expect(a.status).toBe(200);
    expect(a.headers.get("cache-control")).toBe("no-store, no-transform");
    const names = a.json.items.map((n: { name: string }) => n.name);
    expect(names).toEqual(["Plant North", "Spare's shelf", "Big gateway", "Loner sensor"]);
    expect(a.json.items[0]).toEqual({
      id: ids.plant,
      name: "Plant North",
      kind: "group",
      type: "c8y_DeviceGroup",
      childCount: 2,
      supportedOperations: [],
      hardwareModel: null,
      connection: null,
    });
    expect(a.json.items[2]).toMatchObject({ id: ids.big, kind: "agent", childCount: 250 });
    expect(a.json.items[3]).toMatchObject({ id: ids.loner, kind: "device", childCount: 0 });
    expect(a.json.nextCursor).toBeNull();
  });

  it("pages with an opaque cursor through groups and then devices, each root once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const a = await call(roots, `/api/devices/tree/roots?pageSize=1${cursor ? `&cursor=${cursor}` : ""}`, {
        cookie,
      });
      expect(a.status).toBe(200);
      seen.push(...a.json.items.map((n: { id: string }) => n.id));
      cursor = a.json.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual([ids.plant, ids.spares, ids.big, ids.loner]);
  });

  it.each([
    ["a cursor it did not make", "cursor=x1", "cursor"],
    ["page size 0", "pageSize=0", "pageSize"],
    ["page size over 500", "pageSize=501", "pageSize"],
  ])("answers 422 for %s", async (_name, query, field) => {
    const a = await call(roots, `/api/devices/tree/roots?${query}`, { cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(Object.keys(a.json.error.fields)).toEqual([field]);
  });

  it("needs a session", async () => {
    const a = await call(roots, "/api/devices/tree/roots");
    expect(a.status).toBe(401);
    expect(a.json.error.code).toBe("unauthenticated");
  });
});

describe("GET /api/devices/tree/[id]/children", () => {
  const kids = (id: string, query: string) =>
    call(children, `/api/devices/tree/${id}/children?${query}`, { cookie, params: { id } });

  it("lists a group's assets: subgroups, devices and other objects", async () => {
    const a = await kids(ids.plant, "rel=assets");
    expect(a.status).toBe(200);
    expect(a.json.items.map((n: { id: string; kind: string }) => [n.id, n.kind])).toEqual([
      [ids.hall, "group"],
      [ids.asset, "asset"],
    ]);
    expect(a.json).toMatchObject({ page: 1, pageSize: 100, total: 2, hasMore: false });
  });

  it("lists a gateway's child devices with the badges that matter", async () => {
    const hall = await kids(ids.hall, "rel=assets");
    expect(hall.json.items).toEqual([
      {
        id: ids.gateway,
        name: "Gateway Hall 1",
        kind: "agent",
        type: null,
        childCount: 2,
        supportedOperations: ["c8y_Restart", "c8y_Command"],
        hardwareModel: "GW-9000",
        connection: null,
      },
    ]);
    const gw = await kids(ids.gateway, "rel=devices");
    expect(gw.json.items.map((n: { name: string }) => n.name)).toEqual(["Pump 7", "Valve 3"]);
  });

  it("serves any page of a long list by number; the total comes with page 1", async () => {
    const first = await kids(ids.big, "rel=devices&pageSize=100");
    expect(first.json).toMatchObject({ total: 250, hasMore: true });
    expect(first.json.items).toHaveLength(100);
    expect(first.json.items[0].name).toBe("Big child 1");
    const last = await kids(ids.big, "rel=devices&pageSize=100&page=3");
    expect(last.json).toMatchObject({ page: 3, total: null, hasMore: false });
    expect(last.json.items).toHaveLength(50);
    expect(last.json.items[49].name).toBe("Big child 250");
    const beyond = await kids(ids.big, "rel=devices&pageSize=100&page=4");
    expect(beyond.json).toMatchObject({ items: [], hasMore: false });
  });

  it("answers 404 for an object the platform does not know", async () => {
    const a = await kids("99999999", "rel=devices");
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
  });

  it.each([
    ["a non-numeric id", "abc", "rel=devices", "id"],
    ["a dot segment", "..", "rel=devices", "id"],
    ["no relation", "1", "", "rel"],
    ["an unknown relation", "1", "rel=additions", "rel"],
    ["page 0", "1", "rel=devices&page=0", "page"],
  ])("answers 422 for %s", async (_name, id, query, field) => {
    const a = await kids(id, query);
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(a.json.error.fields).toHaveProperty(field);
  });
});

describe("GET /api/devices/search", () => {
  const find = (query: string) => call(search, `/api/devices/search?${query}`, { cookie });

  it("finds a device by its c8y_Serial external id", async () => {
    const a = await find("q=tree-pump-7");
    expect(a.status).toBe(200);
    expect(a.json.items).toEqual([
      expect.objectContaining({
        id: ids.pump,
        match: "externalId",
        externalId: { type: "c8y_Serial", value: "tree-pump-7" },
      }),
    ]);
  });

  it("finds by the other common external id types, or only the type asked for", async () => {
    expect((await find("q=350000000000003")).json.items[0]).toMatchObject({
      id: ids.valve,
      match: "externalId",
      externalId: { type: "c8y_IMEI" },
    });
    expect((await find("q=350000000000003&idType=c8y_Serial")).json.items).toEqual([]);
  });

  it("finds by exact id, exact matches first", async () => {
    const a = await find(`q=${ids.gateway}`);
    expect(a.json.items[0]).toMatchObject({ id: ids.gateway, match: "id", kind: "agent" });
  });

  it("finds devices and groups by a part of the name, case-insensitively, never other objects", async () => {
    const a = await find("q=hall");
    expect(a.json.items.map((n: { name: string; match: string }) => [n.name, n.match])).toEqual([
      ["Gateway Hall 1", "name"],
      ["Hall 1", "name"],
    ]);
    expect((await find("q=floor")).json.items).toEqual([]);
    expect((await find(`q=${ids.asset}`)).json.items).toEqual([]);
  });

  it("says when more names match than it returns", async () => {
    const a = await find("q=big%20child");
    expect(a.json.items).toHaveLength(20);
    expect(a.json.moreByName).toBe(true);
  });

  it("takes quotes and query-language characters as plain text", async () => {
    const a = await find(`q=${encodeURIComponent("Spare's")}`);
    expect(a.json.items.map((n: { id: string }) => n.id)).toEqual([ids.spares]);
    for (const q of ["') or (name eq '*", "$orderby=name", "..", "a/b"]) {
      const b = await find(`q=${encodeURIComponent(q)}`);
      expect(b.status).toBe(200);
      expect(b.json.items).toEqual([]);
    }
  });

  it("answers 422 for an empty or overlong text", async () => {
    for (const q of ["", "%20%20", "x".repeat(201)]) {
      const a = await find(`q=${q}`);
      expect(a.status).toBe(422);
      expect(a.json.error.fields).toHaveProperty("q");
    }
  });
});

describe("GET /api/devices/[id]/paths", () => {
  const pathsOf = (id: string) => call(paths, `/api/devices/${id}/paths`, { cookie, params: { id } });
  const idsOf = (a: { json: { paths: { id: string }[][] } }) =>
    a.json.paths.map((path) => path.map((n) => n.id));

  it("returns every way down to a device that sits under several parents", async () => {
    const a = await pathsOf(ids.pump);
    expect(a.status).toBe(200);
    expect(idsOf(a).sort()).toEqual(
      [
        [ids.plant, ids.hall, ids.gateway, ids.pump],
        [ids.spares, ids.pump],
      ].sort(),
    );
    expect(a.json.truncated).toBe(false);
    expect(a.json.paths[0].at(-1)).toMatchObject({ id: ids.pump, name: "Pump 7", kind: "device" });
  });

  it("gives a root a path of its own", async () => {
    expect(idsOf(await pathsOf(ids.loner))).toEqual([[ids.loner]]);
    expect(idsOf(await pathsOf(ids.plant))).toEqual([[ids.plant]]);
  });

  it("answers 404 for an unknown object and 422 for a bad id", async () => {
    expect((await pathsOf("99999999")).status).toBe(404);
    const bad = await pathsOf("12a");
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("id");
  });
});

describe("when the platform fails", () => {
  it("answers 502 upstream_unavailable for a platform 5xx, without its body", async () => {
    const faulty = await startProxy(p.url, (req, res) =>
      req.url?.startsWith("/inventory/")
        ? platformError(res, 503, "inventory/Unavailable", "secret detail")
        : false,
    );
    try {
      vi.stubEnv("C8Y_BASEURL", faulty.url);
      const session = (await signIn(login)).cookie;
      const a = await call(roots, "/api/devices/tree/roots", { cookie: session });
      expect(a.status).toBe(502);
      expect(a.json.error.code).toBe("upstream_unavailable");
      expect(a.text).not.toContain("secret detail");
    } finally {
      vi.unstubAllEnvs();
      await faulty.close();
    }
  });
});
