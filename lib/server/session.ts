import "server-only";
import { sealData, unsealData } from "iron-session";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { PAGE_PATH_HEADER, type SessionUserDto } from "@/lib/schemas/session";
import { cookieSecure, platformBaseUrl, sessionCookieName, sessionPassword } from "./env";
import { safeNextPath } from "./safe-next";

/**
 * The session is an iron-session sealed cookie (encrypted and authenticated with SESSION_PASSWORD). It holds the
 * platform credential, so it is only ever unsealed here, on the server. Sealing and reading work on plain Web
 * Request/Response headers, which keeps route handlers testable outside Next; pages read it through next/headers.
 */

const upstreamAuthSchema = z.discriminatedUnion("scheme", [
  z.object({ scheme: z.literal("bearer"), token: z.string().min(1) }),
  /** base64 of `tenant/user:password`, exactly what goes after `Basic `. */
  z.object({ scheme: z.literal("basic"), credentials: z.string().min(1) }),
]);
export type UpstreamAuth = z.infer<typeof upstreamAuthSchema>;

const sessionDataSchema = z.object({
  v: z.literal(1),
  auth: upstreamAuthSchema,
  username: z.string(),
  tenant: z.string(),
  roles: z.array(z.string()),
  /** The platform the credential belongs to: it is never sent anywhere else. */
  platformUrl: z.string(),
  /** Epoch milliseconds; the token's own expiry for bearer sessions. */
  expiresAt: z.number(),
});
export type SessionData = z.infer<typeof sessionDataSchema>;

/** The session as a handler sees it. */
export type SessionRead =
  | { state: "none" }
  /** A cookie was sent but is tampered with, expired, or for another platform: it must be cleared. */
  | { state: "invalid" }
  | { state: "valid"; data: SessionData };

/** Cookies larger than this are refused by browsers; better to fail loudly at sign-in. */
const MAX_COOKIE_BYTES = 4000;

export async function sealSession(data: SessionData): Promise<string> {
  const ttl = Math.max(1, Math.floor((data.expiresAt - Date.now()) / 1000));
  return sealData(data, { password: sessionPassword(), ttl });
}

const SEAL_FORMAT = /^Fe26\.2\*[\w*-]+~2$/;

/**
 * Unsealed sessions by their exact seal: every BFF request carries the cookie, and unsealing (PBKDF2 + AES + HMAC)
 * was the largest single cost of a cheap request. Only seals that verified are kept; expiry and platform are still
 * checked on every read, and the map is bounded.
 */
const unsealed = new Map<string, SessionData>();
const UNSEALED_MAX = 1000;

export async function unsealSession(seal: string): Promise<SessionRead> {
  if (!seal) return { state: "none" };
  // iron-session reads the version suffix leniently ("~2x" counts as 2); only our own format is taken.
  if (!SEAL_FORMAT.test(seal)) return { state: "invalid" };
  let data = unsealed.get(seal);
  if (!data) {
    let raw: unknown;
    try {
      raw = await unsealData<unknown>(seal, { password: sessionPassword() });
    } catch {
      return { state: "invalid" };
    }
    const parsed = sessionDataSchema.safeParse(raw);
    if (!parsed.success) return { state: "invalid" };
    data = parsed.data;
    if (unsealed.size >= UNSEALED_MAX) unsealed.delete(unsealed.keys().next().value!);
    unsealed.set(seal, data);
  }
  if (data.expiresAt <= Date.now() || data.platformUrl !== platformBaseUrl()) {
    unsealed.delete(seal);
    return { state: "invalid" };
  }
  return { state: "valid", data };
}

/** Reads the session from a Web Request's Cookie header. */
export function readSession(req: Request): Promise<SessionRead> {
  return unsealSession(readCookie(req.headers.get("cookie"), sessionCookieName()) ?? "");
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

function cookieAttributes(maxAgeSeconds: number): string {
  const parts = ["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (maxAgeSeconds > 0) parts.push(`Expires=${new Date(Date.now() + maxAgeSeconds * 1000).toUTCString()}`);
  else parts.push("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  if (cookieSecure()) parts.push("Secure");
  return parts.join("; ");
}

/** The Set-Cookie value starting a session; it expires together with the credential inside it. */
export async function sessionSetCookie(data: SessionData): Promise<string> {
  const seal = await sealSession(data);
  const maxAge = Math.max(1, Math.floor((data.expiresAt - Date.now()) / 1000));
  const cookie = `${sessionCookieName()}=${seal}; ${cookieAttributes(maxAge)}`;
  if (cookie.length > MAX_COOKIE_BYTES)
    throw new Error(`session cookie would be ${cookie.length} bytes, more than browsers keep`);
  return cookie;
}

export function clearSessionCookie(): string {
  return `${sessionCookieName()}=; ${cookieAttributes(0)}`;
}

const has = (roles: readonly string[], ...wanted: string[]) => wanted.some((r) => roles.includes(r));

/** What the browser may know: never the credential. `can` decides which actions the UI offers. */
export function toSessionUserDto(data: SessionData): SessionUserDto {
  const { roles } = data;
  return {
    username: data.username,
    tenant: data.tenant,
    roles,
    can: {
      readDevices: has(roles, "ROLE_INVENTORY_READ", "ROLE_INVENTORY_ADMIN"),
      adminDevices: has(roles, "ROLE_INVENTORY_ADMIN"),
      readRegistrations: has(roles, "ROLE_DEVICE_CONTROL_READ", "ROLE_DEVICE_CONTROL_ADMIN"),
      adminRegistrations: has(roles, "ROLE_DEVICE_CONTROL_ADMIN"),
      adminOperations: has(roles, "ROLE_DEVICE_CONTROL_ADMIN"),
      // The bulk operation API has its own roles (docs/platform-fleet.md §1).
      readBulkOperations: has(roles, "ROLE_BULK_OPERATION_READ", "ROLE_BULK_OPERATION_ADMIN"),
      adminBulkOperations: has(roles, "ROLE_BULK_OPERATION_ADMIN"),
    },
    platformUrl: data.platformUrl,
    expiresAt: new Date(data.expiresAt).toISOString(),
  };
}

/** For server components and layouts: the session of the current request, read through next/headers. */
export async function getSessionData(): Promise<SessionData | null> {
  const store = await cookies();
  const read = await unsealSession(store.get(sessionCookieName())?.value ?? "");
  return read.state === "valid" ? read.data : null;
}

/** For server components and layouts: the signed-in operator, or null. */
export async function getSessionUser(): Promise<SessionUserDto | null> {
  const data = await getSessionData();
  return data ? toSessionUserDto(data) : null;
}

/** Sends the browser to the sign-in page, asking it to come back to the page being rendered. */
export async function redirectToLogin(): Promise<never> {
  const path = safeNextPath((await headers()).get(PAGE_PATH_HEADER));
  redirect(path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`);
}

/** For server layouts and pages that need a signed-in operator: redirects to /login?next=… otherwise. */
export async function requireSessionUser(): Promise<SessionUserDto> {
  return (await getSessionUser()) ?? redirectToLogin();
}
