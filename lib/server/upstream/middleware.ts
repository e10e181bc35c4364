import "server-only";
import type { Middleware } from "openapi-fetch";
import { UpstreamError, UpstreamUnavailableError } from "../errors";
import type { UpstreamAuth } from "../session";

/** Authorization from the session: the bearer token where the tenant gave one, else Basic (docs/platform-api.md §1). */
export function authMiddleware(auth: UpstreamAuth | null): Middleware {
  return {
    onRequest({ request }) {
      if (auth === null) request.headers.delete("authorization");
      else if (auth.scheme === "bearer") request.headers.set("authorization", `Bearer ${auth.token}`);
      else request.headers.set("authorization", `Basic ${auth.credentials}`);
      return request;
    },
  };
}

/**
 * `Accept` (the platform returns the created/updated resource of a POST/PUT only when one is sent, §2.2) unless a
 * call asks for a vendor type itself, and the request id so platform logs can be matched with ours.
 */
export function headersMiddleware(requestId: string): Middleware {
  return {
    onRequest({ request }) {
      if (!request.headers.has("accept")) request.headers.set("accept", "application/json");
      request.headers.set("x-request-id", requestId);
      return request;
    },
  };
}

/** Each platform call gets its own deadline, on top of the browser request's signal. */
export function timeoutMiddleware(ms: number): Middleware {
  return {
    onRequest({ request }) {
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(ms)]);
      return new Request(request, { signal });
    },
  };
}

/** Largest error body we read from the platform; its `message` is all we keep. */
const ERROR_BODY_LIMIT = 16 * 1024;

async function readErrorBody(response: Response): Promise<{ token?: string; message?: string }> {
  try {
    const text = (await response.text()).slice(0, ERROR_BODY_LIMIT);
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== "object") return {};
    const { error, message } = body as Record<string, unknown>;
    return {
      token: typeof error === "string" ? error.slice(0, 200) : undefined,
      message: typeof message === "string" ? message.slice(0, 500) : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Every non-2xx answer becomes an UpstreamError (4xx) or UpstreamUnavailableError (5xx, network, timeout), so a
 * service call either returns data or throws one of the two. Only the platform's `message` is kept, never the raw
 * body or the request (which carries the credential).
 */
export function errorMiddleware(): Middleware {
  return {
    async onResponse({ response }) {
      if (response.ok) return undefined;
      const { token, message } = await readErrorBody(response);
      if (response.status >= 500)
        throw new UpstreamUnavailableError(`platform answered ${response.status} ${token ?? ""}`.trim());
      throw new UpstreamError(response.status, token, message ?? "");
    },
    onError({ error }) {
      const name = error instanceof Error ? error.name : "";
      const why =
        name === "TimeoutError"
          ? "platform did not answer in time"
          : name === "AbortError"
            ? "request aborted"
            : `platform unreachable (${error instanceof Error ? describeNetworkError(error) : "unknown"})`;
      return new UpstreamUnavailableError(why, { cause: error });
    },
  };
}

/** undici wraps the useful part (ECONNREFUSED, a redirect refused, …) in `cause`. */
function describeNetworkError(error: Error): string {
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" ? code : cause.message.slice(0, 120);
  }
  return error.message.slice(0, 120);
}
