import "server-only";
import type { z } from "zod";
import { jsonShapeProblem } from "@/lib/schemas/common";
import { assertOwnFetch, assertSameOrigin } from "./csrf";
import { ApiError, UpstreamError, envelope, logFailure, toApiError } from "./errors";
import { REQUEST_ID_HEADER, requestIdFor } from "./request-id";
import {
  clearSessionCookie,
  readSession,
  sessionSetCookie,
  type SessionData,
  type SessionRead,
} from "./session";
import { createPlatformClient, type PlatformClient } from "./upstream/client";

/** JSON request bodies: the largest BFF body (1000 ids to register) stays well below this. */
export const JSON_BODY_LIMIT = 256 * 1024;

interface BaseContext<P> {
  req: Request;
  requestId: string;
  params: P;
  /** Starts (or replaces) the session with this response. */
  setSession: (data: SessionData) => void;
  /** Ends the session with this response. */
  clearSession: () => void;
  /** A platform client for this request, with the given credential (login) or none. */
  platformWith: (auth: SessionData["auth"] | null) => PlatformClient;
}

export interface PublicContext<P> extends BaseContext<P> {
  session: SessionData | null;
}

export interface SessionContext<P> extends BaseContext<P> {
  session: SessionData;
  /** A platform client carrying the session's credential. */
  platform: () => PlatformClient;
}

type Handler<C> = (ctx: C) => Promise<Response> | Response;
type NextHandler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

interface RouteOptions {
  /**
   * `"refuse"`: reads made by another site's page are refused too (`Sec-Fetch-Site`), for answers that cost the
   * server something even when the browser hides them from that page (an event stream). Mutations always are.
   */
  crossSiteReads?: "refuse";
}

/** Each session mode with the handler that fits it. */
type RequiredSessionArgs<P> = [
  options: RouteOptions & { session: "required" },
  handler: Handler<SessionContext<P>>,
];
type OptionalSessionArgs<P> = [
  options: RouteOptions & { session: "optional" },
  handler: Handler<PublicContext<P>>,
];

function needsSession<P>(
  args: RequiredSessionArgs<P> | OptionalSessionArgs<P>,
): args is RequiredSessionArgs<P> {
  return args[0].session === "required";
}

/**
 * The one wrapper around every BFF route handler (docs/style.md rule 5): request id, cross-site refusal for
 * mutations, session loading, the error table, and `Cache-Control: no-store` (answers carry operator data).
 * `session: "required"` answers 401 without a valid session; an upstream 401 ends the session.
 */
export function route<P = Record<string, never>>(...args: RequiredSessionArgs<P>): NextHandler<P>;
export function route<P = Record<string, never>>(...args: OptionalSessionArgs<P>): NextHandler<P>;
export function route<P>(...args: RequiredSessionArgs<P> | OptionalSessionArgs<P>): NextHandler<P> {
  return needsSession(args) ? withSession(args) : withOptionalSession(args);
}

function withSession<P>([options, handler]: RequiredSessionArgs<P>): NextHandler<P> {
  return wrap<P>(options, (base, read) => {
    if (read.state !== "valid")
      throw new ApiError(
        "unauthenticated",
        read.state === "invalid" ? "Your session has ended. Sign in again." : "Sign in to continue.",
      );
    const session = read.data;
    return handler({ ...base, session, platform: () => base.platformWith(session.auth) });
  });
}

function withOptionalSession<P>([options, handler]: OptionalSessionArgs<P>): NextHandler<P> {
  return wrap<P>(options, (base, read) =>
    handler({ ...base, session: read.state === "valid" ? read.data : null }),
  );
}

