import { z } from "zod";
import { liveTopicsParamSchema } from "@/lib/schemas/events";
import { ApiError } from "@/lib/server/errors";
import {
  EVENT_STREAM_HEADERS,
  assertTopicsAllowed,
  openEventStream,
} from "@/lib/server/realtime/event-stream";
import { parseQuery, route } from "@/lib/server/route";

// A stream lives as long as the tab: Node runtime, never prerendered or cached (docs/stack.md gotcha 6).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.object({
  topics: liveTopicsParamSchema.optional(),
  /** Resume point when the browser swaps streams itself (EventSource only sends Last-Event-ID on reconnects). */
  lastEventId: z.string().max(100).optional(),
});

// GET /api/events – the operator's live events (server-sent events) for the topics asked for.
const stream = route({ session: "required" }, ({ req, session }) => {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none")
    throw new ApiError("cross_site_refused", "Cross-site requests are refused.");
  const { topics = [], lastEventId } = parseQuery(req, querySchema);
  assertTopicsAllowed(session, topics);
  return openEventStream({
    req,
    session,
    topics,
    lastEventId: req.headers.get("last-event-id") ?? lastEventId,
  });
});

export async function GET(req: Request, ctx: { params: Promise<Record<string, never>> }): Promise<Response> {
  const res = await stream(req, ctx);
  // The wrapper marks every answer no-store; a stream also must not be transformed (compressed, buffered).
  if (res.ok) res.headers.set("cache-control", EVENT_STREAM_HEADERS["cache-control"]);
  return res;
}
