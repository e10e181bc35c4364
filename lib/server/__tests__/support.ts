// Helpers for calling the BFF's exported route handlers with Web Requests against a real emulator.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CSRF_HEADER } from "@/lib/schemas/common";
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import type { StartOptions } from "../../../emulator/platform/server.js";

export const ORIGIN = "http://console.test";
export const SESSION_PASSWORD = "test-session-password-0123456789-abcdefghij";

/** Any exported route handler, whatever its params (a Promise<never> fits every params type). */
type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  /** JSON-encoded unless it is a string (sent as JSON text unless a content type is given), FormData or bytes. */
  body?: unknown;
  cookie?: string;
  headers?: Record<string, string>;
  /** Sends the x-c8y-console header (default true). */
  csrf?: boolean;
  params?: Record<string, string>;
}

export function bffRequest(path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.csrf !== false) headers.set(CSRF_HEADER, "1");
  if (options.cookie) headers.set("cookie", options.cookie);
  let body: BodyInit | undefined;
  if (
    options.body instanceof FormData ||
    typeof options.body === "string" ||
    options.body instanceof Uint8Array
  ) {
    body = options.body as BodyInit;
    // A string is JSON text as the console sends it (well-formed or not); other types are set by the test.
    if (typeof options.body === "string" && !headers.has("content-type"))
      headers.set("content-type", "application/json");
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  return new Request(`${ORIGIN}${path}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Raw text, for "no credential anywhere" checks. */
  text: string;
  // Tests read arbitrary JSON answers; the assertions are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  /** `name=value` of a session cookie set by this answer ("" when it clears it), undefined if none. */
  cookie: string | undefined;
  setCookie: string | undefined;
}

export async function call(handler: Handler, path: string, options: CallOptions = {}): Promise<Answer> {
  const params = Promise.resolve(options.params ?? {}) as Promise<never>;
  const res = await handler(bffRequest(path, options), { params });
  const text = await res.text();
  const setCookie = res.headers.get("set-cookie") ?? undefined;
  const pair = setCookie?.split(";")[0];
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as unknown) : undefined,
    cookie: pair === undefined ? undefined : pair.endsWith("=") ? "" : pair,
    setCookie,
  };
}

/** Everything an answer exposes, for asserting a secret is nowhere in it. */
export function exposed(a: Answer): string {
  return `${a.text}\n${[...a.headers.entries()].map(([k, v]) => `${k}: ${v}`).join("\n")}`;
}

export async function signIn(
  login: Handler,
  credentials: { username?: string; password?: string; tenant?: string } = {},
): Promise<Answer & { cookie: string }> {
  const a = await call(login, "/api/auth/login", {
    body: { username: "admin", password: ADMIN_PASSWORD, ...credentials },
  });
  if (a.status !== 200 || !a.cookie) throw new Error(`sign-in failed: ${a.status} ${a.text}`);
  return a as Answer & { cookie: string };
}

export interface ProxyCall {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface LoopbackProxy {
  url: string;
  calls: ProxyCall[];
  close(): Promise<void>;
}

/**
 * A tiny loopback server between the BFF and the emulator: `intercept` may answer a request itself (to play a
 * tenant without token login, or a failing platform); everything else is forwarded unchanged.
 */
export async function startProxy(
  target: string,
  intercept: (req: IncomingMessage, res: ServerResponse) => boolean = () => false,
): Promise<LoopbackProxy> {
  const calls: ProxyCall[] = [];
  const server: Server = createServer((req, res) => {
    calls.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    if (intercept(req, res)) return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) headers.set(k, v);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
        redirect: "manual",
      })
        .then(async (up) => {
          const body = Buffer.from(await up.arrayBuffer());
          const out: Record<string, string | string[]> = {};
          up.headers.forEach((v, k) => {
            if (
              k !== "content-length" &&
              k !== "transfer-encoding" &&
              k !== "connection" &&
              k !== "set-cookie"
            )
              out[k] = v;
          });
          const cookies = up.headers.getSetCookie();
          if (cookies.length) out["set-cookie"] = cookies;
          res.writeHead(up.status, out).end(body);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers with a platform-style JSON error. */
export function platformError(res: ServerResponse, status: number, error: string, message: string): true {
  res.writeHead(status, { "content-type": "application/vnd.com.nsn.cumulocity.error+json" });
  res.end(JSON.stringify({ error, message, info: "https://example.invalid" }));
  return true;
}

/** A tenant that offers only Basic login (GET /tenant/loginOptions lists BASIC alone). */
export function basicOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" || !req.url?.startsWith("/tenant/loginOptions")) return false;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({ loginOptions: [{ id: "BASIC", type: "BASIC", userManagementSource: "INTERNAL" }] }),
  );
  return true;
}

/**
 * A real emulator for BFF handler tests, the BFF pointed at it (C8Y_BASEURL, SESSION_PASSWORD) and the admin
 * signed in through the real login handler. The caller closes the platform (afterAll).
 */
export async function startSignedIn(
  login: Handler,
  options: Partial<StartOptions> = {},
): Promise<{ p: TestPlatform; cookie: string }> {
  const p = await startTestPlatform(options);
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  return { p, cookie: (await signIn(login)).cookie };
}

/** Creates a managed object over the platform's REST API as the admin; returns its id. */
export async function createObject(p: TestPlatform, body: Record<string, unknown>): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
