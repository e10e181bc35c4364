// Bayeux 1.0 long-polling as Cumulocity serves it, spoken by hand: JSON arrays over POST, as in the seed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, startTestPlatform, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { connectReplyOf, dataOf, operationEvent, post, RawClient, waitFor } from "./support.js";

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p.close();
});

const handshakeMessage = (extra: Record<string, unknown> = {}) => [
  {
    id: "1",
    channel: "/meta/handshake",
    version: "1.0",
    supportedConnectionTypes: ["long-polling"],
    ...extra,
  },
];

describe("endpoints", () => {
  const paths = [
    "/notification/operations",
    "/notification/realtime",
    "/devicecontrol/notifications",
    "/cep/realtime",
  ];
  const suffixes = [
    "",
    "/",
    "/handshake",
    "/connect",
    "/disconnect",
    "/subscribe",
    "/unsubscribe",
    "/handshake/",
  ];

  it.each(paths)("%s answers a handshake on every suffix", async (path) => {
    for (const suffix of suffixes) {
      const r = await post(p, path + suffix, handshakeMessage());
      expect(r.status, path + suffix).toBe(200);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.body).toMatchObject([{ channel: "/meta/handshake", successful: true, id: "1" }]);
    }
  });

  it("leaves other paths to the REST router", async () => {
    const r = await post(p, "/notification/realtimex", handshakeMessage());
    expect(r.status).toBe(404);
    const r2 = await post(p, "/notification/realtime/other", handshakeMessage());
    expect(r2.status).toBe(404);
  });

  it("the old and the new spelling of an endpoint share sessions", async () => {
    const c = new RawClient(p, "/devicecontrol/notifications");
    await c.handshake();
    const [reply] = await post(p, "/notification/operations/connect", [
      {
        id: "9",
        channel: "/meta/connect",
        clientId: c.clientId,
        connectionType: "long-polling",
        advice: { timeout: 0 },
      },
    ]).then((r) => r.body);
    expect(reply).toMatchObject({ channel: "/meta/connect", successful: true, id: "9" });
    // …but the realtime family does not know it.
    const other = await post(p, "/cep/realtime/connect", [
      { id: "10", channel: "/meta/connect", clientId: c.clientId, connectionType: "long-polling" },
    ]);
    expect(other.body[0]).toMatchObject({ successful: false, error: "402::Unknown client" });
  });
});

