// The real CometD JavaScript client (cometd 9 + cometd-nodejs-client 2) against the emulator, on both transports.
// adapt() installs a global `window` for the client; that is fine inside this test process.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { CometD, type Message, type SubscriptionHandle } from "cometd";
import { adapt } from "cometd-nodejs-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  startTestPlatform,
  TENANT,
  ADMIN_PASSWORD,
  type TestPlatform,
} from "../../../../tests/support/platform.js";
import { operationEvent, waitFor } from "./support.js";

adapt();

let p: TestPlatform;
const open: CometD[] = [];

beforeAll(async () => {
  p = await startTestPlatform();
});
afterEach(async () => {
  // Every client ends its session before the next test (and before the platform closes).
  await Promise.all(
    open
      .splice(0)
      .filter((c) => !c.isDisconnected())
      .map(disconnect),
  );
});
afterAll(async () => {
  await p.close();
});

const adminToken = () => Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64");
const authn = (token: string) => ({ ext: { "com.cumulocity.authn": { token } } });

type Transport = "long-polling" | "websocket";

function client(
  transport: Transport,
  endpoint = "/notification/realtime",
  headers: Record<string, string> = {},
) {
  const cometd = new CometD();
  if (transport === "long-polling") cometd.unregisterTransport("websocket");
  else {
    cometd.unregisterTransport("long-polling");
    cometd.unregisterTransport("callback-polling");
  }
  // A Node client must send Accept itself (docs/realtime-server.md); the platform would answer empty bodies without.
  cometd.configure({
    url: p.url + endpoint,
    logLevel: "warn",
    requestHeaders: { accept: "application/json", ...headers },
  });
  open.push(cometd);
  return cometd;
}

const handshake = (c: CometD, props: object = authn(adminToken())) =>
  new Promise<Message>((resolve) => c.handshake(props, resolve));

const disconnect = (c: CometD) => new Promise<Message>((resolve) => c.disconnect(resolve));

/** Collects deliveries; `until(n)` resolves once n have arrived. */
class Inbox {
  readonly messages: Message[] = [];
  private waiters: { n: number; resolve: (m: Message[]) => void }[] = [];

  readonly push = (m: Message) => {
    this.messages.push(m);
    this.waiters = this.waiters.filter((w) =>
      this.messages.length >= w.n ? (w.resolve(this.messages), false) : true,
    );
  };

