import "server-only";
import { parseTopic, type LiveTopic } from "@/lib/schemas/events";
import { ApiError, UpstreamError } from "../errors";
import { toSessionUserDto, type SessionData } from "../session";
import type { Timer } from "./clock";
import { liveHubs } from "./registry";
import { createSseStream } from "./sse";

/** Headers of the event stream (docs/stack.md gotcha 7): no caching or transforming proxies, no proxy buffering. */
export const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-store, no-transform",
  "x-accel-buffering": "no",
} as const;

/** setTimeout's longest delay (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Refuses topics the operator's roles do not cover (the platform would refuse the subscription anyway). */
export function assertTopicsAllowed(session: SessionData, topics: readonly LiveTopic[]): void {
  const { can } = toSessionUserDto(session);
  for (const topic of topics) {
    const resource = parseTopic(topic)?.resource;
    const allowed =
      resource === "devices"
        ? can.readDevices
        : resource === "bulkOperations"
          ? can.readBulkOperations
          : can.readRegistrations;
    if (!allowed)
      throw new ApiError("forbidden", `Your user may not follow ${resource ?? topic} (topic ${topic}).`);
  }
}

/**
 * Opens one tab's event stream on the hub of the session's credential. Cleanup runs on every way a stream can
 * end: the request aborted (tab closed), the body cancelled by the HTTP layer, the client dropped for being too
 * slow, or the server ending it after `session.ended`.
 */
export function openEventStream(options: {
  req: Request;
  session: SessionData;
  topics: readonly LiveTopic[];
  lastEventId: string | undefined;
}): Response {
  const registry = liveHubs();
  const hub = registry.acquire(options.session);
  // A credential the platform just refused: 401 ends the session (the wrapper clears the cookie), and an
  // EventSource does not reconnect after a non-200 answer.
  if (hub === "refused") throw new UpstreamError(401, undefined, "The platform refused the credential.");
  let expiry: Timer | undefined;
  let ended = false;
  const { body, abort } = createSseStream({
    topics: new Set(options.topics),
    maxQueuedBytes: registry.settings.maxQueuedBytes,
    onOpen: (sink) => hub.attach(sink, options.lastEventId),
    onClose: (sink) => {
      ended = true;
      expiry?.cancel();
      registry.release(hub, sink);
    },
  });
  if (options.req.signal.aborted) abort();
  else options.req.signal.addEventListener("abort", abort, { once: true });
  // The stream ends with the session: the browser's reconnect then meets the expired cookie (401) and signs in.
  const remaining = Math.min(options.session.expiresAt - Date.now(), MAX_TIMER_MS);
  if (!ended) expiry = registry.settings.clock.setTimeout(abort, Math.max(0, remaining));
  return new Response(body, { status: 200, headers: EVENT_STREAM_HEADERS });
}
