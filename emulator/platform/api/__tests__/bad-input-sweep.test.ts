import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, storedData, type TestPlatform } from "../../../../tests/support/platform.js";
import { bindExternalId, createMo, deviceUser, json, link } from "../devicecontrol/__tests__/fixtures.js";

// A table-driven pass over every route the platform registers: whatever garbage arrives (in the path, the query,
// the headers or the body, as any kind of user), the answer is a 4xx in the platform's error shape (or a success
// where the input happens to be legal), never a 5xx; a refused request writes nothing, and nothing reaches
// Object.prototype.
let p: TestPlatform;
let routes: { method: string; pattern: string; public: boolean }[];
const logged: string[] = [];
/** Real resources, so that writes with bad bodies meet existing objects (and could half-change them). */
const real = { device: "", child: "", operation: "", audit: "", request: "sweep-request" };
let deviceAuth: string;

beforeAll(async () => {
  p = await startTestPlatform({
    bodyLimit: 64 * 1024,
    log: (message, error) => logged.push(`${message} ${String(error)}`),
  });
  routes = p.platform.router.list();
  real.device = await createMo(p, {
    name: "Sweep agent",
    owner: "device_sweep",
    fragments: { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} },
  });
  real.child = await createMo(p, { name: "Sweep child", owner: "device_sweep" });
  await link(p, real.device, "childDevices", real.child);
  await bindExternalId(p, "c8y_Serial", "sweep-serial", real.device);
  const op = await p.request("/devicecontrol/operations", {
    method: "POST",
    ...json({ deviceId: real.device, c8y_Restart: {} }),
  });
  real.operation = ((await op.json()) as { id: string }).id;
  const audit = await p.request("/audit/auditRecords?pageSize=1");
  real.audit = ((await audit.json()) as { auditRecords: { id: string }[] }).auditRecords[0]!.id;
  await p.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json({ id: real.request }) });
  deviceAuth = await deviceUser(p, "device_sweep");
});
afterAll(async () => {
  await p.close();
  // Unexpected errors are logged by the platform before it answers 500: there must have been none.
  expect(logged).toEqual([]);
});

/** The route with every parameter replaced by an existing resource of the right kind. */
function realPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    if (pattern.startsWith("/devicecontrol/newDeviceRequests")) return real.request;
    if (pattern.startsWith("/devicecontrol/operations")) return real.operation;
    if (pattern.startsWith("/audit/")) return real.audit;
    if (name === "type") return "c8y_Serial";
    if (name === "externalId") return "sweep-serial";
    if (name === "childId") return real.child;
    return real.device;
  });
}

/** The route with every parameter replaced by `value`: encoded, unless it is itself an (odd) encoding. */
function oddPath(pattern: string, value: string): string {
  return pattern.replace(/:[A-Za-z]+/g, () => (value.includes("%") ? value : encodeURIComponent(value)));
}

async function expectPlatformError(res: Response, where: string) {
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("content-type"), where).toContain("application/vnd.com.nsn.cumulocity.error+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(typeof body.error, where).toBe("string");
    expect(body.error, where).toMatch(/^[A-Za-z]+\/.+/);
    expect(typeof body.message, where).toBe("string");
    expect(typeof body.info, where).toBe("string");
  } else {
    await res.arrayBuffer();
  }
}

const snapshot = () => storedData(p);

/** Sends, checks the answer's shape, and checks that a refusal changed nothing. Returns the status. */
async function probe(
  path: string,
  init: RequestInit & { auth?: string | null },
  where: string,
): Promise<number> {
  const before = snapshot();
  const res = await p.request(path, init);
  const status = res.status;
  await expectPlatformError(res, where);
  if (status >= 400) expect(snapshot(), `${where} wrote something`).toBe(before);
  return status;
}

/** Routes that read a body: every POST and PUT, and the DELETE that unlinks a list of children. */
const readsBody = (r: { method: string; pattern: string }) =>
  r.method === "POST" || r.method === "PUT" || (r.method === "DELETE" && /\/child[A-Za-z]+$/.test(r.pattern));
/** Routes that take no body at all and answer whatever is sent (logout, acceptAll). */
const ignoresBody = (r: { pattern: string }) =>
  r.pattern === "/user/logout" || r.pattern.endsWith("/acceptAll");