  until(n: number): Promise<Message[]> {
    if (this.messages.length >= n) return Promise.resolve(this.messages);
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

function subscribe(c: CometD, channel: string, inbox = new Inbox()) {
  return new Promise<{ reply: Message; handle: SubscriptionHandle; inbox: Inbox }>((resolve) => {
    const handle = c.subscribe(channel, inbox.push, (reply) => resolve({ reply, handle, inbox }));
  });
}

describe.each<Transport>(["long-polling", "websocket"])("CometD client over %s", (transport) => {
  it("handshakes with the ext token and negotiates the transport", async () => {
    const c = client(transport);
    const reply = await handshake(c);
    expect(reply).toMatchObject({ successful: true, channel: "/meta/handshake", version: "1.0" });
    expect(c.getTransport()?.type).toBe(transport);
    expect(c.getClientId()).toBe(reply.clientId);
  });

  it("is woken by a delivery while its connect is held, and gets {realtimeAction, data}", async () => {
    const c = client(transport);
    // CometD's first connect asks for an immediate answer; the second one is the long poll to wake.
    const connects: string[] = [];
    const polling = waitFor(p, "connect", (e) => {
      connects.push(e.clientId);
      return connects.filter((id) => id === c.getClientId()).length === 2;
    });
    await handshake(c);
    const { reply, inbox } = await subscribe(c, "/operations/*");
    expect(reply).toMatchObject({ successful: true, subscription: "/operations/*" });
    await polling;
    const event = operationEvent("100", "55", "50");
    p.platform.ctx.events.publish(event);
    const [m] = await inbox.until(1);
    expect(m).toMatchObject({
      channel: "/operations/55",
      data: { realtimeAction: "CREATE", data: event.data },
    });
  });

  it("delivers bare operations on the agent endpoint", async () => {
    const c = client(transport, "/notification/operations");
    await handshake(c);
    const { inbox } = await subscribe(c, "/50");
    const event = operationEvent("101", "55", "50");
    p.platform.ctx.events.publish(event);
    const [m] = await inbox.until(1);
    expect(m).toMatchObject({ channel: "/50", data: event.data });
  });

  it("sends batches and loses nothing delivered between its connects", async () => {
    const c = client(transport);
    await handshake(c);
    const inbox = new Inbox();
    const replies: Message[] = [];
    await new Promise<void>((resolve) => {
      c.batch(() => {
        c.subscribe("/managedobjects/*", inbox.push, (r) => replies.push(r));
        c.subscribe("/operations/77", inbox.push, (r) => {
          replies.push(r);
          resolve();
        });
      });
    });
    expect(replies.map((r) => r.successful)).toEqual([true, true]);
    const ids = Array.from({ length: 40 }, (_, i) => String(1000 + i));
    for (const id of ids)
      p.platform.ctx.events.publish({ api: "managedobjects", action: "UPDATE", id, data: { id } });
    p.platform.ctx.events.publish(operationEvent("102", "77", undefined));
    const all = await inbox.until(41);
    expect(all.slice(0, 40).map((m) => m.data.data.id)).toEqual(ids);
    expect(all[40]).toMatchObject({ channel: "/operations/77" });
  });

  it("reports refused subscriptions and publishes", async () => {
    const c = client(transport);
    await handshake(c);
    const { reply } = await subscribe(c, "/alarms/*");
    expect(reply).toMatchObject({ successful: false, error: "403:/alarms/*:Unknown channel" });
    const meta = await subscribe(c, "/meta/connect");
    expect(meta.reply).toMatchObject({ successful: false });
    const published = await new Promise<Message>((resolve) => c.publish("/operations/1", { x: 1 }, resolve));
    expect(published).toMatchObject({ successful: false, error: "403:/operations/1:Publish denied" });
  });

  it("stops after a denied handshake instead of looping", async () => {
    const c = client(transport);
    const reply = await handshake(c, authn(Buffer.from(`${TENANT}/admin:wrong`).toString("base64")));
    expect(reply).toMatchObject({ successful: false, error: "403::Handshake denied" });
    expect(c.isDisconnected()).toBe(true);
  });

  it("recovers from a lost session: 402, re-handshake with reestablish, resubscribe, deliveries resume", async () => {
    const c = client(transport);
    const handshakes: Message[] = [];
    let sub: SubscriptionHandle | undefined;
    const resubscribed = new Promise<Message>((resolve) => {
      c.addListener("/meta/handshake", (m) => {
        handshakes.push(m);
        // The documented pattern: resubscribe from a listener, not from the handshake callback.
        if (m.successful && m.reestablish && sub) sub = c.resubscribe(sub);
      });
      c.addListener("/meta/subscribe", (m) => {
        if (m.successful && handshakes.length === 2) resolve(m);
      });
    });
    const unsuccessful: Message[] = [];
    c.addListener("/meta/unsuccessful", (m) => unsuccessful.push(m));
    await handshake(c);
    const first = c.getClientId()!;
    const s = await subscribe(c, "/operations/88");
    sub = s.handle;
    expect(p.realtime.dropSession(first)).toBe(true);
    await resubscribed;
    expect(unsuccessful.some((m) => m.error === "402::Unknown client")).toBe(true);
    expect(handshakes.map((m) => [m.successful, m.reestablish])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(c.getClientId()).not.toBe(first);
    p.platform.ctx.events.publish(operationEvent("103", "88", undefined));
    const [m] = await s.inbox.until(1);
    expect(m).toMatchObject({ channel: "/operations/88", data: { realtimeAction: "CREATE" } });
  });

  it("disconnects cleanly", async () => {
    const c = client(transport);
    await handshake(c);
    const closed = waitFor(p, "session-closed", (e) => e.clientId === c.getClientId());
    const reply = await disconnect(c);
    expect(reply).toMatchObject({ successful: true, channel: "/meta/disconnect" });
    expect(await closed).toMatchObject({ reason: "disconnected" });
  });
});

describe("CometD client over long-polling with header authentication", () => {
  it("handshakes with only an Authorization header, as @c8y/client also sends it", async () => {
    const login = await p.request(`/tenant/oauth/token?tenant_id=${TENANT}`, {
      method: "POST",
      auth: null,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "PASSWORD", username: "admin", password: ADMIN_PASSWORD }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const c = client("long-polling", "/cep/realtime", { authorization: `Bearer ${access_token}` });
    const reply = await handshake(c, {});
    expect(reply).toMatchObject({ successful: true });
  });
});

describe("websocket upgrade", () => {
  /** Sends an upgrade request by hand; resolves with the HTTP status, or "closed" when the server hangs up. */
  function upgrade(path: string, headers: Record<string, string> = {}) {
    return new Promise<number | "closed">((resolve) => {
      const req = request(`${p.url}${path}`, {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": randomBytes(16).toString("base64"),
          "sec-websocket-version": "13",
          ...headers,
        },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve("closed"));
      req.end();
    });
  }

  it("upgrades on every endpoint, refuses a bad Authorization header with 401 and other paths outright", async () => {
    for (const path of [
      "/notification/realtime",
      "/cep/realtime",
      "/notification/operations",
      "/devicecontrol/notifications",
    ]) {
      expect(await upgrade(path), path).toBe(101);
    }
    expect(await upgrade("/notification/realtime", { authorization: "Basic bm9wZTpub3Bl" })).toBe(401);
    expect(await upgrade("/inventory/managedObjects")).toBe("closed");
  });
});
