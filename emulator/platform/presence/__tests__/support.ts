// Shared by the presence tests: a platform on a hand-driven clock, REST helpers, and a watcher that sees the
// /managedobjects notifications a console would get.
/* eslint-disable @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests */
import { expect } from "vitest";
import { ManualTime } from "../../../../tests/support/manual-time.js";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import type { StartOptions } from "../../server.js";
import { dataOf, RawClient, type Message } from "../../realtime/__tests__/support.js";

export type Json = Record<string, any>;

export const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

/** Intervals the tests reason with; the check runs every second of the hand-driven clock. */
export const SETTINGS = {
  checkIntervalMs: 1_000,
  disconnectGraceMs: 5_000,
  lastMessageResolutionMs: 60_000,
  availabilityGraceMs: 180_000,
};

export async function startPresencePlatform(
  time = new ManualTime(),
  options: Partial<StartOptions> = {},
): Promise<{ p: TestPlatform; time: ManualTime }> {
  const p = await startTestPlatform({
    now: time.now,
    scheduler: time.scheduler,
    presence: SETTINGS,
    ...options,
  });
  return { p, time };
}

/** Creates an object; an `owner` is set by a PUT afterwards (a create always belongs to its creator). */
export async function create(p: TestPlatform, { owner, ...body }: Json): Promise<Json> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as Json;
  return owner === undefined ? created : put(p, created.id as string, { owner: owner as unknown });
}

/** An agent, monitored with responseInterval (minutes) unless that is null, optionally owned by a device user. */
export async function agent(p: TestPlatform, responseInterval: number | null = 10, owner?: string) {
  const body: Json = { name: "Agent", c8y_IsDevice: {}, com_cumulocity_model_Agent: {} };
  if (responseInterval !== null) body.c8y_RequiredAvailability = { responseInterval };
  if (owner) body.owner = owner;
  return String((await create(p, body)).id);
}

export async function get(p: TestPlatform, id: string): Promise<Json> {
  const res = await p.request(`/inventory/managedObjects/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

export async function put(
  p: TestPlatform,
  id: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Json> {
  const res = await p.request(`/inventory/managedObjects/${id}`, {
    method: "PUT",
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Json;
}

/** The empty update the vendor defines as a heartbeat. */
export const heartbeat = (p: TestPlatform, id: string, headers: Record<string, string> = {}) =>
  put(p, id, {}, headers);

/** The two maintained fragments of an object as it is stored now. */
export async function presenceOf(p: TestPlatform, id: string): Promise<Json> {
  const mo = await get(p, id);
  return { c8y_Availability: mo.c8y_Availability as unknown, c8y_Connection: mo.c8y_Connection as unknown };
}

/**
 * An admin on /notification/realtime subscribed to /managedobjects/*, as the console listens. Its handshake asks
 * for a long reconnect interval, so it survives the short session window some tests use for the devices.
 */
export class Watcher {
  /** Notifications fetched but not asked for yet, in arrival order. */
  private pending: { id: string; data: Json }[] = [];

  private constructor(private readonly client: RawClient) {}

  static async open(p: TestPlatform): Promise<Watcher> {
    const client = new RawClient(p);
    const hs = await client.handshake({ advice: { interval: 600_000 } });
    expect(hs).toMatchObject({ successful: true });
    expect(await client.subscribe("/managedobjects/*")).toMatchObject({ successful: true });
    await client.connect({ timeout: 0 });
    return new Watcher(client);
  }

  /** The UPDATE notifications for `id` that arrived since the last call for it: the object each carried. */
  async updates(id: string): Promise<Json[]> {
    const replies: Message[] = await this.client.connect({ timeout: 0 });
    for (const m of dataOf(replies)) {
      const { realtimeAction, data } = m.data as { realtimeAction: string; data: Json };
      if (realtimeAction === "UPDATE") this.pending.push({ id: m.channel.split("/")[2]!, data });
    }
    const mine = this.pending.filter((u) => u.id === id).map((u) => u.data);
    this.pending = this.pending.filter((u) => u.id !== id);
    return mine;
  }
}

const statusOf = (fragment: unknown): unknown =>
  typeof fragment === "object" && fragment !== null ? (fragment as Json).status : undefined;

export const statusesOf = (objects: Json[]) =>
  objects.map((o) => ({
    availability: statusOf(o.c8y_Availability),
    connection: statusOf(o.c8y_Connection),
  }));
