// The shared Bayeux client against the real emulator, with a loopback proxy to watch the wire and to break it on
// purpose, and a hand-driven clock for back-off and watchdog (no test waits for real time to pass).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  TENANT,
  basic,
  startTestPlatform,
  type TestPlatform,
} from "../../../tests/support/platform.js";
import { freePort } from "../../../tests/support/emulator-process.js";
import { BayeuxClient, type BayeuxClientEvent, type BayeuxClientOptions } from "../client";
import {
  Inbox,
  ManualClock,
  carries,
  rest,
  startTestProxy,
  type ProxiedRequest,
  type TestProxy,
} from "../../server/realtime/__tests__/support";

let p: TestPlatform;
let proxy: TestProxy;
let device: string;
const clients: BayeuxClient[] = [];
/** Sessions the emulator opened during the current test. */
let sessionsOpened = new Inbox<{ clientId: string; username: string }>();

beforeAll(async () => {
  p = await startTestPlatform();
  proxy = await startTestProxy(p.url);
  p.realtime.events.on("session-opened", (e) => sessionsOpened.push(e));
  device = (await rest(p, "POST", "/inventory/managedObjects", { name: "Pump", c8y_IsDevice: {} })).id;
});
beforeEach(() => {
  sessionsOpened = new Inbox();
});
afterEach(async () => {
  proxy.decide = () => "forward";
  proxy.release();
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await proxy.close();
  await p.close();
});

const HOLD_MS = 60_000;
const GRACE_MS = 1_000;
const adminToken = Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64");

function makeClient(options: Partial<BayeuxClientOptions> & { authorization?: string | null } = {}) {
  const clock = new ManualClock();
  const events = new Inbox<BayeuxClientEvent>();
  const { authorization = p.admin, ...rest } = options;
  const client = new BayeuxClient({
    url: `${proxy.url}/notification/realtime`,
    headers: (): Record<string, string> => (authorization ? { authorization } : {}),
    handshakeExt: () => ({ "com.cumulocity.authn": { token: adminToken } }),
    clock,
    holdMs: HOLD_MS,
    graceMs: GRACE_MS,
    // Waits at their nominal value unless a test looks at the jitter.
    random: () => 1,
    onEvent: (e) => events.push(e),
    ...rest,
  });
  clients.push(client);
  return { client, clock, events };
}

/** Requests recorded from now on (earlier ones are ignored). */
function from(mark: number, match: (r: ProxiedRequest) => boolean) {
  return (r: ProxiedRequest) => proxy.requests.all.indexOf(r) >= mark && match(r);
}

const isSession = (gap: boolean) => (e: BayeuxClientEvent) => e.type === "session" && e.gap === gap;

async function createOperation(deviceId = device) {
  return rest(p, "POST", "/devicecontrol/operations", { deviceId, description: "Restart", c8y_Restart: {} });
}

