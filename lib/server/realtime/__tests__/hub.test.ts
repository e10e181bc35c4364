// The per-credential hub against the real emulator: one upstream session for many streams, reference-counted
// channels, stop after idle, reconciliation after a lost session, and the registrations poller.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionData } from "@/lib/server/session";
import {
  ADMIN_PASSWORD,
  TENANT,
  startTestPlatform,
  type TestPlatform,
} from "../../../../tests/support/platform.js";
import type { LiveHub } from "../hub";
import { getOperation } from "@/lib/server/services/operations";
import { createPlatformClient } from "@/lib/server/upstream/client";
import { RegistrationViews } from "@/lib/server/registrations-view";
import { LiveHubRegistry, type RegistrySettings } from "../registry";
import { createSseStream } from "../sse";
import {
  Inbox,
  ManualClock,
  SseReader,
  carries,
  rest,
  startTestProxy,
  type ProxiedRequest,
  type TestProxy,
} from "./support";

let p: TestPlatform;
let proxy: TestProxy;
let clock: ManualClock;
let registry: LiveHubRegistry;
let device: string;
/** Emulator sessions opened and closed during the current test. */
let sessionsOpened = new Inbox<{ clientId: string }>();
let sessionsClosed = new Inbox<{ clientId: string; reason: string }>();
const savedBaseUrl = process.env.C8Y_BASEURL;
/** Moves the platform's clock ahead of the real one (its timestamps, e.g. a request's creationTime). */
let platformSkewMs = 0;

const IDLE_MS = 30_000;
const LINGER_MS = 10_000;
const POLL_MS = 3_000;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => Date.now() + platformSkewMs });
  proxy = await startTestProxy(p.url);
  // REST calls of the hub (reconciliation, polling) go where the session's platform is: through the proxy.
  process.env.C8Y_BASEURL = proxy.url;
  p.realtime.events.on("session-opened", (e) => sessionsOpened.push(e));
  p.realtime.events.on("session-closed", (e) => sessionsClosed.push(e));
  device = (await rest(p, "POST", "/inventory/managedObjects", { name: "Pump", c8y_IsDevice: {} })).id;
});
beforeEach(() => {
  sessionsOpened = new Inbox();
  sessionsClosed = new Inbox();
});
afterEach(async () => {
  proxy.decide = () => "forward";
  proxy.release();
  await registry.close();
});
afterAll(async () => {
  process.env.C8Y_BASEURL = savedBaseUrl;
  await proxy.close();
  await p.close();
});

function newRegistry(settings: Partial<RegistrySettings> = {}) {
  clock = new ManualClock();
  registry = new LiveHubRegistry({
    clock,
    idleMs: IDLE_MS,
    lingerMs: LINGER_MS,
    registrationsPollMs: POLL_MS,
    // The registrations view on the same hand-driven clock (and fresh for each test).
    registrationViews: new RegistrationViews({ clock }),
    // Request deadlines and the watchdog far beyond what the tests advance: only the timers under test fire.
    bayeux: { holdMs: 60_000, requestTimeoutMs: 3600_000, graceMs: 3600_000 },
    log: () => undefined,
    ...settings,
  });
  return registry;
}

