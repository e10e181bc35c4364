import type { IncomingMessage } from "node:http";
import type { Db } from "../store/db.js";
import { forbidden, unauthorized } from "../http/errors.js";
import type { Principal } from "./principal.js";
import type { TokenSigner } from "./tokens.js";
import type { UserStore } from "./users.js";

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}

const UNSAFE = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/** One principal per cached user record: requests with the same credential share it (nobody changes a principal). */
const basicPrincipals = new WeakMap<object, Principal>();

function basicPrincipal(found: Omit<Principal, "via" | "tokenId"> | undefined): Principal {
  if (!found) throw unauthorized();
  let principal = basicPrincipals.get(found);
  if (!principal)
    basicPrincipals.set(found, (principal = Object.freeze({ ...found, via: "basic" as const })));
  return principal;
}

/** Authentication as the platform does it: Basic, Bearer (our JWT), or the OAI-Secure cookie with XSRF on writes. */
export class Authenticator {
  private readonly isRevoked;
  private readonly revoke;

  constructor(
    db: Db,
    private readonly users: UserStore,
    private readonly tokens: TokenSigner,
    private readonly now: () => number,
  ) {
    this.isRevoked = db.prepare("SELECT 1 FROM revoked_tokens WHERE jti = ?");
    this.revoke = db.prepare("INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)");
  }

  /** The caller; synchronous for a Basic credential verified recently and for tokens, a promise otherwise. */
  authenticate(req: IncomingMessage): Principal | Promise<Principal> {
    const header = req.headers.authorization;
    if (header) return this.fromHeader(header);
    const cookie = parseCookies(req.headers.cookie).get("authorization");
    if (cookie) {
      const principal = this.fromToken(cookie, "cookie");
      // The cookie alone is not enough for a write: the XSRF header must match the value bound into the token.
      if (UNSAFE.has(req.method ?? "GET")) {
        const claims = this.tokens.verify(cookie, this.now());
        const xsrf = req.headers["x-xsrf-token"];
        if (!claims?.xsrf || typeof xsrf !== "string" || xsrf !== claims.xsrf)
          throw forbidden("Access is denied: missing or wrong X-XSRF-TOKEN");
      }
      return principal;
    }
    throw unauthorized("Full authentication is required to access this resource");
  }

  /** For Bayeux handshakes: the ext token is either base64 "tenant/user:pw" or a JWT. */
  async fromCredentialToken(token: string): Promise<Principal> {
    if (token.split(".").length === 3) return this.fromToken(token, "bearer");
    return this.fromBasic(token);
  }

  fromHeader(header: string): Principal | Promise<Principal> {
    const space = header.indexOf(" ");
    const scheme = space > 0 ? header.slice(0, space).toLowerCase() : "";
    const value = space > 0 ? header.slice(space + 1).trim() : "";
    if (scheme === "basic") return this.fromBasic(value);
    if (scheme === "bearer") return this.fromToken(value, "bearer");
    throw unauthorized();
  }

  private fromBasic(encoded: string): Principal | Promise<Principal> {
    let decoded: string;
    try {
      decoded = Buffer.from(encoded, "base64").toString("utf8");
    } catch {
      throw unauthorized();
    }
    const colon = decoded.indexOf(":");
    if (colon <= 0) throw unauthorized();
    const login = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const slash = login.indexOf("/");
    const tenant = slash >= 0 ? login.slice(0, slash) : undefined;
    const username = slash >= 0 ? login.slice(slash + 1) : login;
    if (!username) throw unauthorized();
    const found = this.users.verifyCachedOrLater(tenant, username, password);
    return found instanceof Promise ? found.then(basicPrincipal) : basicPrincipal(found);
  }

  private fromToken(token: string, via: "bearer" | "cookie"): Principal {
    const claims = this.tokens.verify(token, this.now());
    if (!claims || this.isRevoked.get(claims.jti)) throw unauthorized("Invalid or expired token");
    const slash = claims.sub.indexOf("/");
    const found = this.users.find(claims.sub.slice(0, slash), claims.sub.slice(slash + 1));
    if (!found) throw unauthorized("Invalid or expired token");
    return { ...found, via, tokenId: claims.jti };
  }

  revokeToken(jti: string, expiresAtSeconds: number): void {
    this.revoke.run(jti, expiresAtSeconds);
  }
}
