import "server-only";
import createClient from "openapi-fetch";
import { platformBaseUrl, upstreamTimeoutMs } from "../env";
import { UpstreamUnavailableError } from "../errors";
import type { UpstreamAuth } from "../session";
import { authMiddleware, errorMiddleware, headersMiddleware, timeoutMiddleware } from "./middleware";
import type { paths } from "./platform";
import { platformFetch } from "./transport";

export type PlatformClient = ReturnType<typeof createClient<paths>>;

export interface PlatformClientOptions {
  /** The session's credential; null for the unauthenticated login calls. */
  auth: UpstreamAuth | null;
  requestId: string;
  /** The browser request's signal: a closed tab stops the upstream calls it started. */
  signal?: AbortSignal;
  /** Tests may inject fetch (docs/style.md rule 2); defaults to the keep-alive transport (./transport.ts). */
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * A typed platform client for one BFF request, built from that request's session (never a module-level
 * credential). Every call either resolves with a 2xx answer or throws UpstreamError / UpstreamUnavailableError.
 */
export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const client = createClient<paths>({
    baseUrl: platformBaseUrl(),
    ...(options.signal ? { signal: options.signal } : {}),
    // The platform API does not redirect; following one could carry the credential to another host.
    redirect: "error",
    fetch: options.fetch ?? platformFetch,
  });
  client.use(
    headersMiddleware(options.requestId),
    authMiddleware(options.auth),
    timeoutMiddleware(upstreamTimeoutMs()),
    errorMiddleware(),
  );
  return client;
}

/**
 * The body of a 2xx answer that must have one. openapi-fetch types `data` as optional because of the error
 * branch, which the error middleware has already turned into a throw.
 */
export function body<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined)
    throw new UpstreamUnavailableError(`platform answered ${result.response.status} without a body`);
  return result.data;
}
