import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, errorEnvelopeSchema } from "@/lib/schemas/common";
import { ORIGIN, SESSION_PASSWORD, signIn } from "@/lib/server/__tests__/support";
import { startTestPlatform, storedData, type TestPlatform } from "./support/platform.js";

// A table-driven pass over every BFF route handler (app/api/**/route.ts, found on disk): whatever arrives in the
// path, the query, the content type or the body, the answer is a 4xx in our error envelope (or a legal answer
// where the input happens to be legal, for queries), never a 5xx; a refused request writes nothing on the
// platform; and the handlers still answer afterwards. The platform is a real emulator; the emulator's own sweep
// is emulator/platform/api/__tests__/bad-input-sweep.test.ts.

type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** What a route reads beside its path: a JSON body, the CSV upload's multipart form, or no body at all. */
type Reads = "json" | "multipart" | "none";

interface Row {
  reads: Reads;
  /** A body the route accepts, for the probes that vary one thing only (type, id); JSON routes only. */
  good?: () => unknown;
  /** Never called with a session's legal input (it would end the sweep's session, or stream forever). */
  careful?: "logout" | "stream";
}

/** Existing resources, so bad bodies meet real objects (and could half-change them if something slipped). */
const real = { device: "", child: "", group: "", pending: "", executing: "", lastUpdated: "", bulk: "" };
const REQUEST_ID = "sweep-pending-request";

/** Every route and method under app/api, with what it reads. A route that is missing here fails the sweep. */
const ROWS: Record<string, Row> = {
  "POST /api/auth/login": { reads: "json", good: () => ({ username: "nobody", password: "wrong" }) },
  "POST /api/auth/logout": { reads: "none", careful: "logout" },
  "GET /api/auth/session": { reads: "none" },
  "GET /api/devices/[id]": { reads: "none" },
  "PUT /api/devices/[id]": {
    reads: "json",
    good: () => ({ expectedLastUpdated: real.lastUpdated, changes: { acme_Sweep: { on: true } } }),
  },
  "DELETE /api/devices/[id]": { reads: "none" },
  "GET /api/devices/[id]/candidates": { reads: "none" },
  "GET /api/devices/[id]/children": { reads: "none" },
  "POST /api/devices/[id]/children": { reads: "json", good: () => ({ kind: "assets", childId: real.child }) },
  "DELETE /api/devices/[id]/children/[childId]": { reads: "none" },
  "GET /api/devices/[id]/identity": { reads: "none" },
  "POST /api/devices/[id]/identity": {
    reads: "json",
    good: () => ({ type: "c8y_Serial", externalId: "sweep-new-serial" }),
  },
  "DELETE /api/devices/[id]/identity": {
    reads: "json",
    good: () => ({ type: "c8y_Serial", externalId: "sweep-serial" }),
  },
  "POST /api/devices/[id]/operations": { reads: "json", good: () => ({ kind: "restart" }) },
  "GET /api/devices/[id]/operations/context": { reads: "none" },
  "GET /api/devices/connection": { reads: "none" },
  "GET /api/devices/[id]/paths": { reads: "none" },
  "GET /api/devices/search": { reads: "none" },
  "GET /api/devices/tree/[id]/children": { reads: "none" },
  "GET /api/devices/tree/roots": { reads: "none" },
  "GET /api/events": { reads: "none", careful: "stream" },
  "GET /api/bulk-operations": { reads: "none" },
  "POST /api/bulk-operations": {
    reads: "json",
    good: () => ({ target: { groupId: real.group }, operation: { c8y_Restart: {} } }),
  },
  "POST /api/bulk-operations/dry-run": {
    reads: "json",
    good: () => ({ target: { groupId: real.group }, operation: { c8y_Restart: {} } }),
  },
  "GET /api/bulk-operations/[id]": { reads: "none" },
  "DELETE /api/bulk-operations/[id]": { reads: "none" },
  "GET /api/bulk-operations/[id]/children": { reads: "none" },
  "GET /api/bulk-operations/[id]/failures": { reads: "none" },
  "GET /api/bulk-operations/[id]/history": { reads: "none" },
  "POST /api/bulk-operations/[id]/mark-successful": { reads: "none" },
  "GET /api/bulk-operations/[id]/retries": { reads: "none" },
  "POST /api/bulk-operations/[id]/retry": { reads: "json", good: () => ({}) },
  "PUT /api/bulk-operations/[id]/schedule": {
    reads: "json",
    good: () => ({ startDate: "2099-01-02T00:00:00.000Z", creationRamp: 2 }),
  },
  "GET /api/groups": { reads: "none" },
  "GET /api/health": { reads: "none" },
  "POST /api/groups": { reads: "json", good: () => ({ name: "Sweep group (new)" }) },
  "POST /api/groups/[id]/members": { reads: "json", good: () => ({ ids: [real.device] }) },
  "DELETE /api/groups/[id]/members/[childId]": { reads: "none" },
  "GET /api/operations": { reads: "none" },
  "GET /api/operations/[id]": { reads: "none" },
  "GET /api/operations/[id]/history": { reads: "none" },
  "GET /api/overview": { reads: "none" },
  "POST /api/operations/[id]/cancel": { reads: "json", good: () => ({}) },
  "POST /api/operations/[id]/fail": { reads: "json", good: () => ({ reason: "sweep" }) },
  "POST /api/operations/[id]/rerun": { reads: "none" },
  "GET /api/registrations": { reads: "none" },
  "POST /api/registrations": { reads: "json", good: () => ({ ids: ["sweep-new-request"] }) },
  "DELETE /api/registrations/[id]": { reads: "none" },
  "POST /api/registrations/accept": { reads: "json", good: () => ({ ids: [REQUEST_ID] }) },
  "POST /api/registrations/bulk": { reads: "multipart" },
  "GET /api/search": { reads: "none" },
};

