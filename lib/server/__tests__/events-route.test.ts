// GET /api/events: the exported handler called with Web Requests, against a real emulator. Time (heartbeats,
// idle stop, refusal cool-down) moves only when a test advances the registry's clock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as events } from "@/app/api/events/route";
import type { LiveTopic } from "@/lib/schemas/events";
import { assertTopicsAllowed } from "@/lib/server/realtime/event-stream";
import { LiveHubRegistry, setLiveHubs } from "@/lib/server/realtime/registry";
import type { SessionData } from "@/lib/server/session";
import { TENANT, startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import { Inbox, ManualClock, SseReader, rest } from "../realtime/__tests__/support";
import { ORIGIN, SESSION_PASSWORD, signIn } from "./support.js";

let p: TestPlatform;
let cookie: string;
let device: string;
let clock: ManualClock;
let registry: LiveHubRegistry;
let previous: LiveHubRegistry | undefined;
let sessionsOpened = new Inbox<{ clientId: string; username: string }>();
const sessionsClosed = new Inbox<{ clientId: string; reason: string }>();
const savedEnv = { base: process.env.C8Y_BASEURL, password: process.env.SESSION_PASSWORD };

const HEARTBEAT_MS = 15_000;
const IDLE_MS = 30_000;
const COOLDOWN_MS = 60_000;

beforeAll(async () => {
  p = await startTestPlatform();
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  p.realtime.events.on("session-opened", (e) => sessionsOpened.push(e));
  p.realtime.events.on("session-closed", (e) => sessionsClosed.push(e));
  cookie = (await signIn(login)).cookie;
  device = (await rest(p, "POST", "/inventory/managedObjects", { name: "Pump", c8y_IsDevice: {} })).id;
});
beforeEach(() => {
  sessionsOpened = new Inbox();
  useRegistry({});
});
afterEach(async () => {
  await registry.close();
});
afterAll(async () => {
  if (previous) setLiveHubs(previous);
  process.env.C8Y_BASEURL = savedEnv.base;
  process.env.SESSION_PASSWORD = savedEnv.password;
  await p.close();
});

function useRegistry(settings: Partial<ConstructorParameters<typeof LiveHubRegistry>[0]>) {
  clock = new ManualClock();
  registry = new LiveHubRegistry({
    clock,
    heartbeatMs: HEARTBEAT_MS,
    idleMs: IDLE_MS,
    refusedCooldownMs: COOLDOWN_MS,
    lingerMs: IDLE_MS,
    // Request deadlines and the watchdog far beyond what the tests advance: only the timers under test fire.
    bayeux: { holdMs: 60_000, requestTimeoutMs: 3600_000, graceMs: 3600_000 },
    log: () => undefined,
    ...settings,
  });
  const old = setLiveHubs(registry);
  previous ??= old;
}

interface OpenOptions {
  topics?: string;
  lastEventId?: string;
  query?: string;
  cookie?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function open(options: OpenOptions = {}) {
  const params = new URLSearchParams();
  if (options.topics !== undefined) params.set("topics", options.topics);
  const query = options.query ?? params.toString();
  const headers = new Headers(options.headers);
  const c = options.cookie === undefined ? cookie : options.cookie;
  if (c) headers.set("cookie", c);
  if (options.lastEventId) headers.set("last-event-id", options.lastEventId);
  const req = new Request(`${ORIGIN}/api/events${query ? `?${query}` : ""}`, {
    headers,
    signal: options.signal,
  });
  return { res: await events(req, { params: Promise.resolve({}) }) };
}

/** Opens a stream and starts reading it as an EventSource would. */
async function openOk(options: OpenOptions = {}) {
  const { res } = await open(options);
  if (!res.ok || !res.body) throw new Error(`stream not opened: ${res.status} ${await res.text()}`);
  return { res, reader: new SseReader(res.body) };
}

const connected = (r: SseReader) => r.event("upstream.changed", (f) => f.data.state === "connected");
const createOperation = () =>
  rest(p, "POST", "/devicecontrol/operations", { deviceId: device, c8y_Restart: {} });
const setStatus = (id: string, status: string) =>
  rest(p, "PUT", `/devicecontrol/operations/${id}`, { status });
const seqOf = (id: string | undefined) => Number(id!.split(".")[1]);

describe("opening a stream", () => {
  it("answers text/event-stream that is not cached or transformed, with a retry hint and the upstream state", async () => {
    const { res, reader } = await openOk({ topics: "operations:*,devices:*" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-store, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("x-request-id")).toBeTruthy();

    expect(await reader.frames.next()).toEqual({ retry: 2000 });
    expect(await reader.event()).toEqual({ event: "upstream.changed", data: { state: "connecting" } });
    expect(await reader.event()).toEqual({ event: "upstream.changed", data: { state: "connected" } });
    // The page's data was fetched before the subscription existed: the client refetches once it is live.
    const resync = await reader.event();
    expect(resync).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}\.0$/),
      event: "resync",
      data: { reason: "initial", topics: ["devices:*", "operations:*"] },
    });
  });

  it.each([
    ["no session", { cookie: null }, 401, "unauthenticated"],
    ["an unknown topic", { topics: "alarms:*" }, 422, "invalid_input"],
    ["a bad id", { topics: "devices:a/b" }, 422, "invalid_input"],
    [
      "another site",
      { topics: "devices:*", headers: { "sec-fetch-site": "cross-site" } },
      403,
      "cross_site_refused",
    ],
  ] as const)("refuses %s with the error envelope", async (_name, options, status, code) => {
    const { res } = await open(options);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect((await res.json()).error.code).toBe(code);
    expect(registry.stats()).toEqual([]);
  });

  it("refuses topics the operator's roles do not cover", () => {
    const session: SessionData = {
      v: 1,
      auth: { scheme: "bearer", token: "t" },
      username: "reader",
      tenant: TENANT,
      roles: ["ROLE_INVENTORY_READ"],
      platformUrl: p.url,
      expiresAt: Date.now() + 60_000,
    };
    expect(() => assertTopicsAllowed(session, ["devices:*"])).not.toThrow();
    for (const topic of ["operations:*", "registrations"] as LiveTopic[])
      expect(() => assertTopicsAllowed(session, [topic])).toThrow(expect.objectContaining({ status: 403 }));
  });
});