describe("session set-up", () => {
  it("handshakes with Accept, the Authorization header and the ext credential, then subscribes in one batch", async () => {
    const mark = proxy.requests.all.length;
    const { client, events } = makeClient();
    client.subscribe("/operations/*");
    client.subscribe(`/managedobjects/${device}`);
    client.start();
    expect(await events.next((e) => e.type === "session")).toEqual({
      type: "session",
      gap: false,
      since: undefined,
    });
    expect(client.status).toBe("connected");

    const hs = await proxy.requests.next(from(mark, carries("/meta/handshake")));
    expect(hs.headers.accept).toBe("application/json");
    expect(hs.headers.authorization).toBe(p.admin);
    expect(hs.messages).toEqual([
      expect.objectContaining({
        channel: "/meta/handshake",
        version: "1.0",
        supportedConnectionTypes: ["long-polling"],
        advice: { timeout: HOLD_MS, interval: 0 },
        ext: { "com.cumulocity.authn": { token: adminToken } },
      }),
    ]);
    const sub = await proxy.requests.next(from(mark, carries("/meta/subscribe")));
    expect(sub.messages.map((m) => m.subscription)).toEqual(["/operations/*", `/managedobjects/${device}`]);
    expect(sub.headers.accept).toBe("application/json");
    expect([...client.subscribed].sort()).toEqual([`/managedobjects/${device}`, "/operations/*"]);
    // The first connect asks for an immediate answer, the next one for the configured hold.
    const connects = proxy.requests.all.slice(mark).filter(carries("/meta/connect"));
    expect(connects[0]!.messages[0].advice).toEqual({ timeout: 0, interval: 0 });
    const held = await proxy.requests.next(
      from(mark, (r) => carries("/meta/connect")(r) && r.messages[0].advice.timeout === HOLD_MS),
    );
    expect(held.messages[0]).toMatchObject({ connectionType: "long-polling" });
  });

  it("delivers what arrives on subscribed channels, and follows subscription changes while connected", async () => {
    const { client, events } = makeClient();
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));

    const op = await createOperation();
    expect(await events.next((e) => e.type === "message")).toEqual({
      type: "message",
      channel: `/operations/${device}`,
      data: {
        realtimeAction: "CREATE",
        data: expect.objectContaining({ id: op.id, deviceId: device, status: "PENDING" }),
      },
    });

    client.subscribe("/managedobjects/*");
    await events.next((e) => e.type === "subscriptions" && e.active.has("/managedobjects/*"));
    await rest(p, "PUT", `/inventory/managedObjects/${device}`, { c8y_Firmware: { version: "2.0" } });
    const moved = await events.next((e) => e.type === "message" && e.channel.startsWith("/managedobjects/"));
    expect(moved).toMatchObject({ data: { realtimeAction: "UPDATE", data: { id: device } } });

    const mark = proxy.requests.all.length;
    client.unsubscribe("/managedobjects/*");
    await events.next((e) => e.type === "subscriptions" && !e.active.has("/managedobjects/*"));
    const unsub = await proxy.requests.next(from(mark, carries("/meta/unsubscribe")));
    expect(unsub.messages[0]).toMatchObject({ subscription: "/managedobjects/*" });
  });

  it("carries an agent's new operations on /notification/operations: the bare operation on /<agentId>", async () => {
    // The simulated agents' use: a fixed channel subscribed before start, deliveries without a wrapper.
    const agent = (
      await rest(p, "POST", "/inventory/managedObjects", {
        name: "Gateway",
        c8y_IsDevice: {},
        com_cumulocity_model_Agent: {},
      })
    ).id;
    const { client, events } = makeClient({ url: `${proxy.url}/notification/operations` });
    client.subscribe(`/${agent}`);
    client.start();
    await events.next(isSession(false));
    expect([...client.subscribed]).toEqual([`/${agent}`]);
    const op = await createOperation(agent);
    expect(await events.next((e) => e.type === "message")).toEqual({
      type: "message",
      channel: `/${agent}`,
      data: expect.objectContaining({ id: op.id, deviceId: agent, status: "PENDING", c8y_Restart: {} }),
    });
  });

  it("reports a refused subscription once and does not ask for that channel again", async () => {
    const { client, events } = makeClient();
    client.subscribe("/operations/*");
    client.subscribe("/alarms/*");
    client.start();
    expect(await events.next((e) => e.type === "subscribe-failed")).toEqual({
      type: "subscribe-failed",
      channel: "/alarms/*",
      error: expect.stringMatching(/^403:/),
    });
    await events.next(isSession(false));
    expect([...client.subscribed]).toEqual(["/operations/*"]);
    const mark = proxy.requests.all.length;
    client.subscribe("/managedobjects/*");
    await events.next((e) => e.type === "subscriptions" && e.active.has("/managedobjects/*"));
    const sub = await proxy.requests.next(from(mark, carries("/meta/subscribe")));
    expect(sub.messages.map((m) => m.subscription)).toEqual(["/managedobjects/*"]);
  });

  it("says goodbye with /meta/disconnect when stopped", async () => {
    const { client, events } = makeClient();
    client.start();
    await events.next(isSession(false));
    const opened = await sessionsOpened.next();
    const closed = new Promise((resolve) =>
      p.realtime.events.on("session-closed", (e) => e.clientId === opened.clientId && resolve(e.reason)),
    );
    await client.stop();
    expect(await closed).toBe("disconnected");
    expect(client.status).toBe("stopped");
  });
});

