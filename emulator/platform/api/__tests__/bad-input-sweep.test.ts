import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";

// A table-driven pass over every route the platform registers: whatever garbage arrives, the answer is a 4xx in
// the platform's error shape (or a success where the input happens to be legal), never a 5xx, and nothing is
// half-written.
let p: TestPlatform;
let routes: { method: string; pattern: string; public: boolean }[];
beforeAll(async () => {
  p = await startTestPlatform({ bodyLimit: 64 * 1024 });
  routes = p.platform.router.list();
});
afterAll(() => p.close());

const ODD_IDS = [
  "..",
  "abc",
  "99999999999999999999",
  "-1",
  "a b",
  "%00",
  "%2e%2e%2f%2e%2e",
  "名前",
  "'; DROP TABLE x;--",
];

function fill(pattern: string, value: string): string {
  return pattern.replace(/:[A-Za-z]+/g, () => (value.startsWith("%") ? value : encodeURIComponent(value)));
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

/** Everything the platform holds, to prove that refused requests wrote nothing. */
function snapshot(): string {
  const db = p.platform.ctx.db;
  return [
    "managed_objects",
    "mo_refs",
    "external_ids",
    "device_requests",
    "operations",
    "users",
    "audit_records",
    "bulk_operations",
    "bulk_operation_targets",
  ]
    .map((t) => `${t}:${JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all())}`)
    .join("\n");
}

describe("every route, with bad input", () => {
  it("has routes to sweep", () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it("answers odd or path-like ids with a 4xx (or a legal answer), never a 5xx", async () => {
    for (const route of routes.filter((r) => r.pattern.includes(":"))) {
      for (const id of ODD_IDS) {
        const path = fill(route.pattern, id);
        const res = await p.request(path, {
          method: route.method,
          headers: { "content-type": "application/json", accept: "application/json" },
          body: route.method === "GET" || route.method === "DELETE" ? undefined : "{}",
        });
        await expectPlatformError(res, `${route.method} ${path}`);
      }
    }
  });

  it("answers malformed JSON, wrong JSON types and oversized bodies on every write route with a 4xx and writes nothing", async () => {
    const before = snapshot();
    const writes = routes.filter((r) => r.method === "POST" || r.method === "PUT");
    const bodies: [string, string][] = [
      ["truncated JSON", '{"name": '],
      ["not JSON", "name=x"],
      ["a JSON string", '"hello"'],
      ["a JSON number", "42"],
      ["null", "null"],
      ["an array of garbage", "[1, 2, 3]"],
      [
        "wrong field types",
        '{"id": 5, "name": 7, "type": [], "status": {}, "deviceId": true, "externalId": 1}',
      ],
      ["too large", JSON.stringify({ name: "x".repeat(70 * 1024) })],
    ];
    for (const route of writes) {
      // Login forms take a form, not JSON; logout and acceptAll take no body at all (they ignore one).
      if (route.public || route.pattern === "/user/logout" || route.pattern.endsWith("/acceptAll")) continue;
      for (const [label, body] of bodies) {
        const path = fill(route.pattern, "10001");
        const res = await p.request(path, {
          method: route.method,
          headers: { "content-type": "application/json", accept: "application/json" },
          body,
        });
        const where = `${route.method} ${path} with ${label}`;
        await expectPlatformError(res, where);
        expect(res.status, where).toBeGreaterThanOrEqual(400);
      }
    }
    expect(snapshot()).toBe(before);
  });

  it("treats unknown query parameters as the platform does: ignored, never a 5xx", async () => {
    for (const route of routes.filter((r) => r.method === "GET" && !r.pattern.includes(":"))) {
      const res = await p.request(`${route.pattern}?bogus=%ZZ&pageSize=&currentPage=0&x[]=1`, {
        headers: { accept: "application/json" },
      });
      await expectPlatformError(res, `GET ${route.pattern} with unknown parameters`);
    }
  });

  it("refuses unknown paths and methods with 404 and 405 in the error shape", async () => {
    await expectPlatformError(await p.request("/inventory/nonsense"), "unknown path");
    const res = await p.request("/inventory/managedObjects", { method: "PATCH" });
    expect(res.status).toBe(405);
    await expectPlatformError(res, "unknown method");
  });
});
