import "server-only";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * The platform client's transport: `fetch`'s signature on node:http(s) with keep-alive agents. Next replaces the
 * global fetch with one that tracks and caches calls, and undici's per-call cost on top of that was the largest
 * part of a BFF request's own CPU (docs/bff.md, "Performance"); the platform API needs none of it.
 *
 * What the client relies on is kept: the request's signal aborts the call (timeouts and closed tabs reject with the
 * signal's reason, a TimeoutError or AbortError); redirects are never followed (a 3xx rejects, so a credential is
 * never carried elsewhere); network errors reject with the socket's error as `cause`. Answers are read whole: the
 * platform's answers are bounded pages, and every caller reads them whole anyway.
 *
 * Identical GETs in flight at the same time with the same credential share one platform call (see `coalesce`).
 */

/**
 * Idle sockets are closed after this long: below the 5 s keep-alive of Node servers and common load balancers,
 * so a socket the server is about to close is not picked for a new call.
 */
const IDLE_SOCKET_MS = 4_000;
const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: IDLE_SOCKET_MS };
const httpAgent = new HttpAgent(agentOptions);
const httpsAgent = new HttpsAgent(agentOptions);

/** An answer read whole, from which each caller gets a Response of its own. */
interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer;
}

/** Error of a refused redirect, shaped like fetch's (`TypeError` with the reason in `cause`). */
function redirectRefused(status: number): TypeError {
  return new TypeError("fetch failed", { cause: new Error(`redirect (${status}) refused`) });
}

function toResponse(a: Answer): Response {
  const empty = a.status === 204 || a.status === 304 || a.body.byteLength === 0;
  return new Response(empty ? null : new Uint8Array(a.body), {
    status: a.status,
    statusText: a.statusText,
    headers: a.headers,
  });
}

/** The signal's reason (a TimeoutError or AbortError DOMException), which the error middleware names. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/** One HTTP exchange on the keep-alive agent; `retryStale`: a GET on a reused socket the server had closed. */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal,
  retryStale = true,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const https = url.protocol === "https:";
    const req = (https ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: https ? httpsAgent : httpAgent,
    });
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(abortReason(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const finish = (err: Error | undefined, answer?: Answer) => {
      signal.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      if (err === undefined) resolve(answer!);
      else reject(err);
    };
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed between two calls: a GET is safe to send once more.
      if (retryStale && req.reusedSocket && err.code === "ECONNRESET" && method === "GET" && !settled) {
        settled = true;
        signal.removeEventListener("abort", onAbort);
        exchange(url, method, headers, body, signal, false).then(resolve, reject);
        return;
      }
      finish(new TypeError("fetch failed", { cause: err }));
    });
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        return finish(redirectRefused(status));
      }
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (err) => finish(new TypeError("fetch failed", { cause: err })));
      res.on("end", () => {
        const pairs: [string, string][] = [];
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        finish(undefined, {
          status,
          statusText: res.statusMessage ?? "",
          headers: pairs,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        });
      });
    });
    req.end(body);
  });
}

// ----- coalescing ---------------------------------------------------------------------------------------------

interface Shared {
  answer: Promise<Answer>;
  /** Callers still waiting; when every one of them has given up, the platform call is aborted. */
  waiting: number;
  controller: AbortController;
}

/**
 * Identical GETs in flight, by credential + URL + the headers that shape the answer. An answer already on its way
 * is as fresh as a second call started before it arrives; any write sent through this transport empties the map,
 * so a read that starts after a write never joins one that started before it. Never shared across credentials:
 * the `authorization` header is part of the key.
 */
const inFlight = new Map<string, Shared>();
/** Headers that change the platform's answer; the request id only labels the call (the first caller's is sent). */
const KEY_HEADERS = ["authorization", "accept", "accept-language", "cookie", "x-cumulocity-application-key"];

function coalescingKey(url: string, headers: Record<string, string>): string {
  let key = url;
  for (const name of KEY_HEADERS) key += `\n${headers[name] ?? ""}`;
  return key;
}

/** Waits for a shared answer as one caller: its own signal only ends its own wait. */
function join(shared: Shared, key: string, signal: AbortSignal): Promise<Answer> {
  shared.waiting++;
  return new Promise<Answer>((resolve, reject) => {
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      shared.waiting--;
    };
    const onAbort = () => {
      leave();
      if (shared.waiting === 0) {
        if (inFlight.get(key) === shared) inFlight.delete(key);
        shared.controller.abort(abortReason(signal));
      }
      reject(abortReason(signal));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    shared.answer.then(
      (a) => {
        if (done) return;
        leave();
        resolve(a);
      },
      (err: unknown) => {
        if (done) return;
        leave();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function headersOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  request.headers.forEach((value, name) => (out[name] = value));
  return out;
}

/** `fetch` for openapi-fetch: the platform calls of the BFF. */
export async function platformFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const headers = headersOf(request);
  if (method !== "GET" && method !== "HEAD") {
    // A write: reads in flight may have been answered before it; later reads must not join them.
    inFlight.clear();
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    if (body) headers["content-length"] = String(body.byteLength);
    try {
      return toResponse(await exchange(url, method, headers, body, request.signal));
    } finally {
      // And reads that started while it was on its way may not have seen it: the writer's own read-back must not
      // join them.
      inFlight.clear();
    }
  }
  if (method === "HEAD") return toResponse(await exchange(url, method, headers, undefined, request.signal));
  const key = coalescingKey(request.url, headers);
  let shared = inFlight.get(key);
  if (!shared) {
    const controller = new AbortController();
    const entry: Shared = {
      answer: exchange(url, method, headers, undefined, controller.signal),
      waiting: 0,
      controller,
    };
    const forget = () => {
      if (inFlight.get(key) === entry) inFlight.delete(key);
    };
    entry.answer.then(forget, forget);
    inFlight.set(key, entry);
    shared = entry;
  }
  return toResponse(await join(shared, key, request.signal));
}

/** For tests: how many distinct GETs are in flight now. */
export function coalescedInFlight(): number {
  return inFlight.size;
}
