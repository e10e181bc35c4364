import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface TokenClaims {
  /** tenant/username */
  sub: string;
  ten: string;
  jti: string;
  iat: number;
  exp: number;
  /** XSRF value bound to a cookie session (POST /tenant/oauth). */
  xsrf?: string;
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** HS256 JWTs signed with the platform's own secret (kept in the database). */
export class TokenSigner {
  constructor(
    private readonly secret: Buffer,
    readonly lifetimeSeconds: number,
  ) {}

  sign(
    tenant: string,
    username: string,
    nowMs: number,
    extra: { xsrf?: string } = {},
  ): { token: string; claims: TokenClaims } {
    const iat = Math.floor(nowMs / 1000);
    const claims: TokenClaims = {
      sub: `${tenant}/${username}`,
      ten: tenant,
      jti: randomBytes(12).toString("base64url"),
      iat,
      exp: iat + this.lifetimeSeconds,
      ...extra,
    };
    const head = b64({ alg: "HS256", typ: "JWT" });
    const body = b64(claims);
    const sig = createHmac("sha256", this.secret).update(`${head}.${body}`).digest("base64url");
    return { token: `${head}.${body}.${sig}`, claims };
  }

  /** The claims of a valid, unexpired token, or undefined. */
  verify(token: string, nowMs: number): TokenClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [head, body, sig] = parts as [string, string, string];
    const expected = createHmac("sha256", this.secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs) return undefined;
    if (typeof claims.sub !== "string" || typeof claims.jti !== "string") return undefined;
    return claims;
  }
}
