import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IManagedObject } from "@c8y/client";
import { startHarness, unique, type Harness } from "./support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // Let the client leave properly so no long-poll is pending when the server closes.
  const realtime = h.client.realtime;
  if (!realtime.isDisconnected()) await new Promise<void>((resolve) => realtime.disconnect(() => resolve()));
  await h.close();
});

interface MetaListeners {
  addListener(channel: string, listener: (message: MetaMessage) => void): unknown;
  getTransport(): { getType(): string } | null;
}
interface MetaMessage {
  successful: boolean;
  subscription?: string;
  error?: string;
}

interface Envelope {
  realtimeAction: "CREATE" | "UPDATE" | "DELETE";
  data: IManagedObject | string;
}

describe("realtime", () => {
  it("delivers {realtimeAction, data} on /managedobjects/* for create, update and delete", async () => {
    const realtime = h.client.realtime;
    // The subscribe acknowledgement is only visible on the CometD instance, which Realtime keeps protected.
    const cometd = (realtime as unknown as { cometd: MetaListeners }).cometd;
    const received: Envelope[] = [];
    const waiters: { match: (e: Envelope) => boolean; resolve: (e: Envelope) => void }[] = [];
    const next = (match: (e: Envelope) => boolean) =>
      new Promise<Envelope>((resolve) => {
        const hit = received.find(match);
        if (hit) resolve(hit);
        else waiters.push({ match, resolve });
      });

    // Resolves once the server confirmed the subscription; fails fast if the handshake or subscribe fails.
    const subscribed = new Promise<void>((resolve, reject) => {
      cometd.addListener("/meta/handshake", (m) => {
        if (!m.successful) reject(new Error(`handshake failed: ${JSON.stringify(m)}`));
      });
      cometd.addListener("/meta/subscribe", (m) => {
        if (m.successful && m.subscription === "/managedobjects/*") resolve();
        else if (!m.successful) reject(new Error(`subscribe failed: ${JSON.stringify(m)}`));
      });
    });
    realtime.subscribe("/managedobjects/*", (message: { channel: string; data: Envelope }) => {
      received.push(message.data);
      for (const w of waiters.splice(0)) {
        if (w.match(message.data)) w.resolve(message.data);
        else waiters.push(w);
      }
    });
    await subscribed;
    // This package pins no cometd of its own: the client runs on the one it ships with, which only long-polls.
    expect(cometd.getTransport()?.getType()).toBe("long-polling");

    const name = unique("watched");
    const mo = (await h.client.inventory.create({ name, c8y_IsDevice: {} })).data;
    const idOf = (e: Envelope) => (typeof e.data === "string" ? e.data : String(e.data.id));

    const created = await next((e) => e.realtimeAction === "CREATE" && idOf(e) === mo.id);
    expect(created.data).toMatchObject({ id: mo.id, name });

    await h.client.inventory.update({ id: mo.id, name: `${name} renamed` });
    const updated = await next((e) => e.realtimeAction === "UPDATE" && idOf(e) === mo.id);
    expect(updated.data).toMatchObject({ id: mo.id, name: `${name} renamed` });

    await h.client.inventory.delete(mo.id);
    const deleted = await next((e) => e.realtimeAction === "DELETE" && idOf(e) === mo.id);
    // For a deletion the platform sends only the id.
    expect(deleted.data).toBe(mo.id);
  });
});
