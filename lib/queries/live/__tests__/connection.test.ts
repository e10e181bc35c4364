import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LiveEvent } from "@/lib/schemas/events";
import { LiveConnection } from "../connection";
import { LiveStatusStore } from "../status";
import { FakeEventSource, operation } from "./fake-event-source";

let store: LiveStatusStore;
let received: LiveEvent[];
let ended: number;
let closedChecks: number;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2030-01-01T00:00:00.000Z") });
  FakeEventSource.reset();
  store = new LiveStatusStore();
  received = [];
  ended = 0;
  closedChecks = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

function connect() {
  const conn = new LiveConnection({
    createEventSource: (url) => new FakeEventSource(url),
    store,
    onEvent: (e) => received.push(e),
    onSessionEnded: () => (ended += 1),
    onClosed: () => (closedChecks += 1),
    offlineAfterMs: 15_000,
    reopenMs: 2_000,
    maxReopenMs: 8_000,
  });
  return conn;
}

describe("opening and swapping streams", () => {
  it("opens one stream for the topics, batching changes made in the same tick", () => {
    const conn = connect();
    conn.setTopics(["operations:*"]);
    conn.setTopics(["registrations", "operations:*", "registrations"]);
    vi.advanceTimersByTime(0);
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(FakeEventSource.latest().params.get("topics")).toBe("operations:*,registrations");
    expect(FakeEventSource.latest().params.has("lastEventId")).toBe(false);
    expect(store.get()).toMatchObject({ state: "connecting", topics: ["operations:*", "registrations"] });
    conn.close();
  });

  it("swaps the stream when the topics change, resuming after the last event seen", () => {
    const conn = connect();
    conn.setTopics(["operations:*"]);
    vi.advanceTimersByTime(0);
    const first = FakeEventSource.latest();
    first.emit("upstream.changed", { state: "connected" });
    first.emit("operation.created", { operation: operation("7", "PENDING") }, "ab12cd34.5");

    conn.setTopics(["operations:*", "devices:42"]);
    vi.advanceTimersByTime(0);
    const second = FakeEventSource.latest();
    expect(first.closed).toBe(true);
    expect(second.params.get("lastEventId")).toBe("ab12cd34.5");
    // A swap between live topics stays live; events of the old stream are ignored from now on.
    expect(store.get().state).toBe("live");
    first.emit("operation.updated", { operation: operation("7", "EXECUTING") }, "ab12cd34.6");
    expect(received).toHaveLength(1);
    conn.close();
  });
});

describe("events", () => {
  it("validates events and hands each data event on once, whatever stream delivered it", () => {
    const conn = connect();
    conn.setTopics(["operations:*"]);
    vi.advanceTimersByTime(0);
    const es = FakeEventSource.latest();
    es.emit("operation.created", { operation: operation("7", "PENDING") }, "ab12cd34.1");
    es.emit("operation.updated", { operation: { id: "7" } }, "ab12cd34.2"); // malformed: ignored
    es.emit("operation.updated", "not json", "ab12cd34.3");
    es.emit("operation.created", { operation: operation("7", "PENDING") }, "ab12cd34.1"); // a replayed duplicate
    es.emit("operation.updated", { operation: operation("7", "EXECUTING") }, "ab12cd34.4");
    // A new subscriber on the server (restart): its numbering starts again.
    es.emit("resync", { reason: "restart", topics: ["operations:*"] }, "ffff0000.0");
    es.emit("operation.updated", { operation: operation("7", "SUCCESSFUL") }, "ffff0000.1");
    expect(received.map((e) => e.type)).toEqual([
      "operation.created",
      "operation.updated",
      "resync",
      "operation.updated",
    ]);
    expect(store.get().confirmedAt.operations).toBe(Date.now());
    conn.close();
  });

  it("ends the session when the server says the credential was refused", () => {
    const conn = connect();
    conn.setTopics(["registrations"]);
    vi.advanceTimersByTime(0);
    const es = FakeEventSource.latest();
    es.emit("registration.changed", { changes: [], truncated: false }, "ab12cd34.9");
    // Status events carry no id of their own (the browser repeats the last one): they are never de-duplicated.
    es.emit("upstream.changed", { state: "connected" });
    expect(store.get().state).toBe("live");
    es.emit("session.ended", { reason: "credentials_refused" });
    expect(ended).toBe(1);
    expect(es.closed).toBe(true);
    vi.advanceTimersByTime(120_000);
    expect(FakeEventSource.opened).toHaveLength(1);
  });
});

