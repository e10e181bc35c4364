// A hub's open streams, with real SSE streams read the way an EventSource reads them: fan-out by topic, a slow
// client dropped instead of buffered for, heartbeats, state changes, and resyncs held back until the topics are
// live. Time moves only by the manual clock.
import { describe, expect, it } from "vitest";
import type { LiveTopic, UpstreamState } from "@/lib/schemas/events";
import { createSseStream, encodeEvent, type LiveSink } from "../sse";
import { StreamSet } from "../stream-set";
import { ManualClock, SseReader } from "./support";

const HEARTBEAT_MS = 15_000;

function setUp() {
  const clock = new ManualClock();
  let state: UpstreamState = "connecting";
  /** Streams whose topics were released: exactly once each, whichever way they left. */
  const released: LiveSink[] = [];
  const set = new StreamSet({
    clock,
    heartbeatMs: HEARTBEAT_MS,
    stateOf: () => state,
    headId: () => "cafe0000.9",
    onGone: (sink) => released.push(sink),
  });
  /** A stream as the hub gets it: the sink leaves the set when it closes, like `detach` does. */
  const open = (topics: LiveTopic[], maxQueuedBytes = 1024 * 1024) => {
    let sink!: LiveSink;
    const { body, abort } = createSseStream({
      topics: new Set(topics),
      maxQueuedBytes,
      onOpen: (s) => {
        sink = s;
        set.add(s);
      },
      onClose: (s) => {
        if (set.remove(s)) released.push(s);
      },
    });
    return { sink, body, abort };
  };
  const setState = (next: UpstreamState) => {
    state = next;
    set.refreshAll();
  };
  return { clock, set, released, open, setState };
}

const event = (id: number, deviceId: string) =>
  encodeEvent({ id: `cafe0000.${id}`, type: "device.deleted", data: { id: deviceId } });

describe("StreamSet", () => {
  it("writes each event to the streams whose topics cover it", async () => {
    const { set, open } = setUp();
    const all = open(["devices:*"]);
    const one = open(["devices:7"]);
    const [a, b] = [new SseReader(all.body), new SseReader(one.body)];
    set.open(all.sink, undefined);
    set.open(one.sink, undefined);
    set.broadcast("devices:8", event(1, "8"));
    set.broadcast("devices:7", event(2, "7"));
    expect((await a.event("device.deleted")).id).toBe("cafe0000.1");
    expect((await a.event("device.deleted")).id).toBe("cafe0000.2");
    expect((await b.event("device.deleted")).id).toBe("cafe0000.2");
    expect(b.pendingEvents().filter((f) => f.event === "device.deleted")).toEqual([]);
  });

  it("drops a client that does not read, at once, and keeps serving the others", async () => {
    const { set, released, open } = setUp();
    const fast = open(["devices:*"]);
    const slow = open(["devices:*"], 4096); // nobody reads its body until the end
    const reader = new SseReader(fast.body);
    set.open(fast.sink, undefined);
    set.open(slow.sink, undefined);
    for (let i = 1; i <= 100; i++) set.broadcast("devices:1", event(i, `device-${"x".repeat(64)}-${i}`));

    expect(set.dropped).toBe(1);
    expect(set.size).toBe(1);
    expect(released).toEqual([slow.sink]);
    expect(slow.sink.queuedBytes).toBe(0);
    for (let i = 1; i <= 100; i++) expect((await reader.event("device.deleted")).id).toBe(`cafe0000.${i}`);
    const late = new SseReader(slow.body);
    expect(await late.end).toBe("errored");
  });

  it("sends a comment heartbeat while streams are open, and keeps no timer once they are gone", async () => {
    const { clock, set, open } = setUp();
    const s = open(["devices:*"]);
    const reader = new SseReader(s.body);
    set.open(s.sink, undefined);
    clock.advance(HEARTBEAT_MS - 1);
    set.broadcast("devices:1", event(1, "1"));
    clock.advance(1);
    clock.advance(HEARTBEAT_MS);
    await reader.frames.next((f) => f.comment !== undefined);
    await reader.frames.next((f) => f.comment !== undefined);
    expect(reader.frames.all).toEqual([
      { event: "upstream.changed", data: { state: "connecting" } },
      { id: "cafe0000.1", event: "device.deleted", data: { id: "1" } },
      { comment: "keep-alive" },
      { comment: "keep-alive" },
    ]);
    s.abort();
    expect(set.size).toBe(0);
    expect(clock.pending()).toEqual([]);
  });

  it("tells each stream its upstream state when it changes, and the resync it owes once live", async () => {
    const { set, open, setState } = setUp();
    const s = open(["devices:*", "operations:*"]);
    const reader = new SseReader(s.body);
    set.add(s.sink); // idempotent: already added when the stream opened
    set.open(s.sink, { reason: "initial", topics: ["devices:*", "operations:*"] });
    setState("reconnecting");
    setState("reconnecting");
    setState("connected");
    expect(await reader.event()).toEqual({ event: "upstream.changed", data: { state: "connecting" } });
    expect(await reader.event()).toEqual({ event: "upstream.changed", data: { state: "reconnecting" } });
    expect(await reader.event()).toEqual({ event: "upstream.changed", data: { state: "connected" } });
    expect(await reader.event()).toEqual({
      id: "cafe0000.9",
      event: "resync",
      data: { reason: "initial", topics: ["devices:*", "operations:*"] },
    });

    // While live, a requested resync goes out at once, for the chosen topics only.
    set.requestResync("upstream", (t) => t.startsWith("devices"));
    expect(await reader.event()).toEqual({
      id: "cafe0000.9",
      event: "resync",
      data: { reason: "upstream", topics: ["devices:*"] },
    });
    // While not live, it waits, and gathers what is asked meanwhile.
    setState("reconnecting");
    set.requestResync("upstream", (t) => t.startsWith("devices"));
    set.requestResync("upstream", (t) => t.startsWith("operations"));
    setState("connected");
    const owed = await reader.event("resync");
    expect(owed).toMatchObject({ data: { reason: "upstream", topics: ["devices:*", "operations:*"] } });
    const frames = reader.frames.all;
    expect(frames[frames.indexOf(owed) - 1]).toEqual({
      event: "upstream.changed",
      data: { state: "connected" },
    });
  });

  it("ends every stream, after a last event when there is one", async () => {
    const { clock, set, open } = setUp();
    const a = open(["devices:*"]);
    const reader = new SseReader(a.body);
    set.open(a.sink, undefined);
    set.endAll(encodeEvent({ type: "session.ended", data: { reason: "credentials_refused" } }));
    expect(await reader.event("session.ended")).toMatchObject({ data: { reason: "credentials_refused" } });
    expect(await reader.end).toBe("closed");
    expect(set.size).toBe(0);
    expect(clock.pending()).toEqual([]);
  });
});