describe("recovery", () => {
  it("re-handshakes at once on 402, subscribes again and reports a gap since the last good contact", async () => {
    const { client, events, clock } = makeClient();
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));
    const first = await sessionsOpened.next();

    const mark = proxy.requests.all.length;
    expect(p.realtime.dropSession(first.clientId)).toBe(true);
    const again = await events.next(isSession(true));
    expect(again).toEqual({ type: "session", gap: true, since: expect.any(Number) });
    // Platform time (the Date header) of the last good connect reply, not the console's clock.
    if (again.type === "session") expect(Math.abs(again.since! - Date.now())).toBeLessThan(60_000);
    expect(clock.pending().every((delay) => delay > GRACE_MS)).toBe(true);
    const resub = await proxy.requests.next(from(mark, carries("/meta/subscribe")));
    expect(resub.messages[0].subscription).toBe("/operations/*");
    const second = await sessionsOpened.next();
    expect(second.clientId).not.toBe(first.clientId);

    const op = await createOperation();
    const delivered = await events.next((e) => e.type === "message");
    expect(delivered).toMatchObject({ data: { data: { id: op.id } } });
  });

  it("abandons a long-poll that neither answers nor keeps alive (watchdog) and starts a new session", async () => {
    const { client, events, clock } = makeClient();
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));
    await sessionsOpened.next();

    // From now on the proxy swallows the next connect: the TCP connection stays open, nothing ever comes back.
    let swallow = true;
    proxy.decide = (r) => (swallow && carries("/meta/connect")(r) ? "blackhole" : "forward");
    const mark = proxy.requests.all.length;
    await createOperation(); // answers the held connect, so the client sends the next one
    await proxy.requests.next(from(mark, carries("/meta/connect")));
    swallow = false;

    const watchdog = HOLD_MS + GRACE_MS;
    await clock.waitForTimer((d) => d === watchdog);
    clock.advance(watchdog - 1);
    expect(client.status).toBe("connected");
    clock.advance(1);
    expect(await events.next(isSession(true))).toMatchObject({ gap: true });
    expect((await sessionsOpened.next()).username).toBe("admin");
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/handshake"))).toHaveLength(1);
  });

  it("resets a keep-alive watchdog with every chunk of a long-poll (leading spaces are the platform's heartbeat)", async () => {
    // A stand-in for the platform's 10-minute keep-alive: the reply trickles in, each chunk within the deadline.
    const clock = new ManualClock();
    const events = new Inbox<BayeuxClientEvent>();
    let connects = 0;
    const writers: WritableStreamDefaultWriter<Uint8Array>[] = [];
    const encoder = new TextEncoder();
    const fakeFetch = (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const [{ advice: _asked, ...message }] = JSON.parse(init?.body as string) as [
        { channel: string; id: string; advice?: unknown },
      ];
      const reply = (body: unknown) =>
        Promise.resolve(
          new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } }),
        );
      if (message.channel === "/meta/handshake")
        return reply([{ ...message, successful: true, clientId: "c1", advice: { timeout: 600_000 } }]);
      if (message.channel !== "/meta/connect") return reply([{ ...message, successful: true }]);
      connects += 1;
      if (connects === 1) return reply([{ ...message, successful: true }]);
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const writer = writable.getWriter();
      writers.push(writer);
      init?.signal?.addEventListener("abort", () => void writer.abort().catch(() => undefined));
      writer.write(encoder.encode(" ")).catch(() => undefined);
      return Promise.resolve(new Response(readable, { headers: { "content-type": "application/json" } }));
    };
    const client = new BayeuxClient({
      url: "http://platform.invalid/notification/realtime",
      headers: () => ({ authorization: p.admin }),
      clock,
      keepAliveMs: 10_000,
      graceMs: 2_000,
      fetch: fakeFetch,
      onEvent: (e) => events.push(e),
    });
    clients.push(client);
    client.start();
    await events.next(isSession(false));
    await clock.waitForTimer((d) => d === 12_000);
    for (let i = 0; i < 3; i++) {
      clock.advance(11_000);
      await writers[0]!.write(encoder.encode(" "));
      await clock.waitForTimer((d) => d === 12_000);
    }
    expect(client.status).toBe("connected");
    expect(connects).toBe(2);
    clock.advance(12_000);
    await events.next((e) => e.type === "status" && e.status === "reconnecting");
  });

  it("backs off after answers it cannot use (5xx), doubling, and reports the possible gap once it is back", async () => {
    const { client, events, clock } = makeClient({ backoffMs: 500 });
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));

    let fail = true;
    proxy.decide = (r) => (fail && carries("/meta/connect")(r) ? { status: 503 } : "forward");
    const mark = proxy.requests.all.length;
    await createOperation();
    await events.next((e) => e.type === "status" && e.status === "reconnecting");
    for (const wait of [500, 1_000, 2_000]) {
      await clock.waitForTimer((d) => d === wait);
      clock.advance(wait);
    }
    await clock.waitForTimer((d) => d === 4_000);
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/connect"))).toHaveLength(4);
    fail = false;
    clock.advance(4_000);
    // Same session (the server still knows it), but deliveries may have been lost with the failed reply.
    expect(await events.next(isSession(true))).toMatchObject({ gap: true });
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/handshake"))).toHaveLength(0);
  });
});