const JSON_TYPES = { "content-type": "application/json", accept: "application/json" };

/** JSON bodies no route accepts, whatever it expects. */
const deep = (levels: number, inner = "1") => `{"a": ${"[".repeat(levels)}${inner}${"]".repeat(levels)}}`;
const REFUSED_BODIES: [string, string][] = [
  ["truncated JSON", '{"name": '],
  ["not JSON", "name=x"],
  ["a JSON string", '"hello"'],
  ["a JSON number", "42"],
  ["a JSON boolean", "true"],
  ["null", "null"],
  ["an array of garbage", "[1, 2, 3]"],
  ["an array of objects", '[{"name": "x"}, {"id": "1"}]'],
  ["an empty array", "[]"],
  ["an empty body", ""],
  ["whitespace only", " \r\n\t "],
  ["wrong field types", '{"id": 5, "name": 7, "type": [], "status": {}, "deviceId": true, "externalId": 1}'],
  ["numbers out of range", '{"id": 1e999, "name": "x", "deviceId": -1e999, "status": 1e400}'],
  ["a body nested 200 levels deep", deep(200)],
  ["a body nested 30,000 levels deep", deep(30_000)],
  ["a NUL byte", '{"name": "x"}\u0000'],
  ["two JSON documents", '{"name": "a"} {"name": "b"}'],
  ["too large", JSON.stringify({ name: "x".repeat(70 * 1024) })],
];

/** Bodies some routes may legally take; they must still never break anything. */
const ODD_BODIES: [string, string, Record<string, string>?][] = [
  [
    "duplicate keys",
    '{"name": "a", "name": "b", "status": "PENDING", "status": "FAILED", "id": "x", "id": "y"}',
  ],
  ["a __proto__ key", '{"__proto__": {"polluted": true, "isAdmin": true}, "name": "proto"}'],
  [
    "constructor and prototype keys",
    '{"constructor": {"prototype": {"polluted": true}}, "toString": 1, "hasOwnProperty": 2}',
  ],
  [
    "huge integers",
    '{"deviceId": 123456789012345678901234567890, "id": 99999999999999999999, "pageSize": 1e20}',
  ],
  ["a byte order mark", '\uFEFF{"name": "bom"}'],
  ["escaped lone surrogates and NULs", '{"name": "\\ud800\\u0000x", "type": "\\udfff"}'],
  ["a nested body of 104 levels", deep(102)],
  ["text/plain JSON", '{"name": "plain"}', { "content-type": "text/plain" }],
  ["JSON declared as UTF-16", '{"name": "u16"}', { "content-type": "application/json; charset=utf-16" }],
  ["no content type", '{"name": "none"}', { "content-type": "" }],
];

/** Content types no JSON route takes; sent with an otherwise harmless JSON body. */
const FOREIGN_TYPES = [
  "text/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "image/png",
  "application/vnd.com.nsn.cumulocity.managedobject+xml",
  ";;;",
];

const ODD_IDS = [
  "..",
  "abc",
  "99999999999999999999",
  "1e3",
  "-1",
  "0x10",
  " 1",
  "a b",
  "名前",
  "'; DROP TABLE x;--",
  "x".repeat(5000),
  "%00",
  "%zz",
  "%",
  "a%zzb",
  "%C0%AE",
  "%C0%AE%C0%AE",
  "%E0%80%AE",
  "%ED%A0%80",
  "%F0%9F",
  "%FF%FE",
  "%2e%2e%2f%2e%2e",
  "%2F",
  "%5C..%5C",
  "%252e",
  "%u0041",
  "%0D%0ASet-Cookie:%20x=1",
];