interface Route {
  key: string;
  method: Method;
  /** `/api/devices/[id]` */
  pattern: string;
  handler: Handler;
  row: Row;
}

const root = join(import.meta.dirname, "..");

/** Every app/api/**\/route.ts on disk with the methods it exports. */
async function routesOnDisk(): Promise<{ key: string; method: Method; pattern: string; handler: Handler }[]> {
  const files = readdirSync(join(root, "app", "api"), { recursive: true, encoding: "utf8" })
    .filter((f) => f === "route.ts" || f.endsWith(`${sep}route.ts`))
    .sort();
  const found = [];
  for (const file of files) {
    const pattern = `/${relative(root, join(root, "app", "api", file))
      .split(sep)
      .slice(1, -1)
      .join("/")}`;
    const module = (await import(join(root, "app", "api", file))) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = module[method];
      if (typeof handler === "function")
        found.push({ key: `${method} ${pattern}`, method, pattern, handler: handler as Handler });
    }
  }
  return found;
}

let p: TestPlatform;
let cookie: string;
let routes: Route[];
let onDisk: string[];

/** The real resource for each path parameter of a pattern. */
function realParams(pattern: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of pattern.matchAll(/\[(\w+)\]/g)) {
    if (name === "childId") params[name] = real.child;
    else if (pattern.startsWith("/api/groups/")) params[name!] = real.group;
    else if (pattern.startsWith("/api/operations/"))
      params[name!] = pattern.endsWith("/fail") ? real.executing : real.pending;
    else if (pattern.startsWith("/api/registrations/")) params[name!] = REQUEST_ID;
    else if (pattern.startsWith("/api/bulk-operations/")) params[name!] = real.bulk;
    else params[name!] = real.device;
  }
  return params;
}

/** The path of a pattern with its parameters (encoded, unless `raw` says they are an encoding themselves). */
function pathOf(pattern: string, params: Record<string, string>, raw = false): string {
  return pattern.replace(/\[(\w+)\]/g, (_m, name: string) =>
    raw ? params[name]! : encodeURIComponent(params[name]!),
  );
}

