// A stand-in for the browser's EventSource (the network edge of the live connection): tests play the server's
// side by emitting events and errors on it.
import type { OperationDto, OperationStatus } from "@/lib/schemas/operations";
import type { EventSourceLike } from "../connection";

export class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, ((event: Event) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  static reset(): void {
    FakeEventSource.opened = [];
  }

  static latest(): FakeEventSource {
    const last = FakeEventSource.opened.at(-1);
    if (!last) throw new Error("no EventSource was opened");
    return last;
  }

  get params(): URLSearchParams {
    return new URL(this.url, "http://console.test").searchParams;
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = 2;
    this.closed = true;
  }

  /** The last `id:` seen: like a browser, it is repeated on every later event without one. */
  private lastEventId = "";

  /** The server sends an event (`data` is JSON-encoded unless it is a string). */
  emit(type: string, data: unknown, id?: string): void {
    this.readyState = 1;
    if (id !== undefined) this.lastEventId = id;
    const event = new MessageEvent(type, {
      data: typeof data === "string" ? data : JSON.stringify(data),
      lastEventId: this.lastEventId,
    });
    for (const l of this.listeners.get(type) ?? []) l(event);
  }

  /** The connection broke: `gaveUp` as after an HTTP error (CLOSED), else the browser reconnects itself. */
  fail(gaveUp: boolean): void {
    this.readyState = gaveUp ? 2 : 0;
    for (const l of this.listeners.get("error") ?? []) l(new Event("error"));
  }
}

/** An operation as the server sends it (the REST routes' DTO). */
export const operation = (id: string, status: OperationStatus, deviceId = "42"): OperationDto => ({
  id,
  deviceId,
  deviceName: "Pump",
  agentId: deviceId,
  status,
  creationTime: "2030-01-01T00:00:00.000Z",
  description: "Restart",
  failureReason: null,
  type: "c8y_Restart",
  command: null,
  fragments: { c8y_Restart: {} },
  bulkOperationId: null,
});