describe("every route, with bad input", () => {
  it("has routes to sweep, and real resources to aim at", () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(Object.values(real).every((v) => v !== "")).toBe(true);
  });

  it("answers odd, oddly encoded or path-like ids with a 4xx (or a legal answer), never a 5xx", async () => {
    for (const route of routes.filter((r) => r.pattern.includes(":"))) {
      for (const id of ODD_IDS) {
        const path = oddPath(route.pattern, id);
        await probe(
          path,
          {
            method: route.method,
            headers: JSON_TYPES,
            body: route.method === "GET" || route.method === "DELETE" ? undefined : "{}",
          },
          `${route.method} ${path}`,
        );
      }
    }
  });

  it("answers oddly encoded static paths with 400 or 404 in the error shape", async () => {
    for (const path of [
      "/inventory/%zz",
      "/%C0%AE%C0%AE/tenant/currentTenant",
      "/inventory/managedObjects%00",
      "/inventory%2FmanagedObjects",
      "/%00",
      "/%",
      "/inventory/managedObjects/%E0%80%AE",
      "//inventory//managedObjects//",
      "/INVENTORY/managedObjects",
      "/inventory/managedObjects;jsessionid=1",
    ]) {
      const status = await probe(path, { headers: { accept: "application/json" } }, `GET ${path}`);
      expect([200, 400, 404], path).toContain(status);
    }
  });

  it("answers malformed, wrongly typed, oversized and deeply nested bodies on every write route with a 4xx and writes nothing", async () => {
    for (const route of routes.filter((r) => readsBody(r) && !ignoresBody(r))) {
      for (const [label, body] of REFUSED_BODIES) {
        const path = realPath(route.pattern);
        const where = `${route.method} ${path} with ${label}`;
        const status = await probe(path, { method: route.method, headers: JSON_TYPES, body }, where);
        expect(status, where).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it("answers foreign content types on every write route with a 4xx and writes nothing", async () => {
    for (const route of routes.filter((r) => readsBody(r) && !ignoresBody(r))) {
      for (const type of FOREIGN_TYPES) {
        const path = realPath(route.pattern);
        const where = `${route.method} ${path} as ${type}`;
        const status = await probe(
          path,
          {
            method: route.method,
            headers: { "content-type": type, accept: "application/json" },
            body: '{"name": "x", "id": "foreign-type"}',
          },
          where,
        );
        expect(status, where).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it("takes odd but well-formed bodies (duplicate keys, __proto__, huge integers, BOM) without breaking or polluting anything", async () => {
    for (const route of routes.filter(readsBody)) {
      for (const [label, body, headers] of ODD_BODIES) {
        const path = realPath(route.pattern);
        await probe(
          path,
          { method: route.method, headers: { ...JSON_TYPES, ...headers }, body },
          `${route.method} ${path} with ${label}`,
        );
      }
    }
    const probeObject = {} as Record<string, unknown>;
    expect(probeObject.polluted).toBeUndefined();
    expect(probeObject.isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("keeps a __proto__ fragment an ordinary fragment, and takes the last of duplicate keys", async () => {
    const res = await p.request("/inventory/managedObjects", {
      method: "POST",
      headers: JSON_TYPES,
      body: '{"name": "first", "name": "last", "__proto__": {"polluted": true}, "constructor": {"x": 1}}',
    });
    expect(res.status).toBe(201);
    const created = JSON.parse(await res.text()) as Record<string, unknown>;
    expect(created.name).toBe("last");
    expect(Object.getOwnPropertyNames(created)).toContain("__proto__");
    expect(Object.getOwnPropertyDescriptor(created, "__proto__")?.value).toEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(created, "constructor")?.value).toEqual({ x: 1 });
  });

  it("refuses bad bodies from the bootstrap user and a device user just as well, writing nothing", async () => {
    for (const auth of [p.bootstrap, deviceAuth]) {
      for (const route of routes.filter((r) => readsBody(r) && !ignoresBody(r) && !r.public)) {
        for (const [label, body] of REFUSED_BODIES.slice(0, 14)) {
          const path = realPath(route.pattern);
          const where = `${route.method} ${path} with ${label} as ${auth === p.bootstrap ? "bootstrap" : "device"}`;
          const status = await probe(path, { method: route.method, headers: JSON_TYPES, body, auth }, where);
          expect(status, where).toBeGreaterThanOrEqual(400);
        }
      }
    }
  });

  it("treats unknown or odd query parameters as the platform does: ignored or 422, never a 5xx", async () => {
    const queries = [
      "bogus=%ZZ&pageSize=&currentPage=0&x[]=1",
      "pageSize=1e3",
      "pageSize=-5",
      "pageSize=99999999999999999999",
      "currentPage=999999999&pageSize=2000",
      "withTotalPages=yes",
      "withTotalElements=TRUE&withTotalPages=1",
      "%zz=1&=&&&=x",
      "q=%00",
      "query=%24filter%3D(",
      "query=" + encodeURIComponent("$filter=" + "(".repeat(5000)),
      "query=" + encodeURIComponent(`$filter=(a.${"b.".repeat(2000)}c eq 1)`),
      "ids=a,b,,1e3,%00",
      "dateFrom=2025-13-45&dateTo=yesterday",
      "status=bogus&status=PENDING",
      "fragmentType=%C0%AE",
      "fragmentType=__proto__&type=constructor",
      "revert=maybe",
      "text=" + encodeURIComponent('"unclosed * - / .'),
      "withChildren=2&withParents=null",
      "x=" + "y".repeat(8000),
      "pageSize=5&pageSize=10&currentPage=1&currentPage=x",
    ];
    for (const route of routes.filter((r) => r.method === "GET")) {
      for (const query of queries) {
        const path = `${realPath(route.pattern)}?${query}`;
        await probe(
          path,
          { headers: { accept: "application/json" }, auth: route.public ? null : undefined },
          `GET ${path.slice(0, 200)}`,
        );
      }
    }
  });

  it("refuses deletes by filter with bad filter values, deleting nothing", async () => {
    for (const query of [
      "status=bogus",
      "dateFrom=nope",
      "bulkOperationId=x",
      "withTotalPages=maybe&status=PENDING&dateTo=2025-02-30",
    ]) {
      const status = await probe(
        `/devicecontrol/operations?${query}`,
        { method: "DELETE" },
        `DELETE ?${query}`,
      );
      expect(status, query).toBe(422);
    }
  });

  it("answers malformed credentials and headers with 401 or a legal answer, never a 5xx", async () => {
    const authorizations = [
      "Basic",
      "Basic ",
      "Basic %%%",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      `Basic ${Buffer.from(":").toString("base64")}`,
      `Basic ${Buffer.from("t1000/admin:").toString("base64")}`,
      `Basic ${Buffer.from("\u0000:\u0000").toString("base64")}`,
      `Basic ${Buffer.from(`${"u".repeat(5000)}:p`).toString("base64")}`,
      "Bearer ",
      "Bearer a.b.c",
      "Bearer " + "x".repeat(4000),
      "Digest username=admin",
    ];
    for (const authorization of authorizations) {
      const status = await probe(
        "/inventory/managedObjects",
        { auth: authorization },
        authorization.slice(0, 40),
      );
      expect(status, authorization.slice(0, 40)).toBe(401);
    }
    for (const accept of [
      "*/*",
      "text/html",
      "application/vnd.com.nsn.cumulocity.nonsense+json",
      ";;;",
      "application/json;q=x",
    ])
      await probe("/inventory/managedObjects", { headers: { accept } }, `Accept: ${accept}`);
    // A lower-case "delete" is a legal override: aim at an object of its own.
    const throwaway = await createMo(p, { name: "override target" });
    for (const override of ["PATCH", "GET", "PUT DELETE", "delete"]) {
      await probe(
        `/inventory/managedObjects/${throwaway}`,
        { method: "POST", headers: { ...JSON_TYPES, "x-http-method": override }, body: '{"name": "x"}' },
        `X-HTTP-METHOD: ${override}`,
      );
    }
  });

  it("answers an over-long request line with a 4xx and stays up", async () => {
    const res = await fetch(`${p.url}/inventory/managedObjects?x=${"y".repeat(70_000)}`, {
      headers: { authorization: p.admin },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await res.arrayBuffer();
    expect((await p.request("/tenant/currentTenant")).status).toBe(200);
  });

  it("refuses unknown paths and methods with 404 and 405 in the error shape", async () => {
    await expectPlatformError(await p.request("/inventory/nonsense"), "unknown path");
    const res = await p.request("/inventory/managedObjects", { method: "PATCH" });
    expect(res.status).toBe(405);
    await expectPlatformError(res, "unknown method");
  });

  it("still serves the real resources unchanged in kind after the whole sweep", async () => {
    expect((await p.request(`/inventory/managedObjects/${real.device}`)).status).toBe(200);
    expect((await p.request(`/devicecontrol/operations/${real.operation}`)).status).toBe(200);
    expect((await p.request(`/devicecontrol/operations?fragmentType=c8y_Restart`)).status).toBe(200);
  });
});
