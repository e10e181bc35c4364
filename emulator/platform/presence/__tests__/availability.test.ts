// c8y_Availability: heartbeats, the response interval, maintenance, coalesced writes, and what clients may not fake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualTime } from "../../../../tests/support/manual-time.js";
import type { TestPlatform } from "../../../../tests/support/platform.js";
import {
  agent,
  create,
  get,
  heartbeat,
  presenceOf,
  put,
  SETTINGS,
  startPresencePlatform,
  statusesOf,
  Watcher,
} from "./support.js";

let p: TestPlatform;
let time: ManualTime;
let watcher: Watcher;

beforeAll(async () => {
  ({ p, time } = await startPresencePlatform());
  watcher = await Watcher.open(p);
});
afterAll(async () => {
  await p.close();
});

const INTERVAL_MIN = 10;
/** How long a silent device stays AVAILABLE: its interval plus the vendor's 180 s delay. */
const SILENCE_MS = INTERVAL_MIN * 60_000 + SETTINGS.availabilityGraceMs;
const iso = (ms: number) => new Date(ms).toISOString();

describe("availability of a monitored device", () => {
  it("is UNAVAILABLE until the device sends a message, then AVAILABLE with the time of that message", async () => {
    const id = await agent(p, INTERVAL_MIN);
    expect(await presenceOf(p, id)).toEqual({
      c8y_Availability: { status: "UNAVAILABLE" },
      c8y_Connection: { status: "DISCONNECTED" },
    });
    time.advance(1_234);
    const sent = time.now();
    expect(await heartbeat(p, id)).toEqual({ id });
    expect((await get(p, id)).c8y_Availability).toEqual({ lastMessage: iso(sent), status: "AVAILABLE" });
    expect(statusesOf(await watcher.updates(id))).toEqual([
      { availability: "AVAILABLE", connection: "DISCONNECTED" },
    ]);
  });

  it("turns UNAVAILABLE once interval + 180 s pass without a message, and AVAILABLE again with the next one", async () => {
    const id = await agent(p, INTERVAL_MIN);
    await heartbeat(p, id);
    const sent = time.now();
    await watcher.updates(id);
    time.advance(SILENCE_MS);
    expect((await get(p, id)).c8y_Availability.status).toBe("AVAILABLE");
    // The next check after the deadline (they run every second here) writes the change.
    time.advance(SETTINGS.checkIntervalMs);
    expect((await get(p, id)).c8y_Availability).toEqual({ lastMessage: iso(sent), status: "UNAVAILABLE" });
    expect(statusesOf(await watcher.updates(id))).toEqual([
      { availability: "UNAVAILABLE", connection: "DISCONNECTED" },
    ]);
    await heartbeat(p, id);
    expect((await get(p, id)).c8y_Availability).toEqual({
      lastMessage: iso(time.now()),
      status: "AVAILABLE",
    });
    expect(statusesOf(await watcher.updates(id))).toEqual([
      { availability: "AVAILABLE", connection: "DISCONNECTED" },
    ]);
  });

  it("counts only the empty or id-only update of the device itself, sent without an application key", async () => {
    const id = await agent(p, INTERVAL_MIN);
    await put(p, id, {}, { "x-cumulocity-application-key": "console" });
    await put(p, id, { lastUpdated: "2020-01-01T00:00:00.000Z" });
    await put(p, id, { acme_Note: "an ordinary update is no message" });
    expect((await get(p, id)).c8y_Availability).toEqual({ status: "UNAVAILABLE" });
    expect(await put(p, id, { id })).toEqual({ id });
    expect((await get(p, id)).c8y_Availability.status).toBe("AVAILABLE");
  });

  it("writes once per resolution under a burst of messages, and keeps the newest for the deadline", async () => {
    const id = await agent(p, INTERVAL_MIN);
    await watcher.updates(id);
    const first = time.now();
    for (let i = 0; i < 100; i++) {
      await heartbeat(p, id);
      time.advance(100);
    }
    const last = time.now() - 100;
    // One write: the device turned AVAILABLE. The other 99 messages only moved the time held in memory.
    expect(await watcher.updates(id)).toEqual([
      expect.objectContaining({ c8y_Availability: { lastMessage: iso(first), status: "AVAILABLE" } }),
    ]);
    // The deadline counts from the newest message, not from the one stored.
    time.advance(last + SILENCE_MS - time.now());
    expect(await watcher.updates(id)).toEqual([]);
    time.advance(SETTINGS.checkIntervalMs);
    expect(await watcher.updates(id)).toEqual([
      expect.objectContaining({ c8y_Availability: { lastMessage: iso(last), status: "UNAVAILABLE" } }),
    ]);
  });

  it("stores a newer lastMessage once the stored one is older than the resolution", async () => {
    const id = await agent(p, INTERVAL_MIN);
    await heartbeat(p, id);
    await watcher.updates(id);
    time.advance(SETTINGS.lastMessageResolutionMs - 1);
    await heartbeat(p, id);
    expect(await watcher.updates(id)).toEqual([]);
    time.advance(1);
    await heartbeat(p, id);
    expect(await watcher.updates(id)).toEqual([
      expect.objectContaining({ c8y_Availability: { lastMessage: iso(time.now()), status: "AVAILABLE" } }),
    ]);
  });

  it("leaves lastUpdated alone: the platform's own writes are no update by a user", async () => {
    const id = await agent(p, INTERVAL_MIN);
    const before = (await get(p, id)).lastUpdated as string;
    time.advance(5_000);
    await heartbeat(p, id);
    const after = await get(p, id);
    expect(after.c8y_Availability.status).toBe("AVAILABLE");
    expect(after.lastUpdated).toBe(before);
  });
});

