// The fleet overview and the connection status against a real emulator: counts equal to the states created on the
// platform, each count one request for a single row, a failing count shown on its own, and toConnection as the
// device routes answer it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as byConnection } from "@/app/api/devices/connection/route";
import { GET as getDevice } from "@/app/api/devices/[id]/route";
import { GET as search } from "@/app/api/devices/search/route";
import { GET as overview } from "@/app/api/overview/route";
import { RegistrationViews, setRegistrationViews } from "@/lib/server/registrations-view";
import { RawClient } from "../../../emulator/platform/realtime/__tests__/support.js";
import { ManualTime } from "../../../tests/support/manual-time.js";
import { startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import {
  SESSION_PASSWORD,
  call,
  createObject,
  platformError,
  signIn,
  startProxy,
  type LoopbackProxy,
} from "./support.js";

const HOUR = 3_600_000;

let p: TestPlatform;
let time: ManualTime;
let proxy: LoopbackProxy;
let cookie: string;
let agent: RawClient;

const ids = {} as Record<
  "silent" | "silent2" | "heard" | "online" | "maintenance" | "unmonitored" | "group",
  string
>;

async function platform(path: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await p.request(path, {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** An operation for the device, brought to `status` (created now, on the platform's clock). */
async function operation(deviceId: string, status: "PENDING" | "EXECUTING" | "FAILED" | "SUCCESSFUL") {
  const op = await platform("/devicecontrol/operations", "POST", {
    deviceId,
    c8y_Restart: {},
    description: "Restart",
  });
  const path = `/devicecontrol/operations/${String(op.id)}`;
  if (status !== "PENDING") await platform(path, "PUT", { status: "EXECUTING" });
  if (status === "FAILED" || status === "SUCCESSFUL")
    await platform(path, "PUT", { status, ...(status === "FAILED" ? { failureReason: "test" } : {}) });
}

const monitored = (name: string, responseInterval: number) => ({
  name,
  c8y_IsDevice: {},
  c8y_RequiredAvailability: { responseInterval },
});

async function knockedRequest(id: string) {
  await platform("/devicecontrol/newDeviceRequests", "POST", { id });
  const res = await p.request("/devicecontrol/deviceCredentials", {
    method: "POST",
    auth: p.bootstrap,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ id }),
  });
  expect(res.status).toBe(404);
}

beforeAll(async () => {
  // The platform's clock starts 30 hours back, so operations can be created long ago; it is brought to the
  // present before anyone signs in.
  const start = Date.now() - 30 * HOUR;
  time = new ManualTime(start);
  p = await startTestPlatform({ now: time.now, scheduler: time.scheduler });
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  const target = await createObject(p, { name: "Operations target", c8y_IsDevice: {} });

  // 30 h ago: failed and pending (the pending one is stuck; the failed one is outside the last 24 h).
  await operation(target, "FAILED");
  await operation(target, "PENDING");
  time.advance(27 * HOUR);
  // 3 h ago: two stuck pending, one stuck executing, two failed within the day, one successful.
  await operation(target, "PENDING");
  await operation(target, "PENDING");
  await operation(target, "EXECUTING");
  await operation(target, "FAILED");
  await operation(target, "FAILED");
  await operation(target, "SUCCESSFUL");
  time.advance(3 * HOUR - 60_000);
  // A minute ago: fresh, not stuck; one more failure.
  await operation(target, "PENDING");
  await operation(target, "EXECUTING");
  await operation(target, "FAILED");
  time.advance(60_000 - (time.now() - Date.now()));

  // Presence: no message yet → DISCONNECTED + UNAVAILABLE; a heartbeat → AVAILABLE; a push connection → CONNECTED.
  ids.silent = await createObject(p, monitored("Silent pump", 10));
  ids.silent2 = await createObject(p, monitored("Silent valve", 10));
  ids.heard = await createObject(p, monitored("Heard meter", 10));
  await platform(`/inventory/managedObjects/${ids.heard}`, "PUT", {});
  ids.online = await createObject(p, { ...monitored("Online gateway", 10), com_cumulocity_model_Agent: {} });
  await platform(`/inventory/managedObjects/${ids.online}`, "PUT", {});
  agent = new RawClient(p, "/notification/operations");
  expect(await agent.handshake({ advice: { interval: 600_000 } })).toMatchObject({ successful: true });
  expect(await agent.subscribe(`/${ids.online}`)).toMatchObject({ successful: true });
  await agent.connect({ timeout: 0 });
  ids.maintenance = await createObject(p, monitored("Resting sensor", 0));
  ids.unmonitored = await createObject(p, { name: "Plain device", c8y_IsDevice: {} });

  // Registrations: two knocked (waiting for acceptance), one only registered.
  await knockedRequest("overview-knock-1");
  await knockedRequest("overview-knock-2");
  await platform("/devicecontrol/newDeviceRequests", "POST", { id: "overview-waiting" });

  // Bulk operations: two running (their children created, still pending), one scheduled for tomorrow.
  ids.group = await createObject(p, { name: "Bulk group", c8y_IsDeviceGroup: {} });
  await platform(`/inventory/managedObjects/${ids.group}/childAssets`, "POST", {
    references: [{ managedObject: { id: ids.unmonitored } }],
  });
  const bulk = (startDate: string) =>
    platform("/devicecontrol/bulkoperations", "POST", {
      groupId: ids.group,
      startDate,
      creationRamp: 1,
      operationPrototype: { c8y_Restart: {}, description: "Bulk restart" },
    });
  await bulk(new Date(time.now()).toISOString());
  await bulk(new Date(time.now()).toISOString());
  await bulk(new Date(time.now() + 24 * HOUR).toISOString());
  time.advance(2_000);

  // Every later call goes through a loopback proxy that notes what the BFF asked the platform.
  proxy = await startProxy(p.url);
  vi.stubEnv("C8Y_BASEURL", proxy.url);
  cookie = (await signIn(login)).cookie;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy?.close();
  await p?.close();
});

describe("GET /api/overview", () => {
  it("counts what the platform holds, one request per count asking for a single row", async () => {
    proxy.calls.length = 0;
    const a = await call(overview, "/api/overview", { cookie });
    expect(a.status).toBe(200);
    expect(a.json.counts).toEqual({
      registrationsPending: { ok: true, count: 2 },
      devicesDisconnected: { ok: true, count: 3 },
      devicesUnavailable: { ok: true, count: 2 },
      operationsStuckPending: { ok: true, count: 3 },
      // The bulk operations' children are pending but new; the stuck executing one is three hours old.
      operationsStuckExecuting: { ok: true, count: 1 },
      operationsFailedRecently: { ok: true, count: 3 },
      bulkOperationsRunning: { ok: true, count: 2 },
    });
    expect(a.json.failedWithinHours).toBe(24);
    expect(a.json.staleAfter).toEqual({ PENDING: 5 * 60_000, EXECUTING: 10 * 60_000 });

    const counted = proxy.calls.filter((c) => !c.path.startsWith("/devicecontrol/newDeviceRequests"));
    expect(counted).toHaveLength(6);
    for (const c of counted) {
      const query = new URL(c.path, "http://x").searchParams;
      expect(c.method).toBe("GET");
      expect(query.get("pageSize")).toBe("1");
      expect(query.get("withTotalPages")).toBe("true");
    }
    const paths = counted.map((c) => new URL(c.path, "http://x").pathname).sort();
    expect(paths).toEqual([
      "/devicecontrol/bulkoperations",
      "/devicecontrol/operations",
      "/devicecontrol/operations",
      "/devicecontrol/operations",
      "/inventory/managedObjects",
      "/inventory/managedObjects",
    ]);
    const bulk = counted.find((c) => c.path.startsWith("/devicecontrol/bulkoperations"))!;
    expect(new URL(bulk.path, "http://x").searchParams.getAll("generalStatus")).toEqual([
      "EXECUTING",
      "EXECUTING_WITH_ERROR",
    ]);
    // The registrations cannot be filtered by the platform: their list is read (one page here).
    expect(proxy.calls.filter((c) => c.path.startsWith("/devicecontrol/newDeviceRequests"))).toHaveLength(1);
  });

  it("reads the registrations anew when the operator asks (fresh=true), as on a page load", async () => {
    // The shared registrations view with its clock stopped: between two checks it answers from memory.
    const stopped = { now: () => 0, setTimeout: () => ({ cancel: () => undefined }) };
    const previous = setRegistrationViews(new RegistrationViews({ clock: stopped }));
    try {
      const before = await call(overview, "/api/overview", { cookie });
      expect(before.json.counts.registrationsPending).toEqual({ ok: true, count: 2 });
      // A device knocks outside the console: the background refresh may not know it yet...
      await knockedRequest("overview-knock-3");
      const kept = await call(overview, "/api/overview", { cookie });
      expect(kept.json.counts.registrationsPending).toEqual({ ok: true, count: 2 });
      // ...the operator's Refresh does.
      proxy.calls.length = 0;
      const after = await call(overview, "/api/overview?fresh=true", { cookie });
      expect(after.status).toBe(200);
      expect(after.json.counts.registrationsPending).toEqual({ ok: true, count: 3 });
      expect(proxy.calls.filter((c) => c.path.startsWith("/devicecontrol/newDeviceRequests"))).toHaveLength(
        1,
      );
    } finally {
      setRegistrationViews(previous ?? new RegistrationViews());
      await platform("/devicecontrol/newDeviceRequests/overview-knock-3", "DELETE");
    }
  });

  it("refuses a fresh flag it does not know with 422", async () => {
    const a = await call(overview, "/api/overview?fresh=yes", { cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.fields).toHaveProperty("fresh");
  });

  it("shows a failing count on its card and answers the others", async () => {
    const faulty = await startProxy(p.url, (req, res) =>
      req.url?.startsWith("/devicecontrol/bulkoperations")
        ? platformError(res, 503, "bulk/Unavailable", "secret detail")
        : req.url?.startsWith("/devicecontrol/newDeviceRequests")
          ? platformError(res, 403, "security/Forbidden", "Access is denied")
          : false,
    );
    try {
      vi.stubEnv("C8Y_BASEURL", faulty.url);
      const session = (await signIn(login)).cookie;
      const a = await call(overview, "/api/overview", { cookie: session });
      expect(a.status).toBe(200);
      expect(a.json.counts.bulkOperationsRunning).toEqual({
        ok: false,
        error: {
          code: "upstream_unavailable",
          message: "The platform cannot be reached right now. Try again shortly.",
        },
      });
      expect(a.json.counts.registrationsPending).toEqual({
        ok: false,
        error: { code: "forbidden", message: "Access is denied" },
      });
      expect(a.json.counts.operationsFailedRecently).toEqual({ ok: true, count: 3 });
      expect(a.text).not.toContain("secret detail");
    } finally {
      vi.stubEnv("C8Y_BASEURL", proxy.url);
      await faulty.close();
    }
  });

  it("ends the session when the platform refuses the credential, instead of showing cards", async () => {
    const refusing = await startProxy(p.url, (req, res) =>
      req.url?.startsWith("/devicecontrol/operations")
        ? platformError(res, 401, "security/Unauthorized", "Invalid credentials")
        : false,
    );
    try {
      vi.stubEnv("C8Y_BASEURL", refusing.url);
      const session = (await signIn(login)).cookie;
      const a = await call(overview, "/api/overview", { cookie: session });
      expect(a.status).toBe(401);
      expect(a.json.error.code).toBe("unauthenticated");
    } finally {
      vi.stubEnv("C8Y_BASEURL", proxy.url);
      await refusing.close();
    }
  });

  it("answers 401 without a session", async () => {
    const a = await call(overview, "/api/overview");
    expect(a.status).toBe(401);
  });
});

describe("toConnection, as the device routes answer it", () => {
  const connectionOf = async (id: string) =>
    (await call(getDevice, `/api/devices/${id}`, { cookie, params: { id } })).json.connection;

  it("reads c8y_Connection, c8y_Availability and c8y_RequiredAvailability", async () => {
    expect(await connectionOf(ids.silent)).toEqual({
      connection: "DISCONNECTED",
      availability: "UNAVAILABLE",
      lastMessage: null,
      responseInterval: 10,
    });
    const heard = await connectionOf(ids.heard);
    expect(heard).toMatchObject({
      connection: "DISCONNECTED",
      availability: "AVAILABLE",
      responseInterval: 10,
    });
    expect(Date.parse(heard.lastMessage)).toBeGreaterThan(Date.now() - HOUR);
    expect(await connectionOf(ids.online)).toMatchObject({
      connection: "CONNECTED",
      availability: "AVAILABLE",
    });
    expect(await connectionOf(ids.maintenance)).toEqual({
      connection: "MAINTENANCE",
      availability: "MAINTENANCE",
      lastMessage: null,
      responseInterval: 0,
    });
    expect(await connectionOf(ids.unmonitored)).toBeNull();
  });

  it("puts the connection on search hits", async () => {
    const a = await call(search, `/api/devices/search?q=${encodeURIComponent("Online gateway")}`, { cookie });
    expect(a.json.items).toHaveLength(1);
    expect(a.json.items[0].connection).toMatchObject({ connection: "CONNECTED" });
  });

  it("lists the devices in one state by the platform's query, with the total", async () => {
    const names = async (status: string) => {
      const a = await call(byConnection, `/api/devices/connection?status=${status}`, { cookie });
      expect(a.status).toBe(200);
      return { names: a.json.items.map((n: { name: string }) => n.name), total: a.json.total };
    };
    expect(await names("DISCONNECTED")).toEqual({
      names: ["Heard meter", "Silent pump", "Silent valve"],
      total: 3,
    });
    expect(await names("UNAVAILABLE")).toEqual({ names: ["Silent pump", "Silent valve"], total: 2 });
    expect(await names("CONNECTED")).toEqual({ names: ["Online gateway"], total: 1 });
  });

  it("refuses a state it does not know with 422", async () => {
    const a = await call(byConnection, "/api/devices/connection?status=ONLINE", { cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
  });
});

// Last: the connection it opens stands for the grace after it ends, on a platform clock that no longer moves.
describe("GET /api/overview, later", () => {
  it("follows the platform: a device that connects leaves the disconnected count", async () => {
    const listener = new RawClient(p, "/notification/operations");
    await listener.handshake({ advice: { interval: 600_000 } });
    await listener.subscribe(`/${ids.silent2}`);
    const a = await call(overview, "/api/overview", { cookie });
    expect(a.json.counts.devicesDisconnected).toEqual({ ok: true, count: 2 });
    // Still silent: connected, but no message within the interval.
    expect(a.json.counts.devicesUnavailable).toEqual({ ok: true, count: 2 });
  });
});
