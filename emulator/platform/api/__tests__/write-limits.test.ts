// The limits every write is held to (nesting, numbers, names, growth), the fields the platform keeps for itself, and
// data stored before those limits existed: whatever is in the database, reads answer 200.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualTime } from "../../../../tests/support/manual-time.js";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import { MAX_BODY_NESTING, MAX_NESTING } from "../../http/limits.js";
import {
  agent,
  get as getMo,
  presenceOf,
  SETTINGS,
  startPresencePlatform,
} from "../../presence/__tests__/support.js";
import { createMo, json, VENDOR } from "../devicecontrol/__tests__/fixtures.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests
type Json = Record<string, any>;

const BODY_LIMIT = 64 * 1024;
let p: TestPlatform;
let device: string;

beforeAll(async () => {
  p = await startTestPlatform({ bodyLimit: BODY_LIMIT });
  device = await createMo(p, {
    name: "Target",
    fragments: { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} },
  });
});
afterAll(() => p.close());

/** A value `levels` deep: `{"n": {"n": … 1}}`, so that levels = 1 is an object holding a number. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { n: v };
  return v;
}

function count(table: string): number {
  return (p.platform.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

const send = (method: string, path: string, body: unknown, auth?: string) =>
  p.request(path, {
    method,
    ...json(body),
    ...(auth === undefined ? {} : { auth }),
  });

async function expectInvalid(res: Response, resource: string, text: RegExp) {
  expect(res.status).toBe(422);
  const body = (await res.json()) as Json;
  expect(body.error).toBe(`${resource}/Invalid Data`);
  expect(body.message).toMatch(text);
}

describe("nesting on every write", () => {
  // Each write with a stored value `levels` deep, the table it writes to, and its error prefix.
  const writes: [string, (levels: number) => Promise<Response>, string, string][] = [
    [
      "POST operation",
      (l) => send("POST", "/devicecontrol/operations", { deviceId: device, c8y_Deep: nested(l) }),
      "operations",
      "devicecontrol",
    ],
    [
      "POST managed object",
      (l) => send("POST", "/inventory/managedObjects", { name: "deep", c8y_Deep: nested(l) }),
      "managed_objects",
      "inventory",
    ],
    [
      "POST managed object collection",
      (l) =>
        p.request("/inventory/managedObjects", {
          method: "POST",
          headers: { "content-type": `${VENDOR}managedObjectCollection+json`, accept: "application/json" },
          body: JSON.stringify({ managedObjects: [{ name: "deep", c8y_Deep: nested(l) }] }),
        }),
      "managed_objects",
      "inventory",
    ],
    [
      "POST child device created inline",
      (l) =>
        send("POST", `/inventory/managedObjects/${device}/childDevices`, {
          name: "kid",
          c8y_Deep: nested(l),
        }),
      "managed_objects",
      "inventory",
    ],
    [
      "POST device request",
      (l) =>
        send("POST", "/devicecontrol/newDeviceRequests", {
          id: `deep-${l}-${Math.random()}`,
          customProperties: { c8y_Deep: nested(l) },
        }),
      "device_requests",
      "devicecontrol",
    ],
    [
      "POST audit record",
      (l) =>
        send("POST", "/audit/auditRecords", {
          type: "Test",
          activity: "deep",
          text: "deep",
          time: "2025-01-01T00:00:00Z",
          source: { id: device },
          c8y_Deep: nested(l),
        }),
      "audit_records",
      "audit",
    ],
  ];

  it.each(writes)(
    "%s: a stored value of exactly the limit is fine, one level more is 422",
    async (_l, write, table, resource) => {
      const before = count(table);
      const ok = await write(MAX_NESTING);
      expect(ok.status, await ok.clone().text()).toBe(201);
      expect(count(table)).toBe(before + 1);
      await expectInvalid(await write(MAX_NESTING + 1), resource, /nested more than 100 levels/);
      expect(count(table)).toBe(before + 1);
    },
  );

  it("holds updates to the same limit: managed objects, operations, bulk updates", async () => {
    const op = (await (
      await send("POST", "/devicecontrol/operations", { deviceId: device, x: 1 })
    ).json()) as Json;
    const mo = await createMo(p, { name: "to update" });
    const before = JSON.stringify([getRow("operations", op.id), getRow("managed_objects", mo)]);
    const deep = nested(MAX_NESTING + 1);
    await expectInvalid(
      await send("PUT", `/devicecontrol/operations/${op.id}`, { status: "EXECUTING", c8y_Deep: deep }),
      "devicecontrol",
      /Fragment 'c8y_Deep' is nested/,
    );
    await expectInvalid(
      await send("PUT", `/inventory/managedObjects/${mo}`, { c8y_Deep: deep }),
      "inventory",
      /nested/,
    );
    await expectInvalid(
      await send("PUT", "/inventory/managedObjects", { managedObjects: [{ id: mo, c8y_Deep: deep }] }),
      "inventory",
      /nested/,
    );
    expect(JSON.stringify([getRow("operations", op.id), getRow("managed_objects", mo)])).toBe(before);
  });

  it("refuses a body nested deeper than any API takes while reading it, on routes that ignore the field too", async () => {
    const deep = nested(MAX_BODY_NESTING);
    const mo = await createMo(p, { name: "bound" });
    const before = count("external_ids");
    await expectInvalid(
      await send("POST", `/identity/globalIds/${mo}/externalIds`, { type: "t", externalId: "e", x: deep }),
      "identity",
      /The request body is nested more than 104 levels/,
    );
    await expectInvalid(
      await send("POST", "/devicecontrol/deviceCredentials", { id: "nobody", x: deep }, p.bootstrap),
      "devicecontrol",
      /nested/,
    );
    expect(count("external_ids")).toBe(before);
  });

  it("refuses a body nested half a million levels deep (it would overflow any recursive serialiser)", async () => {
    const levels = 30_000;
    const res = await p.request("/devicecontrol/operations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"deviceId": "${device}", "c8y_Deep": ${"[".repeat(levels)}${"]".repeat(levels)}}`,
    });
    await expectInvalid(res, "devicecontrol", /nested/);
  });

  it("refuses fragment names that cannot be stored: blank, overlong, control characters", async () => {
    for (const name of [" ", "x".repeat(513), "a\u0000b", "tab\there"]) {
      const before = count("operations");
      await expectInvalid(
        await send("POST", "/devicecontrol/operations", { deviceId: device, [name]: {} }),
        "devicecontrol",
        /Fragment name/,
      );
      await expectInvalid(
        await send("POST", "/inventory/managedObjects", { name: "n", [name]: {} }),
        "inventory",
        /Fragment name/,
      );
      expect(count("operations")).toBe(before);
    }
  });

  it("refuses numbers out of range (1e999 would be stored as null)", async () => {
    const before = count("operations");
    const res = await p.request("/devicecontrol/operations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"deviceId": "${device}", "c8y_Big": {"value": 1e999}}`,
    });
    await expectInvalid(res, "devicecontrol", /number out of range/);
    expect(count("operations")).toBe(before);
  });

  it("refuses bulk registration columns that nest too deeply or name no storable property", async () => {
    const csv = (header: string) => {
      const form = new FormData();
      form.append("file", new Blob([`${header}\nbulk-deep-1;Secret-123;Sensor;sensor\n`]), "devices.csv");
      return p.request("/devicecontrol/bulkNewDeviceRequests", { method: "POST", body: form });
    };
    const before = count("managed_objects");
    const deepColumn = Array.from({ length: MAX_NESTING + 1 }, (_, i) => `l${i}`).join(".");
    await expectInvalid(
      await csv(`ID;CREDENTIALS;NAME;${deepColumn}`),
      "devicecontrol",
      /nests more than 100 levels/,
    );
    await expectInvalid(await csv(`ID;CREDENTIALS;NAME;$set.x`), "devicecontrol", /starts with '\$'/);
    await expectInvalid(
      await csv(`ID;CREDENTIALS;NAME;a.${"x".repeat(600)}`),
      "devicecontrol",
      /longer than 512/,
    );
    expect(count("managed_objects")).toBe(before);
    const ok = await csv(`ID;CREDENTIALS;NAME;${deepColumn.split(".").slice(0, MAX_NESTING).join(".")}`);
    expect(ok.status).toBe(201);
    expect(count("managed_objects")).toBe(before + 1);
  });
});

describe("size of a stored document", () => {
  it("stops a managed object or an operation from growing beyond the body limit one fragment at a time", async () => {
    const chunk = "x".repeat(BODY_LIMIT / 2);
    const mo = await createMo(p, { name: "growing" });
    expect((await send("PUT", `/inventory/managedObjects/${mo}`, { a: chunk })).status).toBe(200);
    const moBefore = JSON.stringify(getRow("managed_objects", mo));
    await expectInvalid(
      await send("PUT", `/inventory/managedObjects/${mo}`, { b: chunk }),
      "inventory",
      /grow beyond/,
    );
    expect(JSON.stringify(getRow("managed_objects", mo))).toBe(moBefore);
    // Replacing a fragment by one of the same size is fine: only growth beyond the limit is refused.
    expect((await send("PUT", `/inventory/managedObjects/${mo}`, { a: chunk.toUpperCase() })).status).toBe(
      200,
    );

    const op = (await (
      await send("POST", "/devicecontrol/operations", { deviceId: device, a: chunk })
    ).json()) as Json;
    const opBefore = JSON.stringify(getRow("operations", op.id));
    await expectInvalid(
      await send("PUT", `/devicecontrol/operations/${op.id}`, { status: "EXECUTING", b: chunk }),
      "devicecontrol",
      /grow beyond/,
    );
    expect(JSON.stringify(getRow("operations", op.id))).toBe(opBefore);
  });
});

describe("fields the platform keeps for itself", () => {
  it("ignores owner and lastUpdated in operation bodies, on create and on update", async () => {
    const res = await send("POST", "/devicecontrol/operations", {
      deviceId: device,
      owner: "someone",
      lastUpdated: "2000-01-01T00:00:00.000Z",
      c8y_Restart: {},
    });
    expect(res.status).toBe(201);
    const op = (await res.json()) as Json;
    expect(op).not.toHaveProperty("owner");
    expect(op).not.toHaveProperty("lastUpdated");
    const updated = (await (
      await send("PUT", `/devicecontrol/operations/${op.id}`, {
        status: "EXECUTING",
        owner: "x",
        lastUpdated: "y",
      })
    ).json()) as Json;
    expect(updated).not.toHaveProperty("owner");
    expect(updated).not.toHaveProperty("lastUpdated");
    expect(updated.status).toBe("EXECUTING");
  });

  it("keeps owner writable on update, as the vendor's managedObject schema has it", async () => {
    const mo = await createMo(p, { name: "handed over" });
    const res = await send("PUT", `/inventory/managedObjects/${mo}`, {
      owner: "device_new",
      lastUpdated: "2000-01-01T00:00:00.000Z",
    });
    const body = (await res.json()) as Json;
    expect(body.owner).toBe("device_new");
    expect(body.lastUpdated).not.toBe("2000-01-01T00:00:00.000Z");
  });
});

function getRow(table: string, id: string | number): unknown {
  return p.platform.ctx.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(Number(id));
}

/** JSON text nested `levels` deep that SQLite's JSON functions refuse from 1000 levels on. */
const tooDeepForSqlite = (levels = 1200) => `{"n": ${"[".repeat(levels)}${"]".repeat(levels)}}`;