interface Probe {
  params?: Record<string, string>;
  /** The path as sent, when it differs from the encoded params (odd encodings). */
  path?: string;
  query?: string;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  body: unknown;
}

/** Sends one request to a handler, as Next would call it; a successful event stream is closed at once. */
async function send(route: Route, probe: Probe): Promise<Answer> {
  const params = probe.params ?? realParams(route.pattern);
  const path = probe.path ?? pathOf(route.pattern, params);
  const headers = new Headers(probe.headers);
  headers.set(CSRF_HEADER, "1");
  headers.set("cookie", cookie);
  const req = new Request(`${ORIGIN}${path}${probe.query ? `?${probe.query}` : ""}`, {
    method: route.method,
    headers,
    body: route.method === "GET" ? undefined : probe.body,
  });
  const res = await route.handler(req, { params: Promise.resolve(params) as Promise<never> });
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, body: undefined };
  }
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const snapshot = () => storedData(p);

/**
 * Sends, and checks: no 5xx; an error is our envelope; a refusal wrote nothing. `refused`: the input is bad in
 * every case, so the answer must be a 4xx (and `status`, when given, exactly that).
 */
async function probe(
  route: Route,
  input: Probe,
  where: string,
  expected: { refused: boolean; status?: number },
) {
  const before = snapshot();
  const a = await send(route, input);
  const label = `${route.key} ${where} → ${a.status} ${JSON.stringify(a.body)?.slice(0, 200)}`;
  expect(a.status, label).toBeLessThan(500);
  if (expected.refused) expect(a.status, label).toBeGreaterThanOrEqual(400);
  if (expected.status !== undefined) expect(a.status, label).toBe(expected.status);
  if (a.status >= 400) {
    expect(errorEnvelopeSchema.safeParse(a.body).success, label).toBe(true);
    expect(snapshot(), `${label} wrote something`).toBe(before);
  }
  return a;
}

