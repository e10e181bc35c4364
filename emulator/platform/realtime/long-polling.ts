import type { IncomingMessage, ServerResponse } from "node:http";
import type { FayeMessage } from "faye";
import { sendError } from "../app.js";
import type { Principal } from "../auth/principal.js";
import type { PlatformContext } from "../context.js";
import { isPlainObject, readBody } from "../http/body.js";
import { PlatformError } from "../http/errors.js";
import type { BayeuxEndpoint } from "./bayeux.js";

const badRequest = (message: string) => new PlatformError(400, "realtime/Bad Request", message);

/**
 * One long-polling POST: authenticate the header (if any), parse the batch, let faye run it, answer with the
 * replies in Cumulocity's order. Bad input gets the platform's error body, never a Bayeux reply.
 */
export async function handleLongPolling(
  endpoint: BayeuxEndpoint,
  ctx: PlatformContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method !== "POST") {
      throw new PlatformError(405, "general/methodNotAllowed", `Method ${req.method} is not supported here`);
    }
    // Long-polling rides on normal platform authentication: a header that does not verify is a 401 for the
    // whole request. Without a header the messages speak for themselves (handshake ext token, or clientId).
    let principal: Principal | undefined;
    const header = req.headers.authorization;
    if (header) principal = await ctx.auth.fromHeader(header);
    const messages = parseMessages(await readBody(req, ctx.config.bodyLimit), req.headers["content-type"]);
    await answer(endpoint, req, res, messages, principal);
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    if (!req.complete) req.resume();
    if (!res.headersSent) sendError(res, err);
  }
}

async function answer(
  endpoint: BayeuxEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  messages: FayeMessage[],
  principal: Principal | undefined,
) {
  const connects = messages.filter((m) => m.channel === "/meta/connect");
  for (const connect of connects) {
    // CometD servers only suspend a connect that travels alone; batched with other messages it is answered at once.
    if (messages.length > 1)
      connect.advice = { ...(isPlainObject(connect.advice) ? connect.advice : {}), timeout: 0 };
    if (typeof connect.clientId === "string") endpoint.releaseHeld(connect.clientId);
  }
  const lone = messages.length === 1 && connects.length === 1 ? connects[0] : undefined;
  const clientId = typeof lone?.clientId === "string" ? lone.clientId : undefined;
  const token = clientId ? endpoint.trackHeld(clientId) : undefined;
  let answered = false;
  if (clientId && token) {
    // A client that gives up on its poll must not swallow what arrives next: complete the connect now so
    // later deliveries queue for the next one.
    res.once("close", () => {
      if (!answered) endpoint.releaseHeld(clientId, token);
    });
  }
  const replies = await endpoint.process(messages, { principal, headers: req.headers });
  answered = true;
  if (clientId && token) endpoint.untrackHeld(clientId, token);
  if (res.destroyed || res.writableEnded) return;
  // faye puts the connect reply first; the platform sends deliveries first and the connect reply last.
  const ordered = [
    ...replies.filter((r) => r.channel !== "/meta/connect"),
    ...replies.filter((r) => r.channel === "/meta/connect"),
  ];
  const body = JSON.stringify(ordered);
  res.writeHead(200, {
    "content-type": "application/json;charset=UTF-8",
    "cache-control": "no-cache, no-store",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * A Bayeux batch: a JSON array of messages or one message object; also the form encoding `message=<json>` the
 * spec allows. The Accept header is not checked (the platform answers an empty body without one; we are lenient).
 */
export function parseMessages(body: Buffer, contentType: string | undefined): FayeMessage[] {
  let text = body.toString("utf8");
  if (contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    text = new URLSearchParams(text).get("message") ?? "";
  }
  if (text.trim() === "") throw badRequest("Request body is empty");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw badRequest(`Could not parse JSON: ${(e as Error).message}`);
  }
  const list: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw badRequest("No Bayeux messages in the request");
  if (list.length > 100) throw badRequest("Too many Bayeux messages in one request");
  for (const m of list) {
    if (!isPlainObject(m) || typeof m.channel !== "string")
      throw badRequest("Every Bayeux message must be an object with a channel");
  }
  return list as FayeMessage[];
}
