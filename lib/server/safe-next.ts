import "server-only";

const BASE = "http://console.invalid";

/**
 * The `?next=` target after sign-in, reduced to a same-origin relative path so it can never send the operator to
 * another site (no `//host`, no `/\host`, no scheme, no control characters). Anything else becomes "/".
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\"))
    return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  // Coming back to the sign-in page itself (or an API route) would be a loop or a JSON page.
  if (url.pathname === "/login" || url.pathname.startsWith("/api/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