describe("documents stored before the limits (nested beyond what SQLite's JSON functions read)", () => {
  it("still lets every operation list answer 200, and fragmentType finds the document by its keys", async () => {
    const op = (await (
      await send("POST", "/devicecontrol/operations", { deviceId: device, c8y_Old: {} })
    ).json()) as Json;
    const plain = (await (
      await send("POST", "/devicecontrol/operations", { deviceId: device, c8y_New: {} })
    ).json()) as Json;
    // Written as the emulator did before the limit: straight into the table.
    p.platform.ctx.db
      .prepare("UPDATE operations SET fragments = ? WHERE id = ?")
      .run(`{"c8y_Old": ${tooDeepForSqlite()}}`, Number(op.id));
    const ids = async (query: string) => {
      const res = await p.request(`/devicecontrol/operations?pageSize=2000&${query}`);
      expect(res.status, query).toBe(200);
      return ((await res.json()) as Json).operations.map((o: Json) => o.id as string);
    };
    expect(await ids("fragmentType=c8y_Old")).toEqual([op.id]);
    expect(await ids("fragmentType=c8y_New")).toEqual([plain.id]);
    expect(await ids(`deviceId=${device}&withTotalElements=true`)).toContain(op.id);
    expect((await p.request(`/devicecontrol/operations/${op.id}`)).status).toBe(200);
    // Deleting by the same filter works too.
    const del = await p.request("/devicecontrol/operations?fragmentType=c8y_Old", { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await ids("fragmentType=c8y_Old")).toEqual([]);
  });

  it("still lets inventory queries on fragments answer 200; the unreadable document matches no JSON condition", async () => {
    const old = await createMo(p, { name: "old deep", fragments: { c8y_IsDevice: {}, level: 1 } });
    const fresh = await createMo(p, { name: "fresh", fragments: { c8y_IsDevice: {}, level: 1 } });
    p.platform.ctx.db
      .prepare("UPDATE managed_objects SET fragments = ? WHERE id = ?")
      .run(`{"c8y_IsDevice": {}, "level": 1, "c8y_Old": ${tooDeepForSqlite()}}`, Number(old));
    for (const q of [
      "$filter=(level eq 1)",
      "$filter=has(c8y_Old.n)",
      "$filter=(level gt 0) $orderby=level desc",
    ]) {
      const res = await p.request(`/inventory/managedObjects?pageSize=2000&query=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      const found = ((await res.json()) as Json).managedObjects.map((m: Json) => m.id as string);
      expect(found, q).not.toContain(old);
      if (q.includes("level")) expect(found, q).toContain(fresh);
    }
    const byFragment = await p.request("/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=2000");
    expect(byFragment.status).toBe(200);
    expect((await p.request(`/inventory/managedObjects/${old}`)).status).toBe(200);
  });

  it("does not stop a restart, nor the availability of the other devices", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-limits-"));
    try {
      const first = await startPresencePlatform(new ManualTime(), { dataDir });
      const broken = await agent(first.p, 10);
      const healthy = await agent(first.p, 10);
      const db = first.p.platform.ctx.db;
      const row = db.prepare("SELECT fragments FROM managed_objects WHERE id = ?").get(Number(broken)) as {
        fragments: string;
      };
      const stored = `${row.fragments.slice(0, -1)}, "c8y_Old": ${tooDeepForSqlite()}}`;
      db.prepare("UPDATE managed_objects SET fragments = ? WHERE id = ?").run(stored, Number(broken));
      await first.p.close();

      // The availability model loads every monitored device at start; the unreadable one must not stop it.
      const logged: unknown[] = [];
      const time = new ManualTime();
      const { p: second } = await startPresencePlatform(time, { dataDir, log: (_m, e) => logged.push(e) });
      try {
        await second.request(`/inventory/managedObjects/${healthy}`, { method: "PUT", ...json({}) });
        expect((await presenceOf(second, healthy)).c8y_Availability.status).toBe("AVAILABLE");
        time.advance(10 * 60_000 + SETTINGS.availabilityGraceMs + 2 * SETTINGS.checkIntervalMs);
        expect((await presenceOf(second, healthy)).c8y_Availability.status).toBe("UNAVAILABLE");
        expect((await getMo(second, broken)).name).toBe("Agent");
        expect(logged).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