describe("coming back after an outage", () => {
  it("probes a platform that does not answer at short, jittered intervals that stop growing at 1 s", async () => {
    const closed = await freePort(); // nothing listens there: every attempt is refused at once
    const lines: string[] = [];
    const { client, events, clock } = makeClient({
      url: `http://127.0.0.1:${closed}/notification/realtime`,
      random: () => 0,
      log: (line) => lines.push(line),
    });
    client.start();
    await events.next((e) => e.type === "status" && e.status === "handshaking");
    // Nominal 250, 500, 1000, 1000 ms; the jitter source at its low end halves each.
    for (const wait of [125, 250, 500, 500, 500]) {
      await clock.waitForTimer((d) => d === wait);
      expect(clock.pending()).toEqual([wait]);
      clock.advance(wait);
    }
    expect(client.status).toBe("reconnecting");
    // One log line for the whole series, with the reason.
    expect(lines.filter((l) => l.includes("unreachable"))).toEqual([
      expect.stringMatching(
        /platform unreachable: fetch failed \(.*ECONNREFUSED.*\); next attempt in 125 ms/,
      ),
    ]);
  });

  it("handshakes at once when the platform answers 402 after network errors (it was restarted)", async () => {
    const { client, events, clock } = makeClient();
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));
    const first = await sessionsOpened.next();

    // The platform goes away: the held connect is answered, the next one is reset, so are the probes.
    proxy.decide = () => "reset";
    const mark = proxy.requests.all.length;
    await createOperation();
    await events.next((e) => e.type === "status" && e.status === "reconnecting");
    for (const wait of [250, 500, 1_000, 1_000]) {
      await clock.waitForTimer((d) => d === wait);
      clock.advance(wait);
    }
    await clock.waitForTimer((d) => d === 1_000);
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/connect"))).toHaveLength(5);
    // It comes back without the session (as after a restart): one more probe, then no further wait.
    expect(p.realtime.dropSession(first.clientId)).toBe(true);
    proxy.decide = () => "forward";
    clock.advance(1_000);
    expect(await events.next(isSession(true))).toMatchObject({ gap: true });
    expect(clock.pending().every((delay) => delay > GRACE_MS)).toBe(true);
    const after = proxy.requests.all.slice(mark + 5).map((r) => r.channels.join(","));
    expect(after).toEqual(["/meta/connect", "/meta/handshake", "/meta/subscribe", "/meta/connect"]);
    expect((await sessionsOpened.next()).clientId).not.toBe(first.clientId);
  });

  it("backs off when a new session is lost again right away, instead of handshaking in a loop", async () => {
    const { client, events, clock } = makeClient({ backoffMs: 700 });
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));
    const unknown = JSON.stringify([
      {
        channel: "/meta/connect",
        successful: false,
        error: "402::Unknown client",
        advice: { reconnect: "handshake", interval: 0 },
      },
    ]);
    proxy.decide = (r) => (carries("/meta/connect")(r) ? { status: 200, body: unknown } : "forward");
    const mark = proxy.requests.all.length;
    await createOperation();
    await clock.waitForTimer((d) => d === 700);
    // The first 402 re-handshakes at once; the second, right after that handshake, waits.
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/handshake"))).toHaveLength(1);
    proxy.decide = () => "forward";
    clock.advance(700);
    expect(await events.next(isSession(true))).toMatchObject({ gap: true });
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/handshake"))).toHaveLength(2);
  });
});

describe("refusals end without loops", () => {
  it("stops for good when the credential is refused at the handshake (HTTP 401)", async () => {
    const mark = proxy.requests.all.length;
    const { client, events, clock } = makeClient({
      authorization: basic(`${TENANT}/admin`, "wrong-password"),
    });
    client.start();
    await events.next((e) => e.type === "status" && e.status === "refused");
    expect(clock.pending()).toEqual([]);
    clock.advance(24 * 3600_000);
    expect(proxy.requests.all.length - mark).toBe(1);
  });

  it("stops for good when the credential stops working mid-session", async () => {
    await p.platform.ctx.users.upsert(TENANT, "operator2", "operator2-password", "admin", "interactive");
    const auth = basic(`${TENANT}/operator2`, "operator2-password");
    const { client, events, clock } = makeClient({ authorization: auth });
    client.subscribe("/operations/*");
    client.start();
    await events.next(isSession(false));

    p.platform.ctx.users.delete(TENANT, "operator2");
    const mark = proxy.requests.all.length;
    await createOperation(); // completes the held connect; the next one carries the deleted user's credential
    await events.next((e) => e.type === "status" && e.status === "refused");
    expect(clock.pending()).toEqual([]);
    clock.advance(24 * 3600_000);
    expect(proxy.requests.all.slice(mark).filter(carries("/meta/handshake"))).toHaveLength(0);
    expect(proxy.requests.all.length - mark).toBe(1);
  });

  it("waits long after a denied handshake instead of handshaking again and again", async () => {
    const mark = proxy.requests.all.length;
    const { client, events, clock } = makeClient({
      authorization: null,
      handshakeExt: () => ({ "com.cumulocity.authn": { token: "bm8tc3VjaC11c2VyOm5vcGU=" } }),
      deniedRetryMs: 300_000,
    });
    client.start();
    await events.next((e) => e.type === "status" && e.status === "denied");
    expect(clock.pending()).toEqual([300_000]);
    clock.advance(299_999);
    expect(proxy.requests.all.length - mark).toBe(1);
    clock.advance(1);
    await proxy.requests.next(from(mark + 1, carries("/meta/handshake")));
  });
});