describe("status", () => {
  it("is live while the server's subscription is, reconnecting while either side recovers, offline after a while", () => {
    const conn = connect();
    conn.setTopics(["devices:*"]);
    vi.advanceTimersByTime(0);
    const es = FakeEventSource.latest();
    es.emit("upstream.changed", { state: "connecting" });
    expect(store.get().state).toBe("connecting");
    es.emit("upstream.changed", { state: "connected" });
    expect(store.get()).toMatchObject({ state: "live", since: Date.now() });

    vi.advanceTimersByTime(5_000);
    es.emit("upstream.changed", { state: "reconnecting" });
    // The data was current until the moment the stream stopped being live.
    expect(store.get()).toMatchObject({ state: "reconnecting", confirmedAt: { devices: Date.now() } });
    vi.advanceTimersByTime(14_999);
    expect(store.get().state).toBe("reconnecting");
    vi.advanceTimersByTime(1);
    expect(store.get().state).toBe("offline");
    es.emit("upstream.changed", { state: "connected" });
    expect(store.get().state).toBe("live");

    es.fail(false); // the browser reconnects by itself (and sends Last-Event-ID)
    expect(store.get().state).toBe("reconnecting");
    expect(FakeEventSource.opened).toHaveLength(1);
    es.emit("upstream.changed", { state: "connected" });
    expect(store.get().state).toBe("live");
    conn.close();
  });

  it("reopens a stream the browser gave up on after a growing pause, and asks for a session check", () => {
    const conn = connect();
    conn.setTopics(["devices:*"]);
    vi.advanceTimersByTime(0);
    FakeEventSource.latest().fail(true);
    expect(closedChecks).toBe(1);
    vi.advanceTimersByTime(1_999);
    expect(FakeEventSource.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.latest().fail(true);
    vi.advanceTimersByTime(3_999);
    expect(FakeEventSource.opened).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(3);
    // Going live resets the pause.
    FakeEventSource.latest().emit("upstream.changed", { state: "connected" });
    FakeEventSource.latest().fail(true);
    vi.advanceTimersByTime(2_000);
    expect(FakeEventSource.opened).toHaveLength(4);
    conn.close();
  });

  it("is offline while the browser is, and reopens at once when it is back", () => {
    const conn = connect();
    conn.setTopics(["devices:*"]);
    vi.advanceTimersByTime(0);
    FakeEventSource.latest().fail(true);
    conn.setOnline(false);
    expect(store.get().state).toBe("offline");
    conn.setOnline(true);
    expect(FakeEventSource.opened).toHaveLength(2);
    conn.close();
  });

  it("back online with a stream that still looks open, swaps it and is live again once the server says so", () => {
    const conn = connect();
    conn.setTopics(["bulkOperations:7"]);
    vi.advanceTimersByTime(0);
    const first = FakeEventSource.latest();
    first.emit("upstream.changed", { state: "connected" });
    first.emit("resync", { reason: "initial", topics: ["bulkOperations:7"] }, "ab12cd34.3");
    conn.setOnline(false);
    expect(store.get().state).toBe("offline");
    conn.setOnline(true);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.latest().params.get("lastEventId")).toBe("ab12cd34.3");
    expect(store.get().state).toBe("offline");
    FakeEventSource.latest().emit("upstream.changed", { state: "connected" });
    expect(store.get().state).toBe("live");
    conn.close();
  });
});
