import "server-only";
import type { LoginRequest } from "@/lib/schemas/session";
import { platformBaseUrl } from "../env";
import { ApiError, UpstreamError } from "../errors";
import type { SessionData, UpstreamAuth } from "../session";
import { body, type PlatformClient } from "../upstream/client";
import type { components } from "../upstream/platform";

type UpstreamCurrentUser = components["schemas"]["CurrentUser"] | components["schemas"]["User"];
type UpstreamLoginOption = components["schemas"]["LoginOption"];

/** Lifetime of a session holding Basic credentials, which carry no expiry of their own: one working day. */
export const BASIC_SESSION_SECONDS = 8 * 60 * 60;
/** Upper bound for any session, whatever a token claims. */
const MAX_SESSION_SECONDS = 14 * 24 * 60 * 60;

/**
 * Roles the console acts on. The session keeps only these: a real admin can have hundreds of roles, which would
 * not fit into a cookie, and the UI needs no others.
 */
const RELEVANT_ROLE_PREFIXES = [
  "ROLE_INVENTORY_",
  "ROLE_IDENTITY_",
  "ROLE_DEVICE_CONTROL_",
  "ROLE_BULK_OPERATION_",
  "ROLE_USER_MANAGEMENT_OWN_",
];

const WRONG_CREDENTIALS = "Wrong username or password (or tenant).";

type ClientFor = (auth: UpstreamAuth | null) => PlatformClient;

/**
 * Signs in against the platform (docs/platform-api.md §1, decision "token login" in §0a): a bearer token from
 * POST /tenant/oauth/token where the tenant lists OAUTH2_INTERNAL, otherwise Basic credentials; then learns the
 * tenant id and the effective roles. Returns what the session stores; nothing of it reaches the browser but the DTO.
 */
export async function signIn(input: LoginRequest, clientFor: ClientFor): Promise<SessionData> {
  const { tenant, username } = splitLogin(input.tenant, input.username);
  const anonymous = clientFor(null);

  const auth = (await offersTokenLogin(anonymous, tenant))
    ? await tokenLogin(anonymous, tenant, username, input.password)
    : basicAuth(tenant, username, input.password);

  const platform = clientFor(auth);
  let currentTenant: components["schemas"]["CurrentTenant"];
  let currentUser: UpstreamCurrentUser;
  try {
    currentTenant = body(await platform.GET("/tenant/currentTenant"));
    currentUser = body(
      await platform.GET("/user/currentUser", {
        headers: { accept: "application/vnd.com.nsn.cumulocity.currentuser+json" },
      }),
    );
  } catch (err) {
    throw loginError(err);
  }

  const now = Date.now();
  const lifetime = auth.scheme === "bearer" ? tokenLifetimeMs(auth.token, now) : BASIC_SESSION_SECONDS * 1000;
  return {
    v: 1,
    auth,
    username: currentUser.userName,
    tenant: currentTenant.name,
    roles: relevantRoles(currentUser),
    platformUrl: platformBaseUrl(),
    expiresAt: now + lifetime,
  };
}

/** Invalidates the token upstream; a Basic session has nothing to invalidate. Failures only get logged. */
export async function signOut(
  session: SessionData,
  platform: PlatformClient,
  requestId: string,
): Promise<void> {
  if (session.auth.scheme !== "bearer") return;
  try {
    await platform.POST("/user/logout");
  } catch (err) {
    // The session cookie is destroyed either way; an already expired token answers 401 here.
    const what = err instanceof UpstreamError ? `${err.status}` : err instanceof Error ? err.name : "error";
    console.warn(`[bff] ${requestId} upstream logout failed (${what})`);
  }
}

/** "t123/jane" typed into the username field, with no tenant given, means tenant t123. */
function splitLogin(tenant: string | undefined, username: string): { tenant?: string; username: string } {
  if (tenant) return { tenant, username };
  const slash = username.indexOf("/");
  if (slash > 0 && slash < username.length - 1)
    return { tenant: username.slice(0, slash), username: username.slice(slash + 1) };
  return { username };
}

async function offersTokenLogin(anonymous: PlatformClient, tenant: string | undefined): Promise<boolean> {
  let options: UpstreamLoginOption[];
  try {
    const collection = body(
      await anonymous.GET("/tenant/loginOptions", { params: { query: tenant ? { tenantId: tenant } : {} } }),
    );
    options = collection.loginOptions;
  } catch (err) {
    // A tenant that hides its login options still takes Basic credentials; an unreachable platform is an error.
    if (err instanceof UpstreamError) return false;
    throw err;
  }
  return options.some((o) => o.type === "OAUTH2_INTERNAL");
}

async function tokenLogin(
  anonymous: PlatformClient,
  tenant: string | undefined,
  username: string,
  password: string,
): Promise<UpstreamAuth> {
  try {
    const { access_token } = body(
      await anonymous.POST("/tenant/oauth/token", {
        params: { query: tenant ? { tenant_id: tenant } : {} },
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: { grant_type: "PASSWORD", username, password },
      }),
    );
    return { scheme: "bearer", token: access_token };
  } catch (err) {
    throw loginError(err);
  }
}

function basicAuth(tenant: string | undefined, username: string, password: string): UpstreamAuth {
  const login = tenant ? `${tenant}/${username}` : username;
  return { scheme: "basic", credentials: Buffer.from(`${login}:${password}`, "utf8").toString("base64") };
}

/** Wrong credentials are the operator's mistake, not an ended session: a plain message, no cookie involved. */
function loginError(err: unknown): unknown {
  if (err instanceof UpstreamError && (err.status === 401 || err.status === 400))
    return new ApiError("unauthenticated", WRONG_CREDENTIALS);
  if (err instanceof UpstreamError && err.status === 403)
    return new ApiError(
      "forbidden",
      "This user may not sign in to the console (it cannot read its own user).",
    );
  return err;
}

/** The token's own `exp`, read without verifying (the platform verifies it on every call). */
function tokenLifetimeMs(token: string, now: number): number {
  const fallback = BASIC_SESSION_SECONDS * 1000;
  const payload = token.split(".")[1];
  if (!payload) return fallback;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    if (typeof exp !== "number") return fallback;
    const remaining = exp * 1000 - now;
    if (remaining <= 0)
      throw new ApiError("unauthenticated", "The platform issued an expired token; check clocks.");
    return Math.min(remaining, MAX_SESSION_SECONDS * 1000);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return fallback;
  }
}

function relevantRoles(user: UpstreamCurrentUser): string[] {
  const ids =
    "effectiveRoles" in user
      ? user.effectiveRoles.map((r) => r.id)
      : (user.roles?.references ?? []).map((ref) => ref.role?.id).filter((id): id is string => !!id);
  return [...new Set(ids)].filter((id) => RELEVANT_ROLE_PREFIXES.some((p) => id.startsWith(p))).sort();
}
