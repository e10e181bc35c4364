import { NextResponse, type NextRequest } from "next/server";
import { PAGE_PATH_HEADER, SESSION_COOKIE_NAMES } from "@/lib/schemas/session";

/**
 * An optimistic check in front of every page (Next 16's renamed middleware): without a session cookie the
 * operator goes to /login?next=<this page> before anything renders. Whether the cookie is valid is decided by
 * the server layout (requireSessionUser) and the BFF, which can unseal it; this file holds no secret.
 * It also tells server components which page is being rendered, for their own redirect to sign-in.
 *
 * For the BFF it sees only paths with a percent sign (see the matcher): Next decodes route parameters before a
 * handler runs and answers a malformed escape (`/api/devices/%zz`) with a plain 500, so such a path gets our
 * 400 envelope here instead.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/")) return malformedEscapes(pathname) ? badPath() : NextResponse.next();
  if (pathname !== "/login" && !SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name))) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set(PAGE_PATH_HEADER, `${pathname}${search}`);
  return NextResponse.next({ request: { headers } });
}

function malformedEscapes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** The BFF's error envelope (lib/server/errors.ts), written here because the route wrapper is never reached. */
function badPath(): Response {
  const requestId = crypto.randomUUID();
  return Response.json(
    { error: { code: "bad_path", message: "The address contains a malformed percent-encoding.", requestId } },
    { status: 400, headers: { "cache-control": "no-store", "x-request-id": requestId } },
  );
}

export const config = {
  // Pages (assets, anything with a dot, need no session), and BFF paths only when they hold a percent sign: the
  // BFF answers 401 itself, and every other API request skips the proxy's cost.
  matcher: ["/((?!api/|_next/|.*\\..*).*)", "/api/:path(.*%.*)"],
};
