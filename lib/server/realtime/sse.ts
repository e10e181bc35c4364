import "server-only";
import type { LiveTopic } from "@/lib/schemas/events";

/**
 * Server-sent events on the wire (the WHATWG `text/event-stream` format) and the per-tab sink that writes them.
 * Chunks are encoded once per event and shared by every stream that gets them (fan-out to hundreds of tabs).
 */

const encoder = new TextEncoder();

/** One event: `id`, `event` and one `data` line (JSON has no raw newlines, so one line always suffices). */
export function encodeEvent(event: { id?: string; type: string; data: unknown }): Uint8Array {
  const lines: string[] = [];
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  lines.push(`event: ${event.type}`, `data: ${JSON.stringify(event.data)}`);
  return encoder.encode(`${lines.join("\n")}\n\n`);
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function encodeComment(text: string): Uint8Array {
  return encoder.encode(`: ${text.replace(/[\r\n]+/g, " ")}\n\n`);
}

/** How long the browser waits before reconnecting after the stream broke. */
export function encodeRetry(ms: number): Uint8Array {
  return encoder.encode(`retry: ${Math.round(ms)}\n\n`);
}

/** One open event stream as the hub sees it. */
export interface LiveSink {
  readonly topics: ReadonlySet<LiveTopic>;
  /** Queues a chunk; false when the stream is gone or was just dropped for not keeping up. */
  write(chunk: Uint8Array): boolean;
  /** The server ends the stream (after `session.ended`). */
  end(): void;
  /** Bytes waiting for the client to read them. */
  readonly queuedBytes: number;
}

export interface SseStreamOptions {
  topics: ReadonlySet<LiveTopic>;
  /** A client that leaves more than this unread is dropped (it reconnects and resumes with Last-Event-ID). */
  maxQueuedBytes: number;
  /** Called once when the stream ends for any reason: client gone, dropped, or ended by the server. */
  onClose: (sink: LiveSink, why: "cancelled" | "dropped" | "ended") => void;
  /** Called with the sink as soon as the stream exists (the caller attaches it to its hub here). */
  onOpen: (sink: LiveSink) => void;
}

/**
 * A ReadableStream for a Response body plus its sink. Nothing is buffered without bound: the queue is measured in
 * bytes, and a client whose unread bytes pass `maxQueuedBytes` gets its stream errored (which the HTTP layer turns
 * into a closed connection) and its memory released at once.
 */
export function createSseStream(options: SseStreamOptions): {
  body: ReadableStream<Uint8Array>;
  /** The client went away (request aborted): release everything now. */
  abort: () => void;
} {
  const highWaterMark = Math.min(64 * 1024, options.maxQueuedBytes);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const close = (why: "cancelled" | "dropped" | "ended") => {
    if (closed) return false;
    closed = true;
    options.onClose(sink, why);
    return true;
  };
  const sink: LiveSink = {
    topics: options.topics,
    get queuedBytes() {
      return closed ? 0 : Math.max(0, highWaterMark - (controller.desiredSize ?? highWaterMark));
    },
    write(chunk) {
      if (closed) return false;
      if (sink.queuedBytes + chunk.byteLength > options.maxQueuedBytes) {
        if (close("dropped"))
          controller.error(new Error("event stream dropped: the client does not keep up"));
        return false;
      }
      controller.enqueue(chunk);
      return true;
    },
    end() {
      if (close("ended")) controller.close();
    },
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        options.onOpen(sink);
      },
      cancel() {
        close("cancelled");
      },
    },
    { highWaterMark, size: (chunk) => chunk.byteLength },
  );
  const abort = () => {
    if (!close("cancelled")) return;
    try {
      controller.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  };
  return { body, abort };
}
