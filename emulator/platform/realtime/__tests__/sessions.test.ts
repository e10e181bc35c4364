// Session lifetime: the reconnect window (shortened here so nothing waits long), server-side loss and recovery.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import { connectReplyOf, dataOf, operationEvent, RawClient, waitFor } from "./support.js";

const WINDOW_MS = 800;
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ realtime: { sessionWindowMs: WINDOW_MS } });
});
afterAll(async () => {
  await p.close();
});

describe("reconnect window", () => {
  it("drops a session whose next connect does not come; the client then gets 402 and starts over", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const expired = await waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
    expect(expired).toEqual({ family: "realtime", clientId: c.clientId, reason: "expired" });
    // Nothing is kept for a dead session, and nothing is replayed into the next one.
    p.platform.ctx.events.publish(operationEvent("1", "5", undefined));
    const [reply] = await c.connect({ timeout: 0 });
    expect(reply).toEqual({
      id: expect.any(String),
      channel: "/meta/connect",
      successful: false,
      error: "402::Unknown client",
      advice: { reconnect: "handshake", interval: 0 },
    });
    const old = c.clientId;
    await c.open(["/operations/*"]);
    expect(c.clientId).not.toBe(old);
    p.platform.ctx.events.publish(operationEvent("2", "5", undefined));
    const replies = await c.connect({ timeout: 0 });
    expect(dataOf(replies).map((m) => m.data.data.id)).toEqual(["2"]);
  });

  it("drops a session that never connects after its handshake", async () => {
    const c = new RawClient(p);
    const closed = waitFor(p, "session-closed", (e) => e.clientId === c.clientId);
    await c.handshake();
    expect(await closed).toMatchObject({ reason: "expired" });
    expect(p.realtime.sessionIds("realtime")).not.toContain(c.clientId);
  });

  it("never drops a session while its connect is held, however long the hold", async () => {
    const c = await new RawClient(p).open(["/operations/*"]);
    const replies = await c.connect({ timeout: WINDOW_MS * 2 });
    expect(connectReplyOf(replies)).toMatchObject({ successful: true });
    expect(p.realtime.sessionIds("realtime")).toContain(c.clientId);
    expect(connectReplyOf(await c.connect({ timeout: 0 }))).toMatchObject({ successful: true });
  });
});

describe("server-side loss", () => {
  it("answers the held connect with 402; re-handshake and resubscribe restore delivery", async () => {
    const c = await new RawClient(p, "/notification/operations").open(["/42"]);
    const { reply } = await c.held();
    expect(p.realtime.dropSession(c.clientId)).toBe(true);
    expect(connectReplyOf(await reply)).toEqual({
      id: expect.any(String),
      channel: "/meta/connect",
      successful: false,
      error: "402::Unknown client",
      advice: { reconnect: "handshake", interval: 0 },
    });
    const sub = await c.subscribe("/42");
    expect(sub).toMatchObject({ successful: false, error: "402::Unknown client" });
    await c.open(["/42"]);
    const next = await c.held();
    p.platform.ctx.events.publish(operationEvent("3", "42", "42"));
    expect(dataOf(await next.reply)).toEqual([
      { channel: "/42", id: expect.any(String), data: operationEvent("3", "42", "42").data },
    ]);
  });

  it("answers held connects when the platform shuts down", async () => {
    const q = await startTestPlatform();
    try {
      const c = await new RawClient(q).open(["/operations/*"]);
      const { reply } = await c.held();
      const closing = q.close();
      expect(connectReplyOf(await reply)).toMatchObject({ successful: false, error: "402::Unknown client" });
      await closing;
    } finally {
      await q.close();
    }
  });
});
