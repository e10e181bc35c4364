// Bulk operation notifications on /bulkOperations/* of the console's real-time endpoint (/notification/realtime),
// received by the real CometD JavaScript client, as the vendor UI's OperationBulkRealtimeService listens.
// adapt() installs a global `window` for the client; that is fine inside this test process.
import { CometD, type Message } from "cometd";
import { adapt } from "cometd-nodejs-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualTime } from "../../../../tests/support/manual-time.js";
import { ADMIN_PASSWORD, TENANT, type TestPlatform } from "../../../../tests/support/platform.js";
import { RawClient } from "../../realtime/__tests__/support.js";
import { deviceUser } from "../devicecontrol/__tests__/fixtures.js";
import {
  agents,
  BULK,
  children,
  createBulk,
  getBulk,
  iso,
  setStatus,
  startBulkPlatform,
  staticGroup,
} from "../bulkoperations/__tests__/support.js";

adapt();

let p: TestPlatform;
let time: ManualTime;
let cometd: CometD;
beforeAll(async () => {
  ({ p, time } = await startBulkPlatform());
});
afterAll(async () => {
  await new Promise((resolve) => cometd.disconnect(resolve));
  await p.close();
});

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

describe("/bulkOperations/* on /notification/realtime", () => {
  it("delivers CREATE, UPDATE (progress, generalStatus) and DELETE as {realtimeAction, data}", async () => {
    cometd = new CometD();
    cometd.unregisterTransport("websocket");
    cometd.configure({
      url: `${p.url}/notification/realtime`,
      logLevel: "warn",
      requestHeaders: { accept: "application/json" },
    });
    const token = Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64");
    const hs = await new Promise<Message>((resolve) =>
      cometd.handshake({ ext: { "com.cumulocity.authn": { token } } }, resolve),
    );
    expect(hs.successful).toBe(true);
    const inbox = new Inbox();
    const sub = await new Promise<Message>((resolve) =>
      cometd.subscribe("/bulkOperations/*", inbox.push, resolve),
    );
    expect(sub).toMatchObject({ successful: true, subscription: "/bulkOperations/*" });

    const devices = await agents(p, 2, "rt");
    const group = await staticGroup(p, devices);
    const bulk = await createBulk(p, { groupId: group, startDate: iso(time.now()) });
    const [created] = await inbox.until(1);
    expect(created).toMatchObject({
      channel: `/bulkOperations/${bulk.id}`,
      data: { realtimeAction: "CREATE", data: bulk },
    });

    // Creating the children and each change of a child announce the bulk operation as it is now.
    time.advance(0);
    const [first] = await children(p, bulk.id);
    await setStatus(p, first!.id as string, "FAILED");
    const updates = await inbox.until(3);
    expect(updates.slice(1).map((m) => m.data.realtimeAction)).toEqual(["UPDATE", "UPDATE"]);
    expect(updates[1]!.data.data).toMatchObject({
      status: "COMPLETED",
      generalStatus: "EXECUTING",
      progress: { pending: 2, all: 2 },
    });
    expect(updates[2]!.data.data).toEqual(await getBulk(p, bulk.id));
    expect(updates[2]!.data.data).toMatchObject({
      generalStatus: "EXECUTING_WITH_ERROR",
      progress: { pending: 1, failed: 1, all: 2 },
    });

    const scheduled = await createBulk(p, { groupId: group, startDate: iso(time.now() + 60_000) });
    expect((await p.request(`${BULK}/${scheduled.id}`, { method: "DELETE" })).status).toBe(204);
    const all = await inbox.until(5);
    expect(all.slice(3).map((m) => [m.channel, m.data.realtimeAction, m.data.data])).toEqual([
      [`/bulkOperations/${scheduled.id}`, "CREATE", scheduled],
      [`/bulkOperations/${scheduled.id}`, "DELETE", scheduled.id],
    ]);
  });

  it("is for admins only: a device user's subscription is denied", async () => {
    const auth = await deviceUser(p, "device_rt-watcher");
    const c = new RawClient(p, "/notification/realtime", auth);
    expect((await c.handshake()).successful).toBe(true);
    for (const channel of ["/bulkOperations/*", "/bulkOperations/12345"])
      expect(await c.subscribe(channel)).toMatchObject({
        successful: false,
        error: `403:${channel}:Subscription denied`,
      });
    const admin = new RawClient(p);
    await admin.handshake();
    expect(await admin.subscribe("/bulkOperations/abc")).toMatchObject({
      successful: false,
      error: "403:/bulkOperations/abc:Unknown channel",
    });
  });
});