const session: SessionData = {
  v: 1,
  auth: { scheme: "basic", credentials: Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64") },
  username: "admin",
  tenant: TENANT,
  roles: ["ROLE_INVENTORY_READ", "ROLE_DEVICE_CONTROL_READ"],
  get platformUrl() {
    return proxy.url;
  },
  expiresAt: Date.now() + 3600_000,
};

/** One tab's stream, opened the way the route opens it. */
function open(topics: string[], lastEventId?: string) {
  const hub = registry.acquire(session) as LiveHub;
  const { body, abort } = createSseStream({
    topics: new Set(topics as never[]),
    maxQueuedBytes: registry.settings.maxQueuedBytes,
    onOpen: (sink) => hub.attach(sink, lastEventId),
    onClose: (sink) => registry.release(hub, sink),
  });
  return { hub, abort, reader: new SseReader(body) };
}

const connected = (r: SseReader) => r.event("upstream.changed", (f) => f.data.state === "connected");
const requestsSince = (mark: number, match: (r: ProxiedRequest) => boolean) =>
  proxy.requests.all.slice(mark).filter(match);
const bayeux = (r: ProxiedRequest) => r.path.startsWith("/notification/realtime");
const subscribesTo =
  (channel: string, meta = "/meta/subscribe") =>
  (r: ProxiedRequest) =>
    r.messages.some((m) => m.channel === meta && m.subscription === channel);

async function createOperation() {
  return rest(p, "POST", "/devicecontrol/operations", { deviceId: device, c8y_Restart: {} });
}
const setStatus = (id: string, status: string) =>
  rest(p, "PUT", `/devicecontrol/operations/${id}`, { status });

describe("one subscriber per credential", () => {
  it("serves many streams from one upstream session and counts channels across them", async () => {
    newRegistry();
    const mark = proxy.requests.all.length;
    const a = open(["operations:*"]);
    const b = open(["operations:*"]);
    const c = open([`operations:${device}`]);
    await Promise.all([connected(a.reader), connected(b.reader), connected(c.reader)]);
    expect(a.hub).toBe(b.hub);
    expect(a.hub).toBe(c.hub);
    expect(requestsSince(mark, carries("/meta/handshake"))).toHaveLength(1);
    expect(requestsSince(mark, subscribesTo("/operations/*"))).toHaveLength(1);
    expect(requestsSince(mark, subscribesTo(`/operations/${device}`))).toHaveLength(1);

    const op = await createOperation();
    const seen = await Promise.all(
      [a, b, c].map((s) => s.reader.event("operation.created", (f) => f.data.operation.id === op.id)),
    );
    // One upstream delivery, one event id for all streams.
    expect(new Set(seen.map((f) => f.id)).size).toBe(1);

    const unsubscribed = (channel: string) =>
      proxy.requests.next((r) => subscribesTo(channel, "/meta/unsubscribe")(r));
    // A channel nobody wants any more lingers a while (a reconnecting tab resumes without a refetch).
    c.abort();
    await clock.waitForTimer((d) => d === LINGER_MS);
    clock.advance(LINGER_MS);
    await unsubscribed(`/operations/${device}`);
    a.abort();
    clock.advance(LINGER_MS);
    b.abort();
    expect(requestsSince(mark, subscribesTo("/operations/*", "/meta/unsubscribe"))).toHaveLength(0);
    clock.advance(LINGER_MS);
    await unsubscribed("/operations/*");
    expect(requestsSince(mark, subscribesTo("/operations/*", "/meta/unsubscribe"))).toHaveLength(1);
    expect(registry.stats()).toMatchObject([{ streams: 0, idle: true }]);
  });

  it("stops the subscriber a while after the last stream closed, unless a stream comes back first", async () => {
    newRegistry();
    const a = open(["devices:*"]);
    await connected(a.reader);
    const label = registry.stats()[0]!.label;
    const clientId = (await sessionsOpened.next()).clientId;
    a.abort();

    clock.advance(IDLE_MS - 1);
    const back = open(["devices:*"]);
    await connected(back.reader);
    expect(registry.stats()).toMatchObject([{ label, streams: 1, idle: false }]);
    back.abort();

    clock.advance(IDLE_MS - 1);
    expect(registry.stats()).toHaveLength(1);
    clock.advance(1);
    expect(registry.stats()).toEqual([]);
    expect(await sessionsClosed.next((e) => e.clientId === clientId)).toMatchObject({
      reason: "disconnected",
    });
  });
});

describe("no transition is lost", () => {
  it("re-handshakes after 402, resubscribes, and reconciles what changed while the session was gone", async () => {
    newRegistry();
    const before = await createOperation(); // in flight before the subscriber existed: learned by seeding
    const s = open(["operations:*", "devices:*"]);
    await connected(s.reader);
    await s.reader.event("resync", (f) => f.data.reason === "initial");
    const clientId = (await sessionsOpened.next()).clientId;
    await s.hub.settled();

    const op1 = await createOperation();
    await s.reader.event("operation.created", (f) => f.data.operation.id === op1.id);

    // The session dies, and the new handshake is held at the proxy while things change on the platform.
    const mark = proxy.requests.all.length;
    proxy.decide = (r) => (carries("/meta/handshake")(r) ? "hold" : "forward");
    p.realtime.dropSession(clientId);
    await proxy.requests.next((r) => proxy.requests.all.indexOf(r) >= mark && carries("/meta/handshake")(r));
    await s.reader.event("upstream.changed", (f) => f.data.state === "reconnecting");
    await setStatus(op1.id, "EXECUTING");
    await setStatus(before.id, "EXECUTING");
    await setStatus(before.id, "SUCCESSFUL");
    const op2 = await createOperation();
    await setStatus(op2.id, "EXECUTING");
    await setStatus(op2.id, "FAILED");
    await rest(p, "PUT", `/inventory/managedObjects/${device}`, { c8y_Notes: "changed while away" });

    proxy.decide = () => "forward";
    proxy.release();
    await connected(s.reader);
    expect(await s.reader.event("resync")).toMatchObject({
      data: { reason: "upstream", topics: ["devices:*"] },
    });
    const resub = await proxy.requests.next(
      (r) => proxy.requests.all.indexOf(r) >= mark && subscribesTo("/operations/*")(r),
    );
    expect(resub.messages.map((m) => m.subscription).sort()).toEqual(["/managedobjects/*", "/operations/*"]);

    const changed = (id: string) =>
      s.reader.event(undefined, (f) => f.event!.startsWith("operation.") && f.data.operation?.id === id);
    expect(await changed(op1.id)).toMatchObject({
      event: "operation.updated",
      data: { operation: { status: "EXECUTING" } },
    });
    expect(await changed(before.id)).toMatchObject({
      event: "operation.updated",
      data: { operation: { status: "SUCCESSFUL" } },
    });
    expect(await changed(op2.id)).toMatchObject({
      event: "operation.created",
      data: { operation: { status: "FAILED" } },
    });
    await s.hub.settled();
    // Live again: the next transition arrives exactly once.
    await setStatus(op1.id, "SUCCESSFUL");
    expect(await changed(op1.id)).toMatchObject({ data: { operation: { status: "SUCCESSFUL" } } });
    expect(s.reader.pendingEvents().filter((f) => f.data?.operation?.id === op1.id)).toEqual([]);
  });
});

describe("operations as the REST routes answer them", () => {
  it("publishes the same OperationDto as GET /api/operations/[id]", async () => {
    newRegistry();
    const s = open([`operations:${device}`]);
    await connected(s.reader);
    const op = await createOperation();
    await s.reader.event("operation.created", (f) => f.data.operation.id === op.id);
    await setStatus(op.id, "EXECUTING");
    const executing = await s.reader.event("operation.updated", (f) => f.data.operation.id === op.id);
    const platform = createPlatformClient({ auth: session.auth, requestId: "hub-test" });
    expect(executing.data.operation).toEqual(await getOperation(platform, op.id));
  });

  it("sends operation streams a resync when the reconciliation after a lost session is incomplete", async () => {
    // Two operations in flight, read one per page: the reconciliation cannot see them all.
    const logged: string[] = [];
    newRegistry({ reconcile: { pageSize: 1, maxPages: 1 }, log: (line) => logged.push(line) });
    const busy = (await rest(p, "POST", "/inventory/managedObjects", { name: "Busy", c8y_IsDevice: {} })).id;
    for (let i = 0; i < 2; i++)
      await rest(p, "POST", "/devicecontrol/operations", { deviceId: busy, c8y_Restart: {} });
    const s = open([`operations:${busy}`]);
    await connected(s.reader);
    await s.reader.event("resync", (f) => f.data.reason === "initial");
    const clientId = (await sessionsOpened.next()).clientId;
    await s.hub.settled();

    p.realtime.dropSession(clientId);
    expect(await s.reader.event("resync")).toMatchObject({
      id: `${s.hub.epoch}.${s.hub.counters.published}`,
      data: { reason: "upstream", topics: [`operations:${busy}`] },
    });
    expect(s.hub.counters.reconciliations).toBe(1);
    // Incomplete, not failed: the reconciliation logged no failure.
    await s.hub.settled();
    expect(logged.filter((line) => line.includes("reconciliation"))).toEqual([]);
  });
});

describe("registrations", () => {
  it("polls once per credential however many tabs follow registrations, and announces differences", async () => {
    newRegistry();
    const a = open(["registrations"]);
    const b = open(["registrations"]);
    await Promise.all([connected(a.reader), connected(b.reader)]);
    const listing = (r: ProxiedRequest) => r.path.startsWith("/devicecontrol/newDeviceRequests");
    const mark = proxy.requests.all.length;

    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id: "live-reg-1" });
    clock.advance(POLL_MS);
    const [ea, eb] = await Promise.all([
      a.reader.event("registration.changed"),
      b.reader.event("registration.changed"),
    ]);
    expect(ea.data).toEqual({
      changes: [{ id: "live-reg-1", status: "WAITING_FOR_CONNECTION" }],
      truncated: false,
    });
    expect(eb.id).toBe(ea.id);
    expect(requestsSince(mark, listing)).toHaveLength(1);

    const knock = await p.request("/devicecontrol/deviceCredentials", {
      method: "POST",
      auth: p.bootstrap,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ id: "live-reg-1" }),
    });
    expect(knock.status).toBe(404);
    await clock.waitForTimer((d) => d === POLL_MS);
    clock.advance(POLL_MS);
    expect((await a.reader.event("registration.changed")).data.changes).toEqual([
      { id: "live-reg-1", status: "PENDING_ACCEPTANCE" },
    ]);

    await rest(p, "DELETE", "/devicecontrol/newDeviceRequests/live-reg-1");
    await clock.waitForTimer((d) => d === POLL_MS);
    clock.advance(POLL_MS);
    expect((await a.reader.event("registration.changed")).data.changes).toEqual([
      { id: "live-reg-1", status: null },
    ]);
    expect(requestsSince(mark, bayeux)).toEqual([]);
  });

  it("announces a request registered again between two polls, even back in the status it had", async () => {
    newRegistry();
    const a = open(["registrations"]);
    await connected(a.reader);
    const knock = () =>
      p.request("/devicecontrol/deviceCredentials", {
        method: "POST",
        auth: p.bootstrap,
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ id: "live-reg-2" }),
      });
    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id: "live-reg-2" });
    await knock();
    clock.advance(POLL_MS);
    expect((await a.reader.event("registration.changed")).data.changes).toEqual([
      { id: "live-reg-2", status: "PENDING_ACCEPTANCE" },
    ]);

    // Before the next poll: removed, registered again a little later, and the device knocks again.
    await rest(p, "DELETE", "/devicecontrol/newDeviceRequests/live-reg-2");
    platformSkewMs += 1000;
    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id: "live-reg-2" });
    await knock();
    await clock.waitForTimer((d) => d === POLL_MS);
    clock.advance(POLL_MS);
    // The same status as at the last poll, but another request: the tab must read the list again.
    expect((await a.reader.event("registration.changed")).data.changes).toEqual([
      { id: "live-reg-2", status: "PENDING_ACCEPTANCE" },
    ]);
  });
});