describe("handshake", () => {
  it("replies with clientId, versions, connection types and the platform's advice", async () => {
    const r = await post(p, "/notification/realtime/handshake", handshakeMessage());
    expect(r.body).toHaveLength(1);
    const reply = r.body[0];
    expect(reply).toMatchObject({
      id: "1",
      channel: "/meta/handshake",
      successful: true,
      version: "1.0",
      minimumVersion: "1.0",
      advice: { reconnect: "retry", interval: 0, timeout: 5400000 },
    });
    expect(reply.supportedConnectionTypes).toEqual(expect.arrayContaining(["long-polling", "websocket"]));
    expect(reply.supportedConnectionTypes).not.toContain("eventsource");
    expect(reply.clientId).toMatch(/^[0-9a-z]{20,}$/);
  });

  it("accepts a single message object instead of an array", async () => {
    const r = await post(p, "/notification/realtime", handshakeMessage()[0]);
    expect(r.body).toMatchObject([{ successful: true, id: "1" }]);
  });

  it("caps a requested hold at 2 hours and honours a shorter one", async () => {
    const long = await post(
      p,
      "/notification/realtime",
      handshakeMessage({ advice: { timeout: 99_999_999 } }),
    );
    expect(long.body[0].advice).toMatchObject({ timeout: 7200000 });
    const short = await post(
      p,
      "/notification/realtime",
      handshakeMessage({ advice: { timeout: 60_000, interval: 0 } }),
    );
    expect(short.body[0].advice).toMatchObject({ timeout: 60000, interval: 0, reconnect: "retry" });
  });

  it("authenticates with a Bearer token header", async () => {
    const login = await p.formLogin("/tenant/oauth/token");
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const r = await post(p, "/notification/realtime", handshakeMessage(), { auth: `Bearer ${access_token}` });
    expect(r.body[0]).toMatchObject({ successful: true });
    // The same JWT in the handshake ext, without any header.
    const ext = { "com.cumulocity.authn": { token: access_token } };
    const r2 = await post(p, "/notification/realtime", handshakeMessage({ ext }), { auth: null });
    expect(r2.body[0]).toMatchObject({ successful: true });
  });

  it("authenticates with the login cookie plus its XSRF value, and only with both", async () => {
    const login = await p.formLogin("/tenant/oauth");
    expect(login.status).toBe(200);
    const cookies = Object.fromEntries(
      login.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]),
    );
    const cookie = `authorization=${cookies.authorization}`;
    const xsrfToken = cookies["XSRF-TOKEN"]!;
    const viaExt = await post(
      p,
      "/notification/realtime",
      handshakeMessage({ ext: { "com.cumulocity.authn": { xsrfToken } } }),
      { auth: null, headers: { cookie } },
    );
    expect(viaExt.body[0]).toMatchObject({ successful: true });
    const viaHeader = await post(p, "/notification/realtime", handshakeMessage(), {
      auth: null,
      headers: { cookie, "x-xsrf-token": xsrfToken },
    });
    expect(viaHeader.body[0]).toMatchObject({ successful: true });
    const without = await post(p, "/notification/realtime", handshakeMessage(), {
      auth: null,
      headers: { cookie },
    });
    expect(without.body[0]).toMatchObject({ successful: false, error: "403::Handshake denied" });
  });

  it("authenticates with a Basic token in the handshake ext", async () => {
    const token = Buffer.from(`${TENANT}/admin:admin-test-password`).toString("base64");
    const ext = { "com.cumulocity.authn": { token }, systemOfUnits: "metric" };
    const r = await post(p, "/notification/operations", handshakeMessage({ ext }), { auth: null });
    expect(r.body[0]).toMatchObject({ successful: true, id: "1" });
  });

  it("refuses bad or missing credentials in the ext with 403::Handshake denied and reconnect none", async () => {
    const bad = Buffer.from(`${TENANT}/admin:wrong`).toString("base64");
    for (const ext of [
      { "com.cumulocity.authn": { token: bad } },
      {},
      { "com.cumulocity.authn": { token: "a.b.c" } },
    ]) {
      const r = await post(p, "/notification/realtime", handshakeMessage({ ext }), { auth: null });
      expect(r.status).toBe(200);
      expect(r.body).toEqual([
        {
          id: "1",
          channel: "/meta/handshake",
          successful: false,
          version: "1.0",
          error: "403::Handshake denied",
          supportedConnectionTypes: expect.any(Array),
          advice: { reconnect: "none", interval: 0 },
        },
      ]);
    }
  });

  it("answers a bad Authorization header with HTTP 401 in the platform's error shape", async () => {
    const r = await post(p, "/notification/realtime", handshakeMessage(), {
      auth: basic(`${TENANT}/admin`, "nope"),
    });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: "security/Unauthorized" });
  });

  it("denies the bootstrap user, by header or by ext token", async () => {
    const r = await post(p, "/notification/operations", handshakeMessage(), { auth: p.bootstrap });
    expect(r.body[0]).toMatchObject({
      successful: false,
      error: "403::Handshake denied",
      advice: { reconnect: "none" },
    });
    const token = p.bootstrap.slice("Basic ".length);
    const r2 = await post(
      p,
      "/notification/operations",
      handshakeMessage({ ext: { "com.cumulocity.authn": { token } } }),
      {
        auth: null,
      },
    );
    expect(r2.body[0]).toMatchObject({ successful: false, error: "403::Handshake denied" });
  });

  it("fails a handshake without a common connection type", async () => {
    const r = await post(
      p,
      "/notification/realtime",
      handshakeMessage({ supportedConnectionTypes: ["eventsource"] }),
    );
    expect(r.body[0]).toMatchObject({ successful: false, id: "1", advice: { reconnect: "none" } });
    expect(r.body[0].error).toMatch(/^301:/);
  });
});

