import "server-only";
import { CSRF_HEADER, CSRF_HEADER_VALUE } from "@/lib/schemas/common";
import { consoleOrigin } from "./env";
import { ApiError } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a foreign site could have made. Two independent checks:
 * - the custom header: a cross-site form post cannot set it, and a cross-origin fetch that sets it needs a CORS
 *   preflight that the BFF never grants;
 * - the browser's own provenance headers: `Sec-Fetch-Site` when sent, else `Origin` compared with `Host` (or the
 *   configured CONSOLE_URL). Clients that send neither (curl, tests) pass on the header alone.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  if (req.headers.get(CSRF_HEADER) !== CSRF_HEADER_VALUE)
    throw new ApiError("cross_site_refused", "This request must come from the console itself.");

  assertOwnFetch(req);

  const origin = req.headers.get("origin");
  if (origin === null) return;
  if (!isOwnOrigin(origin, req)) throw new ApiError("cross_site_refused", "Cross-site requests are refused.");
}

/**
 * The browser's `Sec-Fetch-Site`, when sent, must say the console's own pages (or the operator directly) made the
 * request. Mutations always pass through it; reads only where a route asks (`crossSiteReads: "refuse"`).
 */
export function assertOwnFetch(req: Request): void {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none")
    throw new ApiError("cross_site_refused", "Cross-site requests are refused.");
}

function isOwnOrigin(origin: string, req: Request): boolean {
  if (origin === "null") return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  const configured = consoleOrigin();
  if (configured !== undefined && originUrl.origin === configured) return true;
  const host = req.headers.get("host") ?? new URL(req.url).host;
  return originUrl.host.toLowerCase() === host.toLowerCase();
}