const deep = (levels: number) => `{"a": ${"[".repeat(levels)}1${"]".repeat(levels)}}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** JSON bodies no route accepts, whatever it expects. */
const REFUSED_BODIES: [string, string][] = [
  ["truncated JSON", '{"name": '],
  ["not JSON", "name=x"],
  ["a JSON string", '"hello"'],
  ["a JSON number", "42"],
  ["null", "null"],
  ["an array", '[{"name": "x"}]'],
  ["an empty body", ""],
  ["whitespace only", " \r\n\t "],
  [
    "wrong field types",
    '{"ids": 5, "kind": [], "childId": {}, "type": 7, "externalId": true, "name": 1, "reason": [], "username": 1, "password": {}, "expectedLastUpdated": 3, "changes": "x"}',
  ],
  ["numbers out of range", '{"ids": [1e999], "name": -1e999, "reason": 1e400}'],
  ["a body nested 10,000 levels deep (arrays)", deep(10_000)],
  ["a body nested 10,000 levels deep (objects)", deepObject(10_000)],
  ["a NUL byte after the JSON", '{"name": "x"}\u0000'],
  ["two JSON documents", '{"name": "a"} {"name": "b"}'],
  ["too large", JSON.stringify({ name: "x".repeat(300 * 1024) })],
  ["too many values", JSON.stringify({ ids: Array.from({ length: 60_000 }, () => 0) })],
];

/** Content types a JSON route never takes; sent with the route's good body. */
const FOREIGN_TYPES = [
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/x-www-form-urlencoded",
  "text/xml",
  "application/octet-stream",
  "text/csv",
  "image/png",
  ";;;",
];

/** Ids that are well-formed enough to reach the platform, or not, but name nothing that exists. */
const ODD_IDS = [
  "999999999",
  "abc",
  "..",
  ".",
  "-1",
  " 1",
  "a b",
  "a/b",
  "名前",
  "'; DROP TABLE x;--",
  "\u0000",
  "x".repeat(5000),
  "__proto__",
];

/** Escapes that do not decode: Next's router would fail on them; the path reaches the handler undecoded. */
const MALFORMED_ESCAPES = ["%zz", "%C0%AE", "%", "a%zzb", "%E0%80%AE", "%ED%A0%80", "%FF%FE"];

const ODD_QUERIES = [
  "bogus=%ZZ&pageSize=&page=0&x[]=1",
  "pageSize=1e3",
  "pageSize=-5",
  "pageSize=99999999999999999999",
  "page=999999999&pageSize=2000",
  "%zz=1&=&&&=x",
  "q=%00",
  "q=" + "y".repeat(8000),
  "status=bogus&status=PENDING",
  "kind=bogus&rel=bogus&idType=bogus",
  "cursor=%C0%AE",
  "cascade=maybe&forceCascade=2",
  "topics=" + encodeURIComponent("bogus," + "x".repeat(5000)),
  "search=" + encodeURIComponent("$filter=(" + "(".repeat(2000)),
  "sort=__proto__&filter=constructor",
];

beforeAll(async () => {
  p = await startTestPlatform();
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  const json = { "content-type": "application/json", accept: "application/json" };
  const create = async (path: string, body: unknown, auth?: string) => {
    const res = await p.request(path, { method: "POST", headers: json, body: JSON.stringify(body), auth });
    expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(201);
    return (await res.json()) as Record<string, unknown>;
  };
  const device = await create("/inventory/managedObjects", {
    name: "Sweep agent",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: ["c8y_Restart"],
  });
  real.device = String(device.id);
  real.lastUpdated = String(device.lastUpdated);
  real.child = String(
    (await create("/inventory/managedObjects", { name: "Sweep child", c8y_IsDevice: {} })).id,
  );
  real.group = String(
    (
      await create("/inventory/managedObjects", {
        name: "Sweep group",
        c8y_IsDeviceGroup: {},
        type: "c8y_DeviceGroup",
      })
    ).id,
  );
  for (const [parent, collection, child] of [
    [real.device, "childDevices", real.child],
    [real.group, "childAssets", real.device],
  ] as const)
    await create(`/inventory/managedObjects/${parent}/${collection}`, { managedObject: { id: child } });
  await create(`/identity/globalIds/${real.device}/externalIds`, {
    type: "c8y_Serial",
    externalId: "sweep-serial",
  });
  real.pending = String(
    (await create("/devicecontrol/operations", { deviceId: real.device, c8y_Restart: {} })).id,
  );
  real.executing = String(
    (await create("/devicecontrol/operations", { deviceId: real.device, c8y_Restart: {} })).id,
  );
  for (const status of ["EXECUTING"]) {
    const res = await p.request(`/devicecontrol/operations/${real.executing}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ status }),
    });
    expect(res.status).toBe(200);
  }
  await create("/devicecontrol/newDeviceRequests", { id: REQUEST_ID });
  // Scheduled far ahead: it stays SCHEDULED, so every bulk route meets one that could still change.
  real.bulk = String(
    (
      await create("/devicecontrol/bulkoperations", {
        groupId: real.group,
        startDate: "2099-01-01T00:00:00.000Z",
        creationRamp: 1,
        operationPrototype: { description: "Sweep restart", c8y_Restart: {} },
      })
    ).id,
  );
  const { POST: login } = await import("@/app/api/auth/login/route");
  cookie = (await signIn(login)).cookie;

  const found = await routesOnDisk();
  onDisk = found.map((r) => r.key);
  routes = found.filter((r) => ROWS[r.key]).map((r) => ({ ...r, row: ROWS[r.key]! }));
});
afterAll(() => p.close());

const withParams = () => routes.filter((r) => r.pattern.includes("["));
const readsJson = () => routes.filter((r) => r.row.reads === "json");
const mutations = () => routes.filter((r) => r.method !== "GET");