describe("connect", () => {
  it("holds until something is delivered; data first, the connect reply last, ids echoed", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const { reply } = await c.held();
    p.platform.ctx.events.publish(operationEvent("500", "42", "40"));
    const replies = await reply;
    expect(replies).toEqual([
      {
        channel: "/operations/42",
        id: expect.any(String),
        data: { realtimeAction: "CREATE", data: operationEvent("500", "42", "40").data },
      },
      {
        channel: "/meta/connect",
        id: "4",
        clientId: c.clientId,
        successful: true,
        advice: { reconnect: "retry", interval: 0, timeout: 5400000 },
      },
    ]);
  });

  it("answers when the hold time the client asked for passes", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const replies = await c.connect({ timeout: 30 });
    expect(replies).toEqual([
      expect.objectContaining({ channel: "/meta/connect", successful: true, id: "4" }),
    ]);
  });

  it("answers at once with timeout 0", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const replies = await c.connect({ timeout: 0 });
    expect(replies).toEqual([expect.objectContaining({ channel: "/meta/connect", successful: true })]);
  });

  it("answers at once when the connect is batched with other messages", async () => {
    const c = new RawClient(p);
    await c.handshake();
    const replies = await c.send([
      { id: "s", channel: "/meta/subscribe", clientId: c.clientId, subscription: "/managedobjects/*" },
      { id: "c", channel: "/meta/connect", clientId: c.clientId, connectionType: "long-polling" },
    ]);
    expect(replies).toEqual([
      expect.objectContaining({
        id: "s",
        channel: "/meta/subscribe",
        successful: true,
        subscription: "/managedobjects/*",
      }),
      expect.objectContaining({ id: "c", channel: "/meta/connect", successful: true }),
    ]);
  });

  it("delivers everything queued between two connects, in order, in one reply", async () => {
    const c = await new RawClient(p).open(["/managedobjects/*"]);
    for (const id of ["1", "2", "3"]) {
      p.platform.ctx.events.publish({
        api: "managedobjects",
        action: "UPDATE",
        id,
        data: { id, name: `n${id}` },
      });
    }
    const replies = await c.connect();
    expect(dataOf(replies).map((m) => m.data.data.id)).toEqual(["1", "2", "3"]);
    expect(replies.at(-1)).toMatchObject({ channel: "/meta/connect", successful: true });
  });

  it("completes the previous connect when a new one arrives", async () => {
    const c = await new RawClient(p).open(["/operations/7"]);
    const first = await c.held();
    const second = await c.held();
    expect(await first.reply).toEqual([
      expect.objectContaining({ channel: "/meta/connect", id: "4", successful: true }),
    ]);
    p.platform.ctx.events.publish(operationEvent("501", "7", undefined, "UPDATE", "EXECUTING"));
    const replies = await second.reply;
    expect(dataOf(replies)).toHaveLength(1);
    expect(connectReplyOf(replies)).toMatchObject({ id: "5", successful: true });
  });

  it("keeps what arrives after a client abandoned its poll for the next connect", async () => {
    const c = await new RawClient(p).open(["/operations/8"]);
    const abort = new AbortController();
    const registered = waitFor(p, "connect", (e) => e.clientId === c.clientId);
    const abandoned = post(
      p,
      "/notification/realtime/connect",
      [{ id: "x", channel: "/meta/connect", clientId: c.clientId, connectionType: "long-polling" }],
      { signal: abort.signal },
    ).catch((e: Error) => e.name);
    await registered;
    // The server notices the closed connection and answers the poll into the void; wait until it has.
    const released = waitFor(p, "connect-answered", (e) => e.clientId === c.clientId);
    abort.abort();
    expect(await abandoned).toBe("AbortError");
    await released;
    p.platform.ctx.events.publish(operationEvent("502", "8", undefined));
    const replies = await c.connect({ timeout: 0 });
    expect(dataOf(replies).map((m) => m.data.data.id)).toEqual(["502"]);
  });

  it("rejects a connect without a usable connection type", async () => {
    const c = await new RawClient(p).open();
    const [reply] = await c.send([
      { id: "z", channel: "/meta/connect", clientId: c.clientId, connectionType: "eventsource" },
    ]);
    expect(reply).toMatchObject({ id: "z", successful: false, advice: { reconnect: "handshake" } });
    expect(reply!.error).toMatch(/^301:/);
  });
});

describe("subscribe, unsubscribe, disconnect", () => {
  it("echoes id and subscription; unsubscribing stops deliveries", async () => {
    const c = await new RawClient(p).open();
    const sub = await c.subscribe("/managedobjects/77");
    expect(sub).toEqual({
      id: "3",
      channel: "/meta/subscribe",
      clientId: c.clientId,
      subscription: "/managedobjects/77",
      successful: true,
    });
    const [unsub] = await c.send(
      [{ id: "u", channel: "/meta/unsubscribe", clientId: c.clientId, subscription: "/managedobjects/77" }],
      "/unsubscribe",
    );
    expect(unsub).toMatchObject({
      id: "u",
      channel: "/meta/unsubscribe",
      subscription: "/managedobjects/77",
      successful: true,
    });
    p.platform.ctx.events.publish({ api: "managedobjects", action: "DELETE", id: "77" });
    expect(await c.connect({ timeout: 0 })).toEqual([expect.objectContaining({ channel: "/meta/connect" })]);
  });

  it("accepts several channels in one subscribe and delivers a message once per client", async () => {
    const c = await new RawClient(p).open();
    const sub = await c.subscribe(["/operations/*", "/operations/99"]);
    expect(sub).toMatchObject({ successful: true, subscription: ["/operations/*", "/operations/99"] });
    p.platform.ctx.events.publish(operationEvent("600", "99", undefined));
    const replies = await c.connect({ timeout: 0 });
    expect(dataOf(replies)).toHaveLength(1);
  });

  it("answers a disconnect, completes the held connect and forgets the session", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const pending = await c.held();
    const closed = waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
    const [reply] = await c.send(
      [{ id: "d", channel: "/meta/disconnect", clientId: c.clientId }],
      "/disconnect",
    );
    expect(reply).toEqual({ id: "d", channel: "/meta/disconnect", clientId: c.clientId, successful: true });
    expect(await closed).toMatchObject({ reason: "disconnected" });
    const held = await pending.reply;
    expect(connectReplyOf(held)).toMatchObject({ successful: false, error: "402::Unknown client" });
    const after = await c.connect({ timeout: 0 });
    expect(after[0]).toMatchObject({ successful: false, error: "402::Unknown client" });
  });
});

