// A tiny REST client for simulated devices: Basic auth, the platform's vendor media types, JSON in and out.
// Devices talk to the platform over HTTP only, so this works against the emulator and a real tenant alike.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

const VENDOR = "application/vnd.com.nsn.cumulocity.";

/** The vendor media type for a resource token, as devices send it (docs/startup-phase.md, docs/platform-api.md §2.1). */
export function mediaType(token: string): string {
  return `${VENDOR}${token}+json`;
}

export interface Credentials {
  /** Tenant id; undefined sends the bare user name. */
  tenant?: string;
  user: string;
  password: string;
}

export function basicAuth(c: Credentials): string {
  const login = c.tenant ? `${c.tenant}/${c.user}` : c.user;
  return `Basic ${Buffer.from(`${login}:${c.password}`).toString("base64")}`;
}

/** A non-2xx answer; `body` is the parsed error body when there was one. */
export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status}${describe(body)}`);
    this.name = "HttpError";
  }
}

function describe(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as { error?: unknown; message?: unknown };
    const parts = [b.error, b.message].filter((p) => typeof p === "string");
    if (parts.length > 0) return ` (${parts.join(": ")})`;
  }
  return "";
}

export interface RequestOptions {
  body?: unknown;
  /** Vendor token for Content-Type ("managedObject"); plain JSON when absent. */
  type?: string;
  /** Vendor token for Accept; "application/json" when absent. Always sent so POST/PUT return the resource. */
  accept?: string;
  signal?: AbortSignal;
}

export interface Response<T> {
  status: number;
  body: T;
}

export class RestClient {
  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
    /** Aborts every request of this client (the device is shutting down). */
    private readonly signal?: AbortSignal,
  ) {}

  get authorization(): string {
    return basicAuth(this.credentials);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = {
      authorization: this.authorization,
      accept: options.accept ? mediaType(options.accept) : "application/json",
    };
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] = options.type ? mediaType(options.type) : "application/json";
    }
    const { status, text } = await send(
      new URL(path, this.baseUrl),
      method,
      headers,
      payload,
      options.signal ?? this.signal,
    );
    let body: unknown = undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (status < 200 || status > 299) throw new HttpError(method, path, status, body);
    return { status, body: body as T };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }
  post<T = unknown>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) {
    return this.request<T>("POST", path, { ...options, body });
  }
  put<T = unknown>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) {
    return this.request<T>("PUT", path, { ...options, body });
  }
  delete(path: string, options?: RequestOptions) {
    return this.request("DELETE", path, options);
  }
}

/**
 * Connections of every agent in this process, in two keep-alive pools per platform. REST calls share a few
 * connections (requests beyond the limit wait for one). Bayeux long-polls get one connection each, and a freed
 * one is reused at once (LIFO) or closed beyond a few spare ones. Sharing one unbounded pool (fetch's) grew a
 * connection for nearly every REST call beside the held long-polls and kept them all alive in rotation: 3.7
 * sockets per agent with 1,000 agents.
 */
const REST_POOL = { keepAlive: true, maxSockets: 32, maxFreeSockets: 8, scheduling: "lifo" as const };
const LONG_POLL_POOL = { keepAlive: true, maxFreeSockets: 8, scheduling: "lifo" as const };
const pools = {
  rest: { http: new HttpAgent(REST_POOL), https: new HttpsAgent(REST_POOL) },
  longPoll: { http: new HttpAgent(LONG_POLL_POOL), https: new HttpsAgent(LONG_POLL_POOL) },
};
/** No answer within this long counts as a failed request (the platform is in trouble). */
const REQUEST_TIMEOUT_MS = 60_000;

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  signal: AbortSignal | undefined,
): Promise<{ status: number; text: string }> {
  const https = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers:
          payload === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(payload) },
        agent: https ? pools.rest.https : pools.rest.http,
        signal,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * `fetch` for the agents' Bayeux clients, on the long-poll pool: what the client uses of a Response (status,
 * headers, a streamed body it may cancel) and of the request (method, headers, string body, abort signal).
 */
export const longPollFetch = ((input: string | URL, init: RequestInit = {}) =>
  new Promise<globalThis.Response>((resolve, reject) => {
    const url = new URL(input);
    const https = url.protocol === "https:";
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        agent: https ? pools.longPoll.https : pools.longPoll.http,
        signal: init.signal ?? undefined,
      },
      (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
            headers.append(name, v);
        }
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 205 || status === 304;
        if (empty) res.resume();
        const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers }));
      },
    );
    req.on("error", reject);
    req.end(typeof init.body === "string" ? init.body : undefined);
  })) as typeof fetch;

/** The status of an HttpError, or undefined for anything else (network failures, aborts). */
export function statusOf(err: unknown): number | undefined {
  return err instanceof HttpError ? err.status : undefined;
}

/** Encodes one path segment (external ids may contain anything). */
export const seg = (value: string) => encodeURIComponent(value);

/**
 * Whether a failed request is worth repeating as it is: the platform did not answer (network error, timeout) or
 * answered that it cannot right now (5xx, 429). A 4xx other than 429 is an answer that repeating will not change.
 */
export function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status === undefined) return !(err instanceof Error && err.name === "AbortError");
  return status >= 500 || status === 429 || status === 408;
}