describe("ids and replay", () => {
  it("numbers events and replays what a reconnecting client missed after its Last-Event-ID", async () => {
    const controller = new AbortController();
    const first = await openOk({ topics: "operations:*", signal: controller.signal });
    await connected(first.reader);
    const op = await createOperation();
    const e1 = await first.reader.event("operation.created");
    await setStatus(op.id, "EXECUTING");
    const e2 = await first.reader.event("operation.updated");
    await setStatus(op.id, "SUCCESSFUL");
    const e3 = await first.reader.event("operation.updated");
    expect(e1.data.operation).toMatchObject({ id: op.id, deviceId: device, status: "PENDING" });
    expect([e2, e3].map((e) => e.data.operation.status)).toEqual(["EXECUTING", "SUCCESSFUL"]);
    expect(seqOf(e2.id)).toBeGreaterThan(seqOf(e1.id));
    expect(seqOf(e3.id)).toBeGreaterThan(seqOf(e2.id));
    controller.abort();
    expect(await first.reader.end).toBe("closed");

    // The browser reconnects with the id of the last event it saw.
    const again = await openOk({ topics: "operations:*", lastEventId: e1.id });
    expect(await again.reader.event()).toEqual(e2);
    expect(await again.reader.event()).toEqual(e3);
    expect(await again.reader.event()).toMatchObject({
      event: "upstream.changed",
      data: { state: "connected" },
    });
    const next = await createOperation();
    expect(await again.reader.event()).toMatchObject({
      event: "operation.created",
      data: { operation: { id: next.id } },
    });

    // The same resume point can be given as a query parameter (a tab that swaps its topics).
    const swapped = await openOk({ query: `topics=operations:*&lastEventId=${e2.id}` });
    expect(await swapped.reader.event()).toEqual(e3);
  });

  it("replays only the events of the stream's own topics", async () => {
    const other = (await rest(p, "POST", "/inventory/managedObjects", { name: "Fan", c8y_IsDevice: {} })).id;
    const all = await openOk({ topics: `operations:*` });
    await connected(all.reader);
    const mine = await openOk({ topics: `operations:${device}` });
    await connected(mine.reader);
    const start = (await mine.reader.event("resync")).id!;
    await rest(p, "POST", "/devicecontrol/operations", { deviceId: other, c8y_Restart: {} });
    const op = await createOperation();
    await all.reader.event("operation.created", (f) => f.data.operation.id === op.id);

    const resumed = await openOk({ topics: `operations:${device}`, lastEventId: start });
    const replayed = await resumed.reader.event();
    expect(replayed).toMatchObject({ event: "operation.created", data: { operation: { id: op.id } } });
  });

  it("sends resync when Last-Event-ID is older than the buffer or from another subscriber", async () => {
    await registry.close();
    useRegistry({ replayEvents: 2 });
    const s = await openOk({ topics: "operations:*" });
    await connected(s.reader);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      await createOperation();
      ids.push((await s.reader.event("operation.created")).id!);
    }

    const old = await openOk({ topics: "operations:*", lastEventId: ids[0] });
    const gap = await old.reader.event("resync");
    expect(gap).toEqual({ id: ids[3], event: "resync", data: { reason: "gap", topics: ["operations:*"] } });
    expect(old.reader.pendingEvents().filter((f) => f.event === "operation.created")).toEqual([]);

    const foreign = await openOk({ topics: "operations:*", lastEventId: "0badcafe.3" });
    expect(await foreign.reader.event("resync")).toMatchObject({ id: ids[3], data: { reason: "restart" } });

    // After a resync the client resumes from the id the resync carried: nothing to replay, nothing to refetch.
    const resumed = await openOk({ topics: "operations:*", lastEventId: gap.id });
    expect(await resumed.reader.event()).toMatchObject({
      event: "upstream.changed",
      data: { state: "connected" },
    });
    const op = await createOperation();
    expect(await resumed.reader.event()).toMatchObject({
      event: "operation.created",
      data: { operation: { id: op.id } },
    });
  });
});

