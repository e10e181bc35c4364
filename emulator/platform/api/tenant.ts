import type { PlatformContext } from "../context.js";
import { readBody } from "../http/body.js";
import { PlatformError, unauthorized } from "../http/errors.js";
import type { Router } from "../http/router.js";
import { rolesOf } from "../auth/principal.js";
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A login form holds a user name and a password; nothing legitimate comes near this size. */
const MAX_LOGIN_FORM = 16 * 1024;

interface LoginForm {
  username: string;
  password: string;
  tenant: string | undefined;
}

/** The form body of POST /tenant/oauth[/token]: grant_type=PASSWORD, username, password (docs/platform-api.md §1.3). */
async function readLoginForm(
  ctx: PlatformContext,
  rc: { req: IncomingMessage; query: URLSearchParams },
): Promise<LoginForm> {
  const type = (rc.req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  // The type first: a body of another kind is refused as such, however large.
  if (type !== "application/x-www-form-urlencoded" && type !== "")
    throw new PlatformError(
      415,
      "security/Unsupported Media Type",
      "Login expects application/x-www-form-urlencoded",
    );
  const form = new URLSearchParams((await readBody(rc.req, MAX_LOGIN_FORM)).toString("utf8"));
  const grant = (form.get("grant_type") ?? "PASSWORD").toUpperCase();
  if (grant !== "PASSWORD")
    throw new PlatformError(400, "security/Bad Request", `Unsupported grant_type ${grant}`);
  const username = form.get("username") ?? "";
  const password = form.get("password") ?? "";
  if (!username || !password)
    throw new PlatformError(400, "security/Bad Request", "username and password are required");
  const tenant = rc.query.get("tenant_id") || undefined;
  if (tenant && tenant !== ctx.config.tenant) throw unauthorized();
  return { username, password, tenant };
}

/**
 * The host of a base URL without scheme and port (the vendor's `domainName` is a `hostname`): "[::1]:8111" → "::1".
 * The base URL comes from the client's Host header, so this never throws on odd input.
 */
export function bareHost(baseUrl: string): string {
  const host = baseUrl.replace(/^[a-z]+:\/\//i, "");
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  return bracketed ? bracketed[1]! : host.replace(/:[^:]*$/, "");
}

export function registerTenantApi(router: Router, ctx: PlatformContext): void {
  const { tenant } = ctx.config;

  // GET /tenant/loginOptions – unauthenticated: which login flows this tenant offers.
  router.get(
    "/tenant/loginOptions",
    (rc) => ({
      status: 200,
      type: "loginOptionCollection",
      body: {
        self: `${rc.baseUrl}/tenant/loginOptions`,
        loginOptions: [
          {
            id: "OAUTH2_INTERNAL",
            type: "OAUTH2_INTERNAL",
            userManagementSource: "INTERNAL",
            grantType: "PASSWORD",
            initRequest: `${rc.baseUrl}/tenant/oauth?tenant_id=${tenant}`,
            visibleOnLoginPage: true,
            self: `${rc.baseUrl}/tenant/loginOptions/OAUTH2_INTERNAL`,
          },
          {
            id: "BASIC",
            type: "BASIC",
            userManagementSource: "INTERNAL",
            visibleOnLoginPage: false,
            self: `${rc.baseUrl}/tenant/loginOptions/BASIC`,
          },
        ],
      },
    }),
    { public: true },
  );

  // POST /tenant/oauth/token – form login returning a bearer JWT.
  router.post(
    "/tenant/oauth/token",
    async (rc) => {
      const form = await readLoginForm(ctx, rc);
      const user = await ctx.users.verify(form.tenant ?? tenant, form.username, form.password);
      if (!user || user.kind !== "admin") throw unauthorized();
      const { token } = ctx.tokens.sign(user.tenant, user.username, ctx.now());
      return { status: 200, body: { access_token: token } };
    },
    { public: true },
  );

  // POST /tenant/oauth – form login setting the authorization cookie and its XSRF-TOKEN companion.
  router.post(
    "/tenant/oauth",
    async (rc) => {
      const form = await readLoginForm(ctx, rc);
      const user = await ctx.users.verify(form.tenant ?? tenant, form.username, form.password);
      if (!user || user.kind !== "admin") throw unauthorized();
      const xsrf = randomBytes(18).toString("base64url");
      const { token, claims } = ctx.tokens.sign(user.tenant, user.username, ctx.now(), { xsrf });
      const maxAge = claims.exp - claims.iat;
      return {
        status: 200,
        headers: {
          "set-cookie": [
            `authorization=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`,
            `XSRF-TOKEN=${xsrf}; Path=/; Max-Age=${maxAge}; SameSite=Lax`,
          ],
        },
      };
    },
    { public: true },
  );

  // POST /user/logout – invalidates the token (bearer or cookie) the request was made with.
  router.post("/user/logout", (rc) => {
    const token = rc.principal.tokenId;
    if (token) ctx.auth.revokeToken(token, Math.floor(ctx.now() / 1000) + ctx.config.tokenLifetimeSeconds);
    return {
      status: 200,
      headers: {
        "set-cookie": [
          "authorization=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
          "XSRF-TOKEN=; Path=/; Max-Age=0; SameSite=Lax",
        ],
      },
    };
  });

  // GET /tenant/currentTenant – the tenant id is in `name`.
  router.get("/tenant/currentTenant", (rc) => {
    if (rc.principal.kind === "bootstrap")
      throw new PlatformError(403, "security/Forbidden", "Access is denied");
    const domainName = bareHost(rc.baseUrl);
    return {
      status: 200,
      type: "currentTenant",
      body: {
        name: rc.principal.tenant,
        domainName,
        allowCreateTenants: false,
        customProperties: {},
        applications: {
          references: [],
          self: `${rc.baseUrl}/tenant/tenants/${rc.principal.tenant}/applications`,
        },
        self: `${rc.baseUrl}/tenant/currentTenant`,
      },
    };
  });

  // GET /user/currentUser – two shapes chosen by Accept (currentUser with effectiveRoles, or the user shape).
  router.get("/user/currentUser", (rc) => {
    const p = rc.principal;
    if (p.kind === "bootstrap") throw new PlatformError(403, "security/Forbidden", "Access is denied");
    const roles = rolesOf(p).map((r) => ({ id: r, name: r, self: `${rc.baseUrl}/user/roles/${r}` }));
    const accept = (rc.req.headers.accept ?? "").toLowerCase();
    const self = `${rc.baseUrl}/user/currentUser`;
    if (accept.includes("vnd.com.nsn.cumulocity.user+json")) {
      return {
        status: 200,
        type: "user",
        body: {
          id: p.username,
          userName: p.username,
          self,
          enabled: true,
          displayName: p.username,
          customProperties: {},
          roles: { references: roles.map((role) => ({ role, self: role.self })), self: `${self}/roles` },
          groups: { references: [], self: `${self}/groups` },
        },
      };
    }
    return {
      status: 200,
      type: "currentUser",
      body: {
        id: p.username,
        userName: p.username,
        self,
        shouldResetPassword: false,
        twoFactorAuthenticationEnabled: false,
        effectiveRoles: roles,
        devicePermissions: {},
      },
    };
  });
}