describe("every BFF route handler, with bad input", () => {
  it("has a row for every route and method under app/api, and no row for one that is gone", () => {
    expect(onDisk.length).toBeGreaterThan(30);
    expect(
      onDisk.filter((key) => !ROWS[key]),
      "routes without a row in ROWS",
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((key) => !onDisk.includes(key)),
      "rows without a route",
    ).toEqual([]);
  });

  it("answers malformed, wrongly typed, oversized and deeply nested JSON bodies with a 4xx, writing nothing", async () => {
    for (const route of readsJson())
      for (const [label, body] of REFUSED_BODIES)
        await probe(route, { body, headers: { "content-type": "application/json" } }, `with ${label}`, {
          refused: true,
        });
  });

  it("answers a fragment edit nested 10,000 levels deep with 422 invalid_input (no stack overflow)", async () => {
    const route = routes.find((r) => r.key === "PUT /api/devices/[id]")!;
    const body = `{"expectedLastUpdated": "${real.lastUpdated}", "changes": {"acme_Deep": ${deep(10_000)}}}`;
    const a = await probe(route, { body, headers: { "content-type": "application/json" } }, "nested", {
      refused: true,
      status: 422,
    });
    expect(a.body).toMatchObject({ error: { code: "invalid_input" } });
  });

  it("answers a mutation whose body is not JSON with 415 unsupported_media_type, writing nothing", async () => {
    for (const route of mutations().filter((r) => r.row.reads !== "multipart")) {
      const body = JSON.stringify(route.row.good?.() ?? { any: "thing" });
      for (const type of FOREIGN_TYPES) {
        const a = await probe(route, { body, headers: { "content-type": type } }, `as ${type}`, {
          refused: true,
          status: 415,
        });
        expect(a.body).toMatchObject({ error: { code: "unsupported_media_type" } });
      }
      // A body without any type, its length declared.
      const bytes = new TextEncoder().encode(body);
      await probe(
        route,
        { body: bytes, headers: { "content-length": String(bytes.byteLength) } },
        "untyped",
        {
          refused: true,
          status: 415,
        },
      );
    }
  });

  it("keeps the CSV upload multipart-only: text, JSON and untyped bodies are a 4xx, writing nothing", async () => {
    const route = routes.find((r) => r.row.reads === "multipart")!;
    for (const type of ["text/plain", "text/csv", "application/octet-stream"])
      await probe(route, { body: "ID\nsweep-csv-1\n", headers: { "content-type": type } }, `as ${type}`, {
        refused: true,
        status: 415,
      });
    await probe(
      route,
      { body: '{"file": "ID\\nx"}', headers: { "content-type": "application/json" } },
      "JSON",
      {
        refused: true,
      },
    );
    await probe(
      route,
      { body: "--x\r\nnonsense", headers: { "content-type": "multipart/form-data; boundary=x" } },
      "a broken form",
      { refused: true },
    );
    const big = new FormData();
    big.set("file", new Blob([`ID\n${"x".repeat(1024 * 1024)}\n`]), "big.csv");
    await probe(route, { body: big }, "over 1 MB", { refused: true, status: 413 });
  });

  it("answers odd or unknown ids with a 4xx, even with a body the route accepts, writing nothing", async () => {
    for (const route of withParams()) {
      if (route.row.careful) continue;
      for (const id of ODD_IDS) {
        const params = Object.fromEntries(Object.keys(realParams(route.pattern)).map((name) => [name, id]));
        const good = route.row.good?.();
        await probe(
          route,
          {
            params,
            ...(good === undefined
              ? {}
              : { body: JSON.stringify(good), headers: { "content-type": "application/json" } }),
          },
          `with id ${JSON.stringify(id.slice(0, 20))}`,
          { refused: true },
        );
      }
    }
  });

  it("answers paths with malformed percent-escapes with 400 bad_path, writing nothing", async () => {
    for (const route of withParams())
      for (const escape of MALFORMED_ESCAPES) {
        const params = Object.fromEntries(
          Object.keys(realParams(route.pattern)).map((name) => [name, escape]),
        );
        const a = await probe(route, { params, path: pathOf(route.pattern, params, true) }, `at ${escape}`, {
          refused: true,
          status: 400,
        });
        expect(a.body).toMatchObject({ error: { code: "bad_path" } });
      }
  });

  it("treats odd query parameters as ignored or a 4xx, never a 5xx", async () => {
    for (const route of routes.filter((r) => r.method === "GET" || r.method === "DELETE")) {
      if (route.row.careful === "logout") continue;
      for (const query of ODD_QUERIES) {
        // A DELETE is only sent to things that do not exist: an odd query must not delete a real object.
        const params =
          route.method === "DELETE"
            ? Object.fromEntries(Object.keys(realParams(route.pattern)).map((name) => [name, "999999999"]))
            : undefined;
        await probe(route, { query, ...(params ? { params } : {}) }, `?${query.slice(0, 60)}`, {
          refused: route.method === "DELETE",
        });
      }
    }
  });

  it("refuses mutations without the console's header before anything else, writing nothing", async () => {
    for (const route of mutations()) {
      const before = snapshot();
      const req = new Request(`${ORIGIN}${pathOf(route.pattern, realParams(route.pattern))}`, {
        method: route.method,
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify(route.row.good?.() ?? {}),
      });
      const res = await route.handler(req, {
        params: Promise.resolve(realParams(route.pattern)) as Promise<never>,
      });
      expect(res.status, route.key).toBe(403);
      expect(errorEnvelopeSchema.parse(await res.json()).error.code, route.key).toBe("cross_site_refused");
      expect(snapshot(), route.key).toBe(before);
    }
  });

  it("still answers after the whole sweep: the session, the device and the platform are as they were", async () => {
    const session = routes.find((r) => r.key === "GET /api/auth/session")!;
    expect((await send(session, {})).status).toBe(200);
    const device = routes.find((r) => r.key === "GET /api/devices/[id]")!;
    const a = await send(device, {});
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: real.device, name: "Sweep agent", lastUpdated: real.lastUpdated });
    expect((await p.request(`/devicecontrol/operations/${real.pending}`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("read-only fields are the platform's", () => {
  const sneaky = {
    id: "1",
    self: "http://elsewhere.invalid/x/1",
    owner: "mallory",
    creationTime: "2001-01-01T00:00:00.000Z",
    lastUpdated: "2001-01-01T00:00:00.000Z",
  };

  it("drops them from an operation's body: the platform sets its own", async () => {
    const route = routes.find((r) => r.key === "POST /api/devices/[id]/operations")!;
    const a = await send(route, {
      body: JSON.stringify({ kind: "restart", ...sneaky }),
      headers: { "content-type": "application/json" },
    });
    expect(a.status).toBe(201);
    const { id } = a.body as { id: string };
    expect(id).not.toBe("1");
    const stored = (await (await p.request(`/devicecontrol/operations/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(stored.creationTime).not.toBe(sneaky.creationTime);
    expect(stored.self).not.toBe(sneaky.self);
    expect(stored.owner).not.toBe("mallory");
    expect(stored.lastUpdated).not.toBe(sneaky.lastUpdated);
  });

  it("drops them from a device edit, beside the edit and inside its changes", async () => {
    const route = routes.find((r) => r.key === "PUT /api/devices/[id]")!;
    const read = routes.find((r) => r.key === "GET /api/devices/[id]")!;
    const before = (await send(read, {})).body as {
      lastUpdated: string;
      owner: string;
      creationTime: string;
    };
    const a = await send(route, {
      body: JSON.stringify({
        ...sneaky,
        expectedLastUpdated: before.lastUpdated,
        changes: { ...sneaky, acme_ReadOnlyCheck: { ok: true } },
      }),
      headers: { "content-type": "application/json" },
    });
    expect(a.status).toBe(200);
    const stored = (await (await p.request(`/inventory/managedObjects/${real.device}`)).json()) as Record<
      string,
      unknown
    >;
    expect(stored).toMatchObject({ id: real.device, owner: before.owner, creationTime: before.creationTime });
    expect(stored.self).not.toBe(sneaky.self);
    expect(stored.lastUpdated).not.toBe(sneaky.lastUpdated);
    expect(stored.acme_ReadOnlyCheck).toEqual({ ok: true });
  });
});
