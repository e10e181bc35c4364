import { NextResponse, type NextRequest } from "next/server";
import { PAGE_PATH_HEADER, SESSION_COOKIE_NAMES } from "@/lib/schemas/session";

/**
 * An optimistic check in front of every page (Next 16's renamed middleware): without a session cookie the
 * operator goes to /login?next=<this page> before anything renders. Whether the cookie is valid is decided by
 * the server layout (requireSessionUser) and the BFF, which can unseal it; this file holds no secret.
 * It also tells server components which page is being rendered, for their own redirect to sign-in.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
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

export const config = {
  // Pages only: the BFF answers 401 itself, and assets (anything with a dot) need no session.
  matcher: ["/((?!api/|_next/|.*\\..*).*)"],
};
