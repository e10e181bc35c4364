import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Authenticator } from "./auth/authenticate.js";
import { TokenSigner } from "./auth/tokens.js";
import { ADMIN_USER, BOOTSTRAP_TENANT, BOOTSTRAP_USER, UserStore } from "./auth/users.js";
import type { PlatformConfig, PlatformContext } from "./context.js";
import { PlatformEvents } from "./events.js";
import { DEFAULT_BODY_LIMIT } from "./http/body.js";
import { PlatformError } from "./http/errors.js";
import { prefersPlainJson, vendorType, type MediaType } from "./http/media.js";
import { Router, type Handler, type Reply, type RequestContext } from "./http/router.js";
import { migrate, type Db } from "./store/db.js";
import { createIdAllocator } from "./store/ids.js";
import { Hierarchy } from "./store/hierarchy.js";
import { migrations } from "./store/schema.js";
import { registerApiModules } from "./api/index.js";
import { bulkOperationsService, type BulkOperationsService } from "./api/bulkoperations/service.js";
import { DEFAULT_PRESENCE_SETTINGS, Presence, type PresenceSettings } from "./presence/presence.js";
import { intervalScheduler, type Scheduler } from "./scheduler.js";

export interface PlatformOptions {
  db: Db;
  tenant?: string;
  adminPassword: string;
  bootstrapPassword: string;
  tokenLifetimeSeconds?: number;
  bodyLimit?: number;
  now?: () => number;
  /** Runs the periodic checks (availability, connection); tests pass one they drive along with `now`. */
  scheduler?: Scheduler;
  /** Intervals of the availability and connection model (docs/emulator-presence.md). */
  presence?: Partial<PresenceSettings>;
  /** false: the platform writes no audit records of its own (only bench/audit-overhead.ts turns them off). */
  auditRecords?: boolean;
  /** Logs unexpected errors; tests pass a spy, the CLI passes console.error. */
  log?: (message: string, error?: unknown) => void;
}

export interface Platform {
  readonly ctx: PlatformContext;
  readonly router: Router;
  /** Availability and connection of devices; `start(baseUrl)` once listening, `close()` before the database. */
  readonly presence: Presence;
  /** Bulk operations creating their operations over time; `start(baseUrl)` once listening, `close()` before the database. */
  readonly bulkOperations: BulkOperationsService;
  /** The node:http request listener. Routes the REST API; realtime endpoints are added with `intercept`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Lets another component (the Bayeux endpoints) take requests before the REST router; return true if taken. */
  intercept(fn: (req: IncomingMessage, res: ServerResponse) => boolean): void;
}

/** Builds the platform around an open database: migrations, users, routes. No listening here. */
export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { db } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  migrate(db, migrations);

  const config: PlatformConfig = {
    tenant: options.tenant ?? "t1000",
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 2 * 60 * 60,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    auditRecords: options.auditRecords ?? true,
  };
  const users = new UserStore(db, config.tenant, now);
  await ensureUser(users, config.tenant, ADMIN_USER, options.adminPassword, "admin");
  await ensureUser(users, BOOTSTRAP_TENANT, BOOTSTRAP_USER, options.bootstrapPassword, "bootstrap");
  const tokens = new TokenSigner(tokenSecret(db), config.tokenLifetimeSeconds);
  const auth = new Authenticator(db, users, tokens, now);
  const ctx: PlatformContext = {
    db,
    config,
    users,
    auth,
    tokens,
    events: new PlatformEvents(),
    hierarchy: new Hierarchy(db),
    nextId: createIdAllocator(db),
    now,
    scheduler: options.scheduler ?? intervalScheduler,
  };

  const presence = new Presence(
    ctx,
    { ...DEFAULT_PRESENCE_SETTINGS, ...options.presence },
    ctx.scheduler,
    log,
  );
  // Created before the routes: it hooks into the operations service and must also see changes made after a restart.
  const bulkOperations = bulkOperationsService(ctx, log);
  const router = new Router();
  registerApiModules(router, ctx);

  const interceptors: ((req: IncomingMessage, res: ServerResponse) => boolean)[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const fn of interceptors) if (fn(req, res)) return;
    const method = effectiveMethod(req);
    try {
      dispatch(req, res, method)?.catch((err: unknown) => fail(req, res, method, err));
    } catch (err) {
      fail(req, res, method, err);
    }
  };
  return { ctx, router, presence, bulkOperations, handle, intercept: (fn) => void interceptors.push(fn) };

  /**
   * Routes, authenticates and answers one request. Synchronous as long as nothing has to wait (a cached Basic
   * credential, a synchronous handler: the common GET); a promise only when something does. Throws or rejects with
   * what `fail` answers.
   */
  function dispatch(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> | undefined {
    const { pathname, query } = parseTarget(req.url ?? "/");
    const segments: string[] = [];
    for (const raw of pathname.split("/")) {
      if (raw === "") continue;
      try {
        segments.push(raw.includes("%") ? decodeURIComponent(raw) : raw);
      } catch {
        throw new PlatformError(400, "general/Bad Request", "Malformed percent-encoding in the path");
      }
    }
    const match = router.match(method, segments);
    if (!match) throw new PlatformError(404, "general/Not Found", `Resource ${pathname} not found`);
    const host = req.headers.host ?? "127.0.0.1";
    const rc: RequestContext = {
      req,
      res,
      method,
      path: "/" + segments.map((s) => encodeURIComponent(s)).join("/"),
      query,
      params: match.params,
      baseUrl: `http://${host}`,
      principal: undefined as never,
    };
    if (!match.options.public) {
      const principal = ctx.auth.authenticate(req);
      if (principal instanceof Promise)
        return principal.then((p) => {
          rc.principal = p;
          return respond(rc, match.handler);
        });
      rc.principal = principal;
    }
    return respond(rc, match.handler);
  }

  function respond(rc: RequestContext, handler: Handler): Promise<void> | undefined {
    const reply = handler(rc);
    if (reply instanceof Promise) return reply.then((r) => send(rc.req, rc.res, rc.method, r));
    send(rc.req, rc.res, rc.method, reply);
    return undefined;
  }

  /** A platform error is answered as such; anything else is logged and answered 500 (or the connection cut). */
  function fail(req: IncomingMessage, res: ServerResponse, method: string, err: unknown): void {
    if (res.headersSent) {
      log(`${method} ${req.url}: error after the answer started`, err);
      res.destroy();
      return;
    }
    if (!req.complete) req.resume();
    if (err instanceof PlatformError) {
      sendError(res, err);
      return;
    }
    log(`${method} ${req.url}: unexpected error`, err);
    sendError(res, new PlatformError(500, "general/internalError", "Internal error"));
  }
}