describe("maintenance", () => {
  it("is MAINTENANCE in both fragments for responseInterval ≤ 0, and stays so however long the device is silent", async () => {
    for (const interval of [0, -5]) {
      const id = await agent(p, interval);
      expect(await presenceOf(p, id)).toEqual({
        c8y_Availability: { status: "MAINTENANCE" },
        c8y_Connection: { status: "MAINTENANCE" },
      });
      await heartbeat(p, id);
      expect((await get(p, id)).c8y_Availability).toEqual({
        lastMessage: iso(time.now()),
        status: "MAINTENANCE",
      });
      time.advance(24 * 60 * 60_000);
      expect((await presenceOf(p, id)).c8y_Availability.status).toBe("MAINTENANCE");
    }
  });

  it("switches at once when the interval is changed, in the update that changes it", async () => {
    const id = await agent(p, INTERVAL_MIN);
    await heartbeat(p, id);
    await watcher.updates(id);
    const toMaintenance = await put(p, id, { c8y_RequiredAvailability: { responseInterval: 0 } });
    expect(statusesOf([toMaintenance])).toEqual([{ availability: "MAINTENANCE", connection: "MAINTENANCE" }]);
    const back = await put(p, id, { c8y_RequiredAvailability: { responseInterval: INTERVAL_MIN } });
    expect(statusesOf([back])).toEqual([{ availability: "AVAILABLE", connection: "DISCONNECTED" }]);
    // One notification per update, each already carrying the statuses.
    expect(statusesOf(await watcher.updates(id))).toEqual([
      { availability: "MAINTENANCE", connection: "MAINTENANCE" },
      { availability: "AVAILABLE", connection: "DISCONNECTED" },
    ]);
  });
});

describe("devices that are not monitored", () => {
  it("carry neither fragment; messages before monitoring starts count once it does", async () => {
    const id = String((await create(p, { name: "Plain", c8y_IsDevice: {} })).id);
    await heartbeat(p, id);
    expect(await presenceOf(p, id)).toEqual({ c8y_Availability: undefined, c8y_Connection: undefined });
    const sent = time.now();
    time.advance(60_000);
    const monitored = await put(p, id, { c8y_RequiredAvailability: { responseInterval: INTERVAL_MIN } });
    expect(monitored.c8y_Availability).toEqual({ lastMessage: iso(sent), status: "AVAILABLE" });
  });

  it("lose both fragments when monitoring is switched off", async () => {
    const id = await agent(p, INTERVAL_MIN);
    const off = await put(p, id, { c8y_RequiredAvailability: null });
    expect(off).not.toHaveProperty("c8y_Availability");
    expect(off).not.toHaveProperty("c8y_Connection");
  });

  it("are not monitored with an interval that is not a number", async () => {
    const id = await agent(p, null);
    const odd = await put(p, id, { c8y_RequiredAvailability: { responseInterval: "10" } });
    expect(odd).not.toHaveProperty("c8y_Availability");
  });
});

describe("what clients may not fake", () => {
  it("ignores c8y_Availability and c8y_Connection in a create or an update", async () => {
    const plain = await create(p, {
      name: "Faker",
      c8y_Availability: { status: "AVAILABLE" },
      c8y_Connection: { status: "CONNECTED" },
    });
    expect(plain).not.toHaveProperty("c8y_Availability");
    expect(plain).not.toHaveProperty("c8y_Connection");
    const id = await agent(p, INTERVAL_MIN);
    const faked = await put(p, id, {
      acme_Other: 1,
      c8y_Availability: { status: "AVAILABLE", lastMessage: "2030-01-01T00:00:00.000Z" },
      c8y_Connection: null,
    });
    expect(faked).toMatchObject({
      acme_Other: 1,
      c8y_Availability: { status: "UNAVAILABLE" },
      c8y_Connection: { status: "DISCONNECTED" },
    });
  });

  it("does not count a fake alone as a message", async () => {
    const id = await agent(p, INTERVAL_MIN);
    expect(await put(p, id, { c8y_Availability: { status: "AVAILABLE" } })).toEqual({ id });
    expect((await get(p, id)).c8y_Availability).toEqual({ status: "UNAVAILABLE" });
  });
});
