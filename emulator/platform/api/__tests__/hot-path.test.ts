// The fast paths of the GET of one object (docs/emulator-performance.md) answer exactly what the general paths
// answer: the text renderer against the object renderer, the hand-split request target against the URL parser,
// and a cached Basic credential against a fresh verification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { parseTarget } from "../../app.js";
import { createMo, deviceUser, json, link } from "../devicecontrol/__tests__/fixtures.js";
import { inventoryService } from "../inventory/service.js";
import { defaultRender, renderOne, renderOneJson, type RenderOptions } from "../inventory/serialize.js";

let p: TestPlatform;
const ids: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  ids.plain = await createMo(p, { fragments: {} });
  ids.device = await createMo(p, {
    name: 'Pump "3" \\ Süd \u2028 ✓',
    type: "acme_Pump",
    fragments: {
      c8y_IsDevice: {},
      c8y_Hardware: { model: "RaspPi", serialNumber: "0000000017b769d5" },
      ["__proto__"]: { polluted: false },
      emoji: "🚀",
      big: 2 ** 60,
      huge: 1e21,
      tiny: 1e-7,
      list: [1, "two", null, { three: 3 }],
    },
  });
  ids.group = await createMo(p, { name: "Group", fragments: { c8y_IsDeviceGroup: {} } });
  for (const name of ["child b", "child a", null]) {
    const child = await createMo(p, name === null ? { fragments: {} } : { name });
    await link(p, ids.device, "childDevices", child);
  }
  ids.addition = await createMo(p, { name: "Addition" });
  await p.request(`/inventory/managedObjects/${ids.device}/childAdditions`, {
    method: "POST",
    ...json({ managedObject: { id: ids.addition } }),
  });
  await link(p, ids.group, "childAssets", ids.device);
  ids.second = await createMo(p, { name: "Second group", fragments: { c8y_IsDeviceGroup: {} } });
  await link(p, ids.second, "childAssets", ids.device);
  await link(p, ids.group, "childAssets", ids.second);
});
afterAll(() => p.close());

describe("the text renderer of one object", () => {
  const variants: [string, Partial<RenderOptions>][] = [
    ["defaults", {}],
    ["without children", { withChildren: false }],
    ["with children counts", { withChildrenCount: true }],
    ["without child names", { skipChildrenNames: true }],
    ["counts without children", { withChildren: false, withChildrenCount: true }],
    ["with all parents", { withParents: true }],
  ];

  it.each(variants)("gives the object renderer's bytes (%s)", (_label, options) => {
    const svc = inventoryService(p.platform.ctx);
    for (const id of Object.values(ids)) {
      const row = svc.store.get(Number(id))!;
      for (const baseUrl of [p.url, 'http://odd"host\\name']) {
        const opts = { ...defaultRender(baseUrl), ...options };
        expect(renderOneJson(svc.store, row, opts), `${id} ${baseUrl}`).toBe(
          JSON.stringify(renderOne(svc.store, row, opts)),
        );
      }
    }
  });

  it("is what GET answers, query flags included", async () => {
    const svc = inventoryService(p.platform.ctx);
    const row = svc.store.get(Number(ids.device))!;
    for (const [query, options] of [
      ["", {}],
      [
        "?withChildrenCount=true&skipChildrenNames=true",
        { withChildrenCount: true, skipChildrenNames: true },
      ],
      ["?withChildren=false&withParents=true", { withChildren: false, withParents: true }],
    ] as const) {
      const res = await p.request(`/inventory/managedObjects/${ids.device}${query}`);
      expect(await res.text()).toBe(
        JSON.stringify(renderOne(svc.store, row, { ...defaultRender(p.url), ...options })),
      );
    }
  });
});

describe("the request target", () => {
  it.each([
    "/",
    "/inventory/managedObjects/10001",
    "/inventory/managedObjects/10001/",
    "/inventory/managedObjects?pageSize=5&currentPage=2&query=%24filter%3D(name%20eq%20'x*')",
    "/inventory/managedObjects?q=a+b&text=%22quoted%22&x=%zz&&=&y",
    "/inventory/managedObjects?name='O''Brien'&a=<b>&c=`d`&e={f}|g^h",
    "/inventory/.hidden/x.y",
    "/a/../inventory/./managedObjects",
    "/inventory/%2e%2e/x",
    "//inventory//managedObjects",
    "/inventory\\managedObjects",
    "/inventory/managedObjects#fragment",
    "/inventory/managedObjects?x=1#fragment",
    "/inventory/managed Objects?x=a b",
    "/inventory/名前?q=名前",
    "/tenant/oauth?tenant_id=t1000",
  ])("%s splits as the URL parser splits it", (target) => {
    const url = new URL(target, "http://platform.invalid");
    const parsed = parseTarget(target);
    expect(parsed.pathname).toBe(url.pathname);
    expect([...parsed.query]).toEqual([...url.searchParams]);
  });
});

describe("a cached Basic credential", () => {
  it("answers like a fresh verification, and stops working once the password changes", async () => {
    const auth = await deviceUser(p, "device_hot", "first-password-1");
    for (let i = 0; i < 3; i++) expect((await p.request("/user/currentUser", { auth })).status).toBe(200);
    const wrong = basic(`${TENANT}/device_hot`, "first-password-2");
    expect((await p.request("/user/currentUser", { auth: wrong })).status).toBe(401);
    await p.platform.ctx.users.upsert(TENANT, "device_hot", "second-password-1", "device");
    expect((await p.request("/user/currentUser", { auth })).status).toBe(401);
    const renewed = basic(`${TENANT}/device_hot`, "second-password-1");
    const me = (await (await p.request("/user/currentUser", { auth: renewed })).json()) as {
      userName: string;
    };
    expect(me.userName).toBe("device_hot");
  });
});
