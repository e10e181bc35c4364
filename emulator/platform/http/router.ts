import type { IncomingMessage, ServerResponse } from "node:http";
import { PlatformError } from "./errors.js";
import type { MediaType } from "./media.js";
import type { Principal } from "../auth/principal.js";

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Decoded path segments joined back; routes match on segments, never on raw strings. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
  /** Origin used for self links, from the Host header (as the platform echoes its own host). */
  readonly baseUrl: string;
  /** Set by the authentication step for every route that is not public. */
  principal: Principal;
}

export interface Reply {
  status: number;
  body?: unknown;
  type?: MediaType;
  headers?: Record<string, string | string[]>;
  /** POST/PUT: the platform returns the resource only when the request carried an Accept header. */
  onlyWithAccept?: boolean;
  /** The body as JSON text already (a hot read renders text directly); answered like `body`. */
  json?: string;
  /** Raw payload already serialised (e.g. a bare number for /count). */
  raw?: string;
  rawContentType?: string;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface RouteOptions {
  /** No authentication required. */
  public?: boolean;
}

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  options: RouteOptions;
}

export interface Match {
  handler: Handler;
  params: Record<string, string>;
  options: RouteOptions;
}

/** A small segment router: "/inventory/managedObjects/:id/childDevices/:childId". */
export class Router {
  private readonly routes: Route[] = [];
  /** The routes by number of segments, in registration order: a request only meets routes of its own length. */
  private readonly byLength = new Map<number, Route[]>();

  add(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): this {
    const route = { method, segments: pattern.split("/").filter(Boolean), handler, options };
    this.routes.push(route);
    let same = this.byLength.get(route.segments.length);
    if (!same) this.byLength.set(route.segments.length, (same = []));
    same.push(route);
    return this;
  }
  get(p: string, h: Handler, o?: RouteOptions) {
    return this.add("GET", p, h, o);
  }
  post(p: string, h: Handler, o?: RouteOptions) {
    return this.add("POST", p, h, o);
  }
  put(p: string, h: Handler, o?: RouteOptions) {
    return this.add("PUT", p, h, o);
  }
  delete(p: string, h: Handler, o?: RouteOptions) {
    return this.add("DELETE", p, h, o);
  }

  /** Every registered route as "METHOD /pattern" parts: for tests that sweep the whole API. */
  list(): { method: string; pattern: string; public: boolean }[] {
    return this.routes.map((r) => ({
      method: r.method,
      pattern: "/" + r.segments.join("/"),
      public: r.options.public === true,
    }));
  }

  /** Finds the route for a method and decoded segments; 405 when the path exists for another method. */
  match(method: string, segments: string[]): Match | undefined {
    let pathMatched = false;
    for (const route of this.byLength.get(segments.length) ?? []) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      // Static segments beat parameters: routes are tried in registration order, so register literals first.
      if (route.method === method || (method === "HEAD" && route.method === "GET")) {
        return { handler: route.handler, params, options: route.options };
      }
      pathMatched = true;
    }
    if (pathMatched)
      throw new PlatformError(405, "general/methodNotAllowed", `Method ${method} is not supported here`);
    return undefined;
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  // Literals first, so that a route that does not match allocates nothing.
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) !== 58 /* ":" */ && p !== actual[i]) return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) === 58) params[p.slice(1)] = actual[i]!;
  }
  return params;
}
