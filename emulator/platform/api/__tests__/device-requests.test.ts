import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { createMo, deviceUser, errorOf, json, VENDOR } from "../devicecontrol/__tests__/fixtures.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const path = (id: string) => `/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`;
const register = (body: unknown) =>
  p.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json(body) });
const poll = (id: string, extra: Record<string, unknown> = {}) =>
  p.request("/devicecontrol/deviceCredentials", {
    method: "POST",
    auth: p.bootstrap,
    ...json({ id, ...extra }),
  });
const accept = (id: string, extra: Record<string, unknown> = {}) =>
  p.request(path(id), { method: "PUT", ...json({ status: "ACCEPTED", ...extra }) });
const statusOf = async (id: string) =>
  ((await (await p.request(path(id))).json()) as { status: string }).status;

describe("POST /devicecontrol/newDeviceRequests", () => {
  it("creates a WAITING_FOR_CONNECTION request owned by the caller", async () => {
    const res = await p.request("/devicecontrol/newDeviceRequests", {
      method: "POST",
      headers: {
        "content-type": `${VENDOR}newDeviceRequest+json`,
        accept: `${VENDOR}newDeviceRequest+json`,
      },
      body: JSON.stringify({ id: "reg-001", type: "c8y_Linux" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}newDeviceRequest+json;charset=UTF-8;ver=0.9`);
    const body = await res.json();
    expect(body).toMatchObject({
      id: "reg-001",
      status: "WAITING_FOR_CONNECTION",
      owner: "admin",
      tenantId: TENANT,
      type: "c8y_Linux",
      customProperties: {},
      self: `${p.url}/devicecontrol/newDeviceRequests/reg-001`,
    });
    expect(body.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body).not.toHaveProperty("securityToken");
    expect(res.headers.get("location")).toBe(body.self);
  });

  it("answers 409 devicecontrol/Duplicate for an id registered already", async () => {
    expect((await register({ id: "reg-dup" })).status).toBe(201);
    const res = await register({ id: "reg-dup" });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).error).toBe("devicecontrol/Duplicate");
    expect(
      (
        (await (await p.request("/devicecontrol/newDeviceRequests?pageSize=2000")).json())
          .newDeviceRequests as { id: string }[]
      ).filter((r) => r.id === "reg-dup"),
    ).toHaveLength(1);
  });

  it("keeps a groupId that names a device group", async () => {
    const group = await createMo(p, {
      name: "Plant 1",
      type: "c8y_DeviceGroup",
      fragments: { c8y_IsDeviceGroup: {} },
    });
    const res = await register({ id: "reg-grouped", groupId: group });
    expect(res.status).toBe(201);
    expect((await res.json()).groupId).toBe(group);
    const numeric = await register({ id: "reg-grouped-2", groupId: Number(group) });
    expect((await numeric.json()).groupId).toBe(group);
  });

  it.each([
    ["a/b", "slash"],
    ["ä ö ü", "non-ASCII and spaces"],
    ["x%y#z?q=1&r", "URL specials"],
    ["  padded  ", "surrounding blanks"],
    ["\"quoted'", "quotes"],
  ])("handles the id %j (%s) through create, read and delete", async (id) => {
    const created = await register({ id });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.id).toBe(id);
    expect(body.self).toBe(`${p.url}${path(id)}`);
    const read = await p.request(path(id));
    expect(read.status).toBe(200);
    expect((await read.json()).id).toBe(id);
    expect((await p.request(path(id), { method: "DELETE" })).status).toBe(204);
    expect((await p.request(path(id))).status).toBe(404);
  });

  it.each([
    ["no id", {}, 422, "undefined/validationError"],
    ["null id", { id: null }, 422, "undefined/validationError"],
    ["empty id", { id: "" }, 422, "undefined/validationError"],
    ["numeric id", { id: 17 }, 422, "devicecontrol/Invalid Data"],
    ["object id", { id: { a: 1 } }, 422, "devicecontrol/Invalid Data"],
    ["blank id", { id: "   " }, 422, "devicecontrol/Invalid Data"],
    ["colon in id", { id: "00:11:22" }, 422, "devicecontrol/Invalid Data"],
    ["control character", { id: "a\nb" }, 422, "devicecontrol/Invalid Data"],
    ["dot-dot", { id: ".." }, 422, "devicecontrol/Invalid Data"],
    ["reserved word", { id: "limit" }, 422, "devicecontrol/Invalid Data"],
    ["overlong id", { id: "x".repeat(129) }, 422, "devicecontrol/Invalid Data"],
    ["type not a string", { id: "ok-1", type: 5 }, 422, "devicecontrol/Invalid Data"],
    ["unknown groupId", { id: "ok-2", groupId: "999999" }, 422, "devicecontrol/Invalid Data"],
    ["groupId not an id", { id: "ok-3", groupId: "abc" }, 422, "devicecontrol/Invalid Data"],
    ["customProperties array", { id: "ok-4", customProperties: [] }, 422, "devicecontrol/Invalid Data"],
    ["array body", [{ id: "ok-5" }], 422, "devicecontrol/Invalid Data"],
  ])("refuses %s", async (_name, body, status, error) => {
    const res = await register(body);
    expect(res.status).toBe(status);
    expect((await errorOf(res)).error).toBe(error);
  });

  it("refuses a device (not group) as groupId and writes nothing", async () => {
    const device = await createMo(p, { name: "not a group" });
    const res = await register({ id: "reg-badgroup", groupId: device });
    expect(res.status).toBe(422);
    expect((await p.request(path("reg-badgroup"))).status).toBe(404);
  });

  it("answers 400 for malformed JSON and 415 for a non-JSON content type", async () => {
    const bad = await p.request("/devicecontrol/newDeviceRequests", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{id:",
    });
    expect(bad.status).toBe(400);
    await errorOf(bad);
    const xml = await p.request("/devicecontrol/newDeviceRequests", {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<id/>",
    });
    expect(xml.status).toBe(415);
    await errorOf(xml);
  });
});

describe("GET /devicecontrol/newDeviceRequests", () => {
  it("pages in creation order with the collection media type", async () => {
    const fresh = await startTestPlatform();
    try {
      for (const id of ["c", "a", "b", "d", "e"])
        await fresh.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json({ id }) });
      const first = await fresh.request("/devicecontrol/newDeviceRequests?pageSize=2&withTotalPages=true");
      expect(first.status).toBe(200);
      expect(first.headers.get("content-type")).toBe(
        `${VENDOR}newDeviceRequestCollection+json;charset=UTF-8;ver=0.9`,
      );
      const page1 = await first.json();
      expect(page1.newDeviceRequests.map((r: { id: string }) => r.id)).toEqual(["c", "a"]);
      expect(page1.statistics).toEqual({ currentPage: 1, pageSize: 2, totalPages: 3 });
      expect(page1.next).toContain("currentPage=2");
      const page3 = await (
        await fresh.request("/devicecontrol/newDeviceRequests?pageSize=2&currentPage=3")
      ).json();
      expect(page3.newDeviceRequests.map((r: { id: string }) => r.id)).toEqual(["e"]);
      expect(page3.prev).toContain("currentPage=2");
      // No status filter (§0a): the parameter is ignored, every request is listed.
      const all = await (
        await fresh.request("/devicecontrol/newDeviceRequests?status=ACCEPTED&pageSize=10")
      ).json();
      expect(all.newDeviceRequests).toHaveLength(5);
    } finally {
      await fresh.close();
    }
  });

  it("refuses bad paging parameters with 422", async () => {
    const res = await p.request("/devicecontrol/newDeviceRequests?pageSize=abc");
    expect(res.status).toBe(422);
    await errorOf(res);
  });
});

describe("GET/DELETE /devicecontrol/newDeviceRequests/{id}", () => {
  it("answers 404 devicecontrol/Not Found for an unknown id", async () => {
    const res = await p.request(path("nobody-here"));
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({
      error: "devicecontrol/Not Found",
      message: "Could not find newDeviceRequest by ID nobody-here",
    });
    const del = await p.request(path("nobody-here"), { method: "DELETE" });
    expect(del.status).toBe(404);
    expect((await errorOf(del)).error).toBe("devicecontrol/Not Found");
  });
});

describe("PUT /devicecontrol/newDeviceRequests/{id}", () => {
  it("refuses to accept a device that has not connected yet", async () => {
    await register({ id: "put-early" });
    const res = await accept("put-early");
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.error).toBe("devicecontrol/Invalid Data");
    expect(err.message).toMatch(/has not connected yet/);
    expect(await statusOf("put-early")).toBe("WAITING_FOR_CONNECTION");
  });

  it("accepts a PENDING_ACCEPTANCE request once, then refuses further changes", async () => {
    await register({ id: "put-ok" });
    expect((await poll("put-ok")).status).toBe(404);
    expect(await statusOf("put-ok")).toBe("PENDING_ACCEPTANCE");
    const res = await accept("put-ok");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toMatchObject({ id: "put-ok", status: "ACCEPTED" });
    const again = await accept("put-ok");
    expect(again.status).toBe(422);
    expect((await errorOf(again)).error).toBe("devicecontrol/Invalid Data");
  });

  it.each([
    ["missing status", {}, "undefined/validationError"],
    ["status null", { status: null }, "undefined/validationError"],
    ["status PENDING_ACCEPTANCE", { status: "PENDING_ACCEPTANCE" }, "devicecontrol/Invalid Data"],
    ["status BLOCKED", { status: "BLOCKED" }, "devicecontrol/Invalid Data"],
    ["lower-case accepted", { status: "accepted" }, "devicecontrol/Invalid Data"],
    ["status number", { status: 1 }, "devicecontrol/Invalid Data"],
    ["securityToken number", { status: "ACCEPTED", securityToken: 5 }, "devicecontrol/Invalid Data"],
  ])("refuses %s with 422 and leaves the request alone", async (_name, body, error) => {
    const id = `put-bad-${Math.random().toString(36).slice(2)}`;
    await register({ id });
    await poll(id);
    const res = await p.request(path(id), { method: "PUT", ...json(body) });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).error).toBe(error);
    expect(await statusOf(id)).toBe("PENDING_ACCEPTANCE");
  });

  it("answers 404 for an unknown request", async () => {
    const res = await accept("put-unknown");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error).toBe("devicecontrol/Not Found");
  });

  it("requires the device's security token and blocks after repeated wrong tokens", async () => {
    await register({ id: "put-token" });
    expect((await poll("put-token", { securityToken: "s3cret" })).status).toBe(404);
    expect((await accept("put-token")).status).toBe(422);
    expect((await accept("put-token", { securityToken: "wrong" })).status).toBe(422);
    const third = await accept("put-token", { securityToken: "still wrong" });
    expect(third.status).toBe(422);
    expect((await errorOf(third)).message).toMatch(/BLOCKED/);
    expect(await statusOf("put-token")).toBe("BLOCKED");
    // BLOCKED cannot be accepted, not even with the right token; the device keeps getting 404.
    expect((await accept("put-token", { securityToken: "s3cret" })).status).toBe(422);
    expect((await poll("put-token", { securityToken: "s3cret" })).status).toBe(404);
    expect(await statusOf("put-token")).toBe("BLOCKED");
  });

  it("accepts with the matching security token", async () => {
    await register({ id: "put-token-ok" });
    await poll("put-token-ok", { securityToken: "t0k" });
    expect((await accept("put-token-ok", { securityToken: "t0k" })).status).toBe(200);
    expect((await poll("put-token-ok")).status).toBe(200);
  });
});

describe("POST /devicecontrol/newDeviceRequests/acceptAll", () => {
  it("accepts every PENDING_ACCEPTANCE request and reports each", async () => {
    const fresh = await startTestPlatform();
    try {
      const reg = (id: string) =>
        fresh.request("/devicecontrol/newDeviceRequests", { method: "POST", ...json({ id }) });
      const devicePoll = (id: string, extra: Record<string, unknown> = {}) =>
        fresh.request("/devicecontrol/deviceCredentials", {
          method: "POST",
          auth: fresh.bootstrap,
          ...json({ id, ...extra }),
        });
      for (const id of ["all-1", "all-2", "all-waiting", "all-token"]) await reg(id);
      await devicePoll("all-1");
      await devicePoll("all-2");
      await devicePoll("all-token", { securityToken: "x" });
      const res = await fresh.request("/devicecontrol/newDeviceRequests/acceptAll", { method: "POST" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      const results = await res.json();
      expect(results).toEqual([
        { id: "all-1", successful: true },
        { id: "all-2", successful: true },
        { id: "all-token", successful: false, error: expect.any(String) },
      ]);
      const statuses = await (await fresh.request("/devicecontrol/newDeviceRequests?pageSize=10")).json();
      expect(
        Object.fromEntries(
          statuses.newDeviceRequests.map((r: { id: string; status: string }) => [r.id, r.status]),
        ),
      ).toEqual({
        "all-1": "ACCEPTED",
        "all-2": "ACCEPTED",
        "all-waiting": "WAITING_FOR_CONNECTION",
        "all-token": "PENDING_ACCEPTANCE",
      });
      expect((await devicePoll("all-2")).status).toBe(200);
      // Only the token-protected request is left, and it stays for a single acceptance.
      const second = await (
        await fresh.request("/devicecontrol/newDeviceRequests/acceptAll", { method: "POST" })
      ).json();
      expect(second.map((r: { id: string; successful: boolean }) => [r.id, r.successful])).toEqual([
        ["all-token", false],
      ]);
      await fresh.request("/devicecontrol/newDeviceRequests/all-token", { method: "DELETE" });
      expect(
        await (await fresh.request("/devicecontrol/newDeviceRequests/acceptAll", { method: "POST" })).json(),
      ).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe("GET /devicecontrol/newDeviceRequests/limit", () => {
  it("reports that no limit is reached", async () => {
    const res = await p.request("/devicecontrol/newDeviceRequests/limit");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ isReached: false });
  });
});

describe("permissions", () => {
  const calls: [string, string, unknown?][] = [
    ["GET", "/devicecontrol/newDeviceRequests"],
    ["POST", "/devicecontrol/newDeviceRequests", { id: "perm-x" }],
    ["GET", "/devicecontrol/newDeviceRequests/perm-target"],
    ["PUT", "/devicecontrol/newDeviceRequests/perm-target", { status: "ACCEPTED" }],
    ["DELETE", "/devicecontrol/newDeviceRequests/perm-target"],
    ["POST", "/devicecontrol/newDeviceRequests/acceptAll"],
    ["GET", "/devicecontrol/newDeviceRequests/limit"],
  ];

  it("gives device users and the bootstrap user 403 everywhere, anonymous callers 401", async () => {
    await register({ id: "perm-target" });
    await poll("perm-target");
    const device = await deviceUser(p, "device_perm");
    for (const [method, url, body] of calls) {
      for (const auth of [device, p.bootstrap]) {
        const res = await p.request(url, { method, auth, ...(body === undefined ? {} : json(body)) });
        expect(res.status, `${method} ${url}`).toBe(403);
        expect((await errorOf(res)).error).toBe("security/Forbidden");
      }
      const anonymous = await p.request(url, {
        method,
        auth: null,
        ...(body === undefined ? {} : json(body)),
      });
      expect(anonymous.status).toBe(401);
    }
    expect(await statusOf("perm-target")).toBe("PENDING_ACCEPTANCE");
    expect((await p.request(path("perm-x"))).status).toBe(404);
  });
});