describe("unknown clients", () => {
  it("connect: 402::Unknown client with reconnect handshake", async () => {
    const r = await post(p, "/notification/realtime/connect", [
      { id: "7", channel: "/meta/connect", clientId: "nosuchclient", connectionType: "long-polling" },
    ]);
    expect(r.body).toEqual([
      {
        id: "7",
        channel: "/meta/connect",
        successful: false,
        error: "402::Unknown client",
        advice: { reconnect: "handshake", interval: 0 },
      },
    ]);
  });

  it("subscribe, unsubscribe and disconnect: 402::Unknown client without advice", async () => {
    for (const channel of ["/meta/subscribe", "/meta/unsubscribe", "/meta/disconnect"]) {
      const r = await post(p, "/notification/realtime", [
        { id: "8", channel, clientId: "nosuchclient", subscription: "/operations/*" },
      ]);
      expect(r.body[0]).toMatchObject({ id: "8", channel, successful: false, error: "402::Unknown client" });
      expect(r.body[0].advice).toBeUndefined();
    }
  });

  it("a connect without clientId is an unknown client too", async () => {
    const r = await post(p, "/notification/realtime", [
      { id: "9", channel: "/meta/connect", connectionType: "long-polling" },
    ]);
    expect(r.body[0]).toMatchObject({ id: "9", successful: false, error: "402::Unknown client" });
  });
});

describe("refusals", () => {
  it("refuses publishing from clients", async () => {
    const c = await new RawClient(p).open();
    const [reply] = await c.send([
      { id: "p", channel: "/operations/5", clientId: c.clientId, data: { x: 1 } },
    ]);
    expect(reply).toMatchObject({
      id: "p",
      channel: "/operations/5",
      successful: false,
      error: "403:/operations/5:Publish denied",
    });
  });

  it("refuses meta, service and unknown channel families", async () => {
    const c = await new RawClient(p).open();
    for (const channel of [
      "/meta/connect",
      "/meta/*",
      "/service/x",
      "/alarms/*",
      "/operations",
      "/operations/abc",
      "/foo/1",
      "/**",
      "/operations/**",
      "/managedobjects/1/2",
    ]) {
      const r = await c.subscribe(channel);
      expect(r, channel).toMatchObject({ successful: false, subscription: channel });
      expect(r.error, channel).toMatch(/^403:/);
    }
    const ops = await new RawClient(p, "/notification/operations").open();
    for (const channel of ["/operations/5", "/*/x", "/abc"]) {
      const r = await ops.subscribe(channel);
      expect(r, channel).toMatchObject({ successful: false });
    }
  });

  it("refuses the whole subscribe when one of several channels is refused", async () => {
    const c = await new RawClient(p).open();
    const r = await c.subscribe(["/operations/5", "/alarms/5"]);
    expect(r).toMatchObject({ successful: false, error: "403:/alarms/5:Unknown channel" });
    p.platform.ctx.events.publish(operationEvent("700", "5", undefined));
    expect(dataOf(await c.connect({ timeout: 0 }))).toEqual([]);
  });

  it("refuses unknown meta channels", async () => {
    const c = await new RawClient(p).open();
    const [reply] = await c.send([{ id: "m", channel: "/meta/whatever", clientId: c.clientId }]);
    expect(reply).toMatchObject({ id: "m", successful: false });
    expect(reply!.error).toMatch(/^403:/);
  });
});

describe("request bodies", () => {
  it("accepts a chunked body", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(handshakeMessage()));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10));
        controller.enqueue(bytes.slice(10));
        controller.close();
      },
    });
    const res = await p.request("/notification/realtime/handshake", {
      method: "POST",
      headers: { "content-type": "application/json;charset=UTF-8" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject([{ successful: true }]);
  });

  it("accepts a form-encoded message and a missing Accept header", async () => {
    const res = await p.request("/notification/realtime", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ message: JSON.stringify(handshakeMessage()) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject([{ successful: true }]);
  });

  it.each([
    ["not JSON", "{nope"],
    ["an empty body", ""],
    ["an empty array", "[]"],
    ["a message without channel", '[{"id":"1"}]'],
    ["a bare string", '"hello"'],
  ])("answers %s with 400 in the platform's error shape", async (_name, body) => {
    const r = await post(p, "/notification/realtime", body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: "realtime/Bad Request", message: expect.any(String) });
  });

  it("answers GET with 405", async () => {
    const res = await p.request("/notification/realtime");
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: "general/methodNotAllowed" });
  });
});