/** Everything around a handler that does not depend on the session mode. */
function wrap<P>(
  options: RouteOptions,
  inner: (base: BaseContext<P>, read: SessionRead) => Promise<Response> | Response,
): NextHandler<P> {
  return async (req, { params }) => {
    const requestId = requestIdFor(req);
    const path = new URL(req.url).pathname;
    let cookie: string | undefined;
    let sessionWrite: SessionData | null | undefined;
    let response: Response;
    try {
      assertDecodablePath(path);
      assertSameOrigin(req);
      assertBodyType(req);
      if (options.crossSiteReads === "refuse") assertOwnFetch(req);
      const read = await readSession(req);
      if (read.state === "invalid") cookie = clearSessionCookie();
      response = await inner(
        {
          req,
          requestId,
          params: await params,
          setSession: (data) => void (sessionWrite = data),
          clearSession: () => void (sessionWrite = null),
          platformWith: (auth) => createPlatformClient({ auth, requestId, signal: req.signal }),
        },
        read,
      );
      if (sessionWrite === null) cookie = clearSessionCookie();
      else if (sessionWrite !== undefined) cookie = await sessionSetCookie(sessionWrite);
    } catch (err) {
      const answered = toApiError(err);
      // The platform no longer accepts the credential: the session is worthless (docs/style.md rule 6).
      if (err instanceof UpstreamError && err.status === 401) cookie = clearSessionCookie();
      logFailure(requestId, req.method, path, err, answered);
      response = Response.json(envelope(answered, requestId), { status: answered.status });
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    // no-transform: Next's gzip of a few kilobytes of JSON cost about a tenth of a BFF request's CPU; the
    // answers are small, and compression belongs to a reverse proxy where bandwidth matters (docs/bff.md).
    response.headers.set("cache-control", "no-store, no-transform");
    if (cookie !== undefined) response.headers.append("set-cookie", cookie);
    return response;
  };
}

/**
 * Ids reach handlers percent-decoded; a path whose escapes do not decode (`%zz`, overlong UTF-8 like `%C0%AE`)
 * names nothing, so it is refused before anything else (proxy.ts does the same in front of Next's router).
 */
function assertDecodablePath(path: string): void {
  if (!path.includes("%")) return;
  try {
    decodeURIComponent(path);
  } catch {
    throw new ApiError("bad_path", "The address contains a malformed percent-encoding.");
  }
}

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `application/json` and the `+json` types; parameters (charset) are allowed. */
export function isJsonType(type: string | null): boolean {
  if (type === null) return false;
  const essence = type.split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || /^application\/[\w.+-]+\+json$/.test(essence);
}

function isMultipartType(type: string | null): boolean {
  return type !== null && type.split(";")[0]!.trim().toLowerCase() === "multipart/form-data";
}

/**
 * A mutation's body is JSON, or the multipart form of the CSV upload (whose handler insists on it); anything else
 * is 415 before a handler runs. A body is known from its content type or its declared length; a mutation without
 * one (rerun, logout, a DELETE) passes.
 */
function assertBodyType(req: Request): void {
  if (!MUTATIONS.has(req.method.toUpperCase())) return;
  const type = req.headers.get("content-type");
  const length = req.headers.get("content-length");
  const declaresBody = req.headers.has("transfer-encoding") || (length !== null && length.trim() !== "0");
  if (type === null ? declaresBody : !isJsonType(type) && !isMultipartType(type)) throw unsupportedType();
}

function unsupportedType(): ApiError {
  return new ApiError("unsupported_media_type", "Send the request body as application/json.");
}

/** A DTO answer. */
export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** Reads at most `limit` bytes of the body; 413 beyond, before buffering more than that. */
export async function readLimitedBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(limit: number): ApiError {
  const size = limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MB` : `${Math.round(limit / 1024)} KB`;
  return new ApiError("payload_too_large", `The request is larger than ${size}.`);
}

/**
 * A body that is not JSON by its type → 415, bad JSON → 400 bad_json, too deep or too many values → 422 before
 * the schema walks it (zod recurses: 10,000 levels overflow its stack), schema failure → 422 invalid_input with
 * the fields named.
 */
export async function parseJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  limit = JSON_BODY_LIMIT,
): Promise<z.infer<S>> {
  if (!isJsonType(req.headers.get("content-type"))) throw unsupportedType();
  const bytes = await readLimitedBody(req, limit);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError("bad_json", "The request body is not valid JSON.");
  }
  const problem = jsonShapeProblem(raw);
  if (problem) throw new ApiError("invalid_input", problem, { fields: { "(body)": problem } });
  return validate(schema, raw);
}

/** Query parameters through a schema; empty values count as absent. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of new URL(req.url).searchParams) if (value !== "") raw[key] = value;
  return validate(schema, raw);
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join(".") || "(body)";
    fields[key] ??= issue.message;
  }
  const first = Object.entries(fields)[0];
  throw new ApiError("invalid_input", first ? `Invalid ${first[0]}: ${first[1]}` : "Invalid input.", {
    fields,
  });
}