/** POST with X-HTTP-METHOD: PUT or DELETE stands for that method. */
function effectiveMethod(req: IncomingMessage): string {
  const method = (req.method ?? "GET").toUpperCase();
  const override = req.headers["x-http-method"];
  if (method === "POST" && typeof override === "string") {
    const upper = override.toUpperCase();
    if (upper === "PUT" || upper === "DELETE") return upper;
  }
  return method;
}

async function ensureUser(
  users: UserStore,
  tenant: string,
  username: string,
  password: string,
  kind: "admin" | "bootstrap",
) {
  // Re-hash only when the configured password changed, so restarts stay fast.
  if (users.exists(tenant, username) && (await users.verify(tenant, username, password))) return;
  await users.upsert(tenant, username, password, kind);
}

function tokenSecret(db: Db): Buffer {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'token_secret'").get() as
    { value: string } | undefined;
  if (row) return Buffer.from(row.value, "base64");
  const secret = randomBytes(32);
  db.prepare("INSERT INTO settings (key, value) VALUES ('token_secret', ?)").run(secret.toString("base64"));
  return secret;
}

/**
 * Path and query of a request target. Plain targets (ASCII path segments that cannot be dot segments, a printable
 * query, no fragment), which is nearly every request, are split by hand; anything else goes through the WHATWG URL
 * parser, which resolves dot segments and normalises encodings. Both give the same path and parameters.
 */
const PLAIN_TARGET = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9_~.-]*)*\/?(?:\?[\x21-\x22\x24-\x7e]*)?$/;

export function parseTarget(target: string): { pathname: string; query: URLSearchParams } {
  if (PLAIN_TARGET.test(target)) {
    const q = target.indexOf("?");
    return q < 0
      ? { pathname: target, query: new URLSearchParams() }
      : { pathname: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
  }
  const url = new URL(target, "http://platform.invalid");
  return { pathname: url.pathname, query: url.searchParams };
}

/** Content types per Accept header value and media type; clients send a handful of distinct values. */
const contentTypes = new Map<string, string>();
const MAX_CONTENT_TYPES = 1000;

function contentTypeFor(accept: string | undefined, type: MediaType | undefined): string {
  const key = `${type ?? ""}\u0000${accept ?? ""}`;
  let value = contentTypes.get(key);
  if (value === undefined) {
    value = prefersPlainJson(accept) || !type ? "application/json" : vendorType(type);
    if (contentTypes.size >= MAX_CONTENT_TYPES) contentTypes.clear();
    contentTypes.set(key, value);
  }
  return value;
}

function send(req: IncomingMessage, res: ServerResponse, method: string, reply: Reply) {
  const headers: Record<string, string | string[]> = reply.headers ? { ...reply.headers } : {};
  let payload: string | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers["content-type"] = reply.rawContentType ?? "text/plain;charset=UTF-8";
  } else if (
    (reply.body !== undefined || reply.json !== undefined) &&
    !(reply.onlyWithAccept && !req.headers.accept)
  ) {
    payload = reply.json ?? JSON.stringify(reply.body);
    headers["content-type"] = contentTypeFor(req.headers.accept, reply.type);
  }
  if (payload === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(method === "HEAD" ? undefined : payload);
}

export function sendError(res: ServerResponse, err: PlatformError) {
  const payload = JSON.stringify(err.toBody());
  const headers: Record<string, string> = {
    ...err.headers,
    "content-type": vendorType("error"),
    "content-length": String(Buffer.byteLength(payload)),
  };
  if (err.status === 401 && !headers["www-authenticate"])
    headers["www-authenticate"] = 'Basic realm="Cumulocity"';
  res.writeHead(err.status, headers);
  res.end(payload);
}