describe("keeping streams healthy", () => {
  it("writes a comment heartbeat while a stream is quiet", async () => {
    const { reader } = await openOk({ topics: "devices:*" });
    await connected(reader);
    clock.advance(HEARTBEAT_MS - 1);
    clock.advance(1);
    expect(await reader.frames.next((f) => f.comment !== undefined)).toEqual({ comment: "keep-alive" });
    clock.advance(HEARTBEAT_MS);
    expect(await reader.frames.next((f) => f.comment !== undefined)).toEqual({ comment: "keep-alive" });
  });

  it("cleans up when the client disconnects, and ends the upstream session after the idle time", async () => {
    const controller = new AbortController();
    const { reader } = await openOk({ topics: "devices:*", signal: controller.signal });
    await connected(reader);
    const { clientId } = await sessionsOpened.next();
    expect(registry.stats()).toMatchObject([{ streams: 1, idle: false }]);
    controller.abort();
    expect(await reader.end).toBe("closed");
    expect(registry.stats()).toMatchObject([{ streams: 0, idle: true }]);
    clock.advance(IDLE_MS);
    expect(registry.stats()).toEqual([]);
    expect(await sessionsClosed.next((e) => e.clientId === clientId)).toMatchObject({
      reason: "disconnected",
    });
  });

  it("ends the stream when the session expires, so the browser's reconnect meets the expired cookie", async () => {
    const { reader } = await openOk({ topics: "devices:*" });
    await connected(reader);
    // The only timer far in the future is the session's end (heartbeats come every 15 s).
    const untilExpiry = Math.max(...clock.pending());
    expect(untilExpiry).toBeGreaterThan(60_000);
    clock.advance(untilExpiry - 1);
    expect(registry.stats()).toMatchObject([{ streams: 1 }]);
    clock.advance(1);
    expect(await reader.end).toBe("closed");
    expect(registry.stats()).toMatchObject([{ streams: 0 }]);
  });

  it("drops a client that does not read instead of buffering for it without bound", async () => {
    await registry.close();
    useRegistry({ maxQueuedBytes: 4096 });
    const fast = await openOk({ topics: "operations:*" });
    const slow = await open({ topics: "operations:*" }); // its body is not read until the end
    await connected(fast.reader);
    const ops: string[] = [];
    for (let i = 0; i < 20; i++) ops.push((await createOperation()).id);
    for (const id of ops) await fast.reader.event("operation.created", (f) => f.data.operation.id === id);

    expect(registry.stats()).toMatchObject([{ streams: 1, counters: { dropped: 1 } }]);
    const late = new SseReader(slow.res.body!);
    expect(await late.end).toBe("errored");
    expect(late.frames.all).toEqual([]);
  });
});

describe("refused credentials", () => {
  it("ends the session with session.ended, then answers 401 without asking the platform again", async () => {
    await p.platform.ctx.users.upsert(TENANT, "operator3", "operator3-password", "admin");
    const operator = (await signIn(login, { username: "operator3", password: "operator3-password" })).cookie;
    const { reader } = await openOk({ topics: "operations:*", cookie: operator });
    await connected(reader);
    expect((await sessionsOpened.next()).username).toBe("operator3");

    p.platform.ctx.users.delete(TENANT, "operator3");
    await createOperation(); // completes the held connect; the next one is refused
    expect(await reader.event("session.ended")).toEqual({
      event: "session.ended",
      data: { reason: "credentials_refused" },
    });
    expect(await reader.end).toBe("closed");

    const again = await open({ topics: "operations:*", cookie: operator });
    expect(again.res.status).toBe(401);
    expect((await again.res.json()).error.code).toBe("unauthenticated");
    expect(again.res.headers.get("set-cookie")).toMatch(/^c8y-console=;/);
    expect(registry.stats()).toEqual([]);
    await registry.settled();
    expect(clock.pending()).toEqual([]);
    expect(sessionsOpened.untaken()).toEqual([]);

    // After the cool-down one attempt is made again (the operator may have been re-created meanwhile).
    clock.advance(COOLDOWN_MS);
    const later = await openOk({ topics: "operations:*", cookie: operator });
    expect(await later.reader.event("session.ended")).toMatchObject({
      data: { reason: "credentials_refused" },
    });
    expect(sessionsOpened.untaken()).toEqual([]);
  });
});
