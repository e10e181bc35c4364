import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as search } from "@/app/api/search/route";
import { PALETTE_NAME_LIMIT } from "@/lib/schemas/search";
import { type TestPlatform } from "../../../tests/support/platform.js";
import { bffRequest, call, createObject, signIn, startProxy, startSignedIn } from "./support.js";

let p: TestPlatform;
let cookie: string;
const ids = {} as Record<"pump" | "valve" | "group" | "asset" | "unnamed", string>;

const find = (q: string) => call(search, `/api/search?q=${encodeURIComponent(q)}`, { cookie });

beforeAll(async () => {
  ({ p, cookie } = await startSignedIn(login));
  ids.pump = await createObject(p, {
    name: "Palette pump 7",
    c8y_IsDevice: {},
    externalIds: [{ type: "c8y_Serial", externalId: "pal-serial-0007" }],
  });
  ids.valve = await createObject(p, {
    name: "Palette valve",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    externalIds: [{ type: "c8y_IMEI", externalId: "351111111111117" }],
  });
  ids.group = await createObject(p, { name: "Palette plant", c8y_IsDeviceGroup: {} });
  ids.asset = await createObject(p, { name: "Palette floor plan", acme_FloorPlan: {} });
  ids.unnamed = await createObject(p, { c8y_IsDevice: {} });
  for (let i = 0; i < PALETTE_NAME_LIMIT + 2; i++)
    await createObject(p, { name: `Many sensor ${i}`, c8y_IsDevice: {} });
});

afterAll(() => p.close());

describe("GET /api/search (the command palette)", () => {
  it("finds a device by its c8y_Serial external id through the identity look-up", async () => {
    const a = await find("pal-serial-0007");
    expect(a.status).toBe(200);
    expect(a.json).toEqual({
      items: [
        {
          id: ids.pump,
          name: "Palette pump 7",
          kind: "device",
          match: "externalId",
          externalId: { type: "c8y_Serial", value: "pal-serial-0007" },
        },
      ],
      more: false,
    });
  });

  it("finds by the other common external id type (c8y_IMEI)", async () => {
    const a = await find("351111111111117");
    expect(a.json.items).toEqual([
      expect.objectContaining({ id: ids.valve, kind: "agent", match: "externalId" }),
    ]);
  });

  it("finds by exact id, unnamed objects included", async () => {
    expect((await find(ids.pump)).json.items[0]).toMatchObject({ id: ids.pump, match: "id" });
    expect((await find(ids.unnamed)).json.items).toEqual([
      { id: ids.unnamed, name: null, kind: "device", match: "id" },
    ]);
  });

  it("finds devices and groups by a part of the name, case-insensitively, in name order, never other objects", async () => {
    const a = await find("PALETTE");
    expect(a.json.items.map((h: { id: string; match: string }) => [h.id, h.match])).toEqual([
      [ids.group, "name"],
      [ids.pump, "name"],
      [ids.valve, "name"],
    ]);
    expect((await find("floor plan")).json.items).toEqual([]);
    expect((await find(ids.asset)).json.items).toEqual([]);
  });

  it("returns a handful of names and says when there are more", async () => {
    const a = await find("many sensor");
    expect(a.json.items).toHaveLength(PALETTE_NAME_LIMIT);
    expect(a.json.more).toBe(true);
  });

  it("takes quotes and query-language characters as plain text", async () => {
    for (const q of ["') or (name eq '*", "$orderby=name", "..", "a/b", "%"]) {
      const b = await find(q);
      expect(b.status).toBe(200);
      expect(b.json.items).toEqual([]);
    }
  });

  it("answers 422 in the error envelope for an empty or overlong text, and 401 without a session", async () => {
    const empty = await call(search, "/api/search?q=%20", { cookie });
    expect(empty.status).toBe(422);
    expect(empty.json.error).toMatchObject({ code: "invalid_input", fields: { q: expect.any(String) } });
    expect((await find("x".repeat(201))).status).toBe(422);
    expect((await call(search, "/api/search?q=pump")).status).toBe(401);
  });

  it("cancels its platform calls when the browser gives the search up", async () => {
    // A platform that never answers the name query: only the browser's abort can end that call.
    const closed: string[] = [];
    const proxy = await startProxy(p.url, (req) => {
      if (!req.url?.includes("query=")) return false;
      req.on("close", () => closed.push(req.url ?? ""));
      return true;
    });
    const before = process.env.C8Y_BASEURL;
    process.env.C8Y_BASEURL = proxy.url;
    try {
      // A session only works against the platform it was made for: sign in through the proxy.
      const { cookie: proxied } = await signIn(login);
      const controller = new AbortController();
      const req = new Request(bffRequest("/api/search?q=pump", { cookie: proxied }), {
        signal: controller.signal,
      });
      const answer = search(req, { params: Promise.resolve({}) });
      await expect.poll(() => proxy.calls.some((c) => c.path.includes("query="))).toBe(true);
      controller.abort();
      await answer.catch(() => undefined);
      await expect.poll(() => closed.length).toBe(1);
    } finally {
      process.env.C8Y_BASEURL = before;
      await proxy.close();
    }
  });
});
