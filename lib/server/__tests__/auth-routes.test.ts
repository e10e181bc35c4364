import { unsealData } from "iron-session";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as session } from "@/app/api/auth/session/route";
import { GET as listRegistrations } from "@/app/api/registrations/route";
import { sealSession, type SessionData } from "@/lib/server/session";
import {
  ADMIN_PASSWORD,
  TENANT,
  startTestPlatform,
  type TestPlatform,
} from "../../../tests/support/platform.js";
import {
  ORIGIN,
  SESSION_PASSWORD,
  basicOnly,
  call,
  exposed,
  signIn,
  startProxy,
  type LoopbackProxy,
} from "./support.js";

let p: TestPlatform;
let proxy: LoopbackProxy;
let basicProxy: LoopbackProxy;

beforeAll(async () => {
  p = await startTestPlatform();
  proxy = await startProxy(p.url);
  basicProxy = await startProxy(p.url, basicOnly);
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
});
afterAll(async () => {
  await proxy.close();
  await basicProxy.close();
  await p.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const useUpstream = (url: string) => vi.stubEnv("C8Y_BASEURL", url);

async function tokenOf(cookie: string): Promise<SessionData["auth"]> {
  const seal = cookie.slice(cookie.indexOf("=") + 1);
  return (await unsealData<SessionData>(seal, { password: SESSION_PASSWORD })).auth;
}

describe("sign-in", () => {
  it("uses a bearer token where the tenant offers OAUTH2_INTERNAL", async () => {
    useUpstream(proxy.url);
    proxy.calls.length = 0;
    const a = await signIn(login);
    expect(a.json).toMatchObject({
      username: "admin",
      tenant: TENANT,
      platformUrl: proxy.url,
      can: {
        readDevices: true,
        adminDevices: true,
        readRegistrations: true,
        adminRegistrations: true,
        adminOperations: true,
      },
    });
    expect(a.json.roles).toContain("ROLE_DEVICE_CONTROL_ADMIN");
    expect(proxy.calls.map((c) => c.path.split("?")[0])).toEqual([
      "/tenant/loginOptions",
      "/tenant/oauth/token",
      "/tenant/currentTenant",
      "/user/currentUser",
    ]);
    expect(proxy.calls[2]!.authorization).toMatch(/^Bearer /);
    expect(proxy.calls[3]!.authorization).toMatch(/^Bearer /);

    // The session expires with the token (emulator tokens live two hours).
    const auth = await tokenOf(a.cookie);
    expect(auth.scheme).toBe("bearer");
    const token = auth.scheme === "bearer" ? auth.token : "";
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    expect(new Date(a.json.expiresAt).getTime()).toBe(exp * 1000);
    const maxAge = Number(/Max-Age=(\d+)/.exec(a.setCookie!)![1]);
    expect(Math.abs(maxAge - (exp - Date.now() / 1000))).toBeLessThan(5);

    // Neither the password nor the token is in what the browser receives, the cookie included.
    expect(exposed(a)).not.toContain(ADMIN_PASSWORD);
    expect(exposed(a)).not.toContain(token);
    expect(exposed(a)).not.toContain(token.split(".")[1]!);
  });

  it("falls back to Basic credentials where the tenant offers no token login", async () => {
    useUpstream(basicProxy.url);
    basicProxy.calls.length = 0;
    const a = await signIn(login, { tenant: TENANT });
    expect(a.json).toMatchObject({ username: "admin", tenant: TENANT });
    expect(basicProxy.calls.map((c) => c.path.split("?")[0])).toEqual([
      "/tenant/loginOptions",
      "/tenant/currentTenant",
      "/user/currentUser",
    ]);
    expect(basicProxy.calls[1]!.authorization).toMatch(/^Basic /);
    expect(Buffer.from(basicProxy.calls[1]!.authorization!.slice(6), "base64").toString()).toBe(
      `${TENANT}/admin:${ADMIN_PASSWORD}`,
    );
    // Basic credentials carry no expiry: the session lasts a working day.
    const hours = (new Date(a.json.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
    expect(exposed(a)).not.toContain(ADMIN_PASSWORD);
    expect(exposed(a)).not.toContain(Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64"));

    // The session works for later calls, with Basic upstream.
    basicProxy.calls.length = 0;
    const s = await call(session, "/api/auth/session", { cookie: a.cookie });
    expect(s.status).toBe(200);
    expect(s.json.username).toBe("admin");
  });

  it("reads `tenant/user` typed into the username field", async () => {
    useUpstream(basicProxy.url);
    basicProxy.calls.length = 0;
    await signIn(login, { username: `${TENANT}/admin` });
    expect(Buffer.from(basicProxy.calls[1]!.authorization!.slice(6), "base64").toString()).toBe(
      `${TENANT}/admin:${ADMIN_PASSWORD}`,
    );
  });

  it.each([
    ["token", () => p.url],
    ["basic", () => basicProxy.url],
  ])("answers 401 with a plain message for a wrong password (%s login)", async (_kind, url) => {
    useUpstream(url());
    const a = await call(login, "/api/auth/login", {
      body: { username: "admin", password: "not-the-password" },
    });
    expect(a.status).toBe(401);
    expect(a.json.error).toMatchObject({
      code: "unauthenticated",
      message: "Wrong username or password (or tenant).",
    });
    expect(a.cookie).toBeUndefined();
    expect(exposed(a)).not.toContain("not-the-password");
  });

  it("answers 401 for a tenant the platform does not know", async () => {
    useUpstream(p.url);
    const a = await call(login, "/api/auth/login", {
      body: { tenant: "t9999", username: "admin", password: ADMIN_PASSWORD },
    });
    expect(a.status).toBe(401);
    expect(a.json.error.code).toBe("unauthenticated");
  });

  it("answers 502 upstream_unavailable when the platform cannot be reached", async () => {
    const gone = await startProxy(p.url);
    await gone.close();
    useUpstream(gone.url);
    const a = await call(login, "/api/auth/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
    expect(a.status).toBe(502);
    expect(a.json.error.code).toBe("upstream_unavailable");
    expect(a.json.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect(a.json.error.requestId).toBe(a.headers.get("x-request-id"));
  });

  it("validates the form: 422 with the fields named, 400 for bad JSON", async () => {
    useUpstream(p.url);
    const invalid = await call(login, "/api/auth/login", { body: { username: "", password: "" } });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.code).toBe("invalid_input");
    expect(Object.keys(invalid.json.error.fields)).toEqual(["username", "password"]);

    const bad = await call(login, "/api/auth/login", {
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("bad_json");
  });

  it("refuses a body over the limit with 413", async () => {
    useUpstream(p.url);
    const big = JSON.stringify({ username: "admin", password: "x".repeat(20_000) });
    const a = await call(login, "/api/auth/login", {
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(a.status).toBe(413);
    expect(a.json.error.code).toBe("payload_too_large");
    // A chunked body without Content-Length is cut off while it is read.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(1000)));
        c.close();
      },
    });
    const req = new Request(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { "x-c8y-console": "1", "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await login(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
  });
});

describe("the session cookie", () => {
  it("is httpOnly, SameSite=Lax, Path=/ and not Secure over plain http", async () => {
    useUpstream(p.url);
    const a = await signIn(login);
    expect(a.cookie.startsWith("c8y-console=")).toBe(true);
    expect(a.setCookie).toMatch(/; HttpOnly/);
    expect(a.setCookie).toMatch(/; SameSite=Lax/);
    expect(a.setCookie).toMatch(/; Path=\//);
    expect(a.setCookie).not.toMatch(/Secure/);
  });

  it("is Secure behind https, and __Host- prefixed in production", async () => {
    useUpstream(p.url);
    vi.stubEnv("CONSOLE_URL", "https://console.example.com");
    const a = await signIn(login);
    expect(a.setCookie).toMatch(/; Secure/);
    expect(a.cookie.startsWith("c8y-console=")).toBe(true);

    vi.stubEnv("NODE_ENV", "production");
    const b = await signIn(login);
    expect(b.cookie.startsWith("__Host-c8y-console=")).toBe(true);
    expect(b.setCookie).toMatch(/; Secure/);
    expect(b.setCookie).not.toMatch(/Domain=/);
    const s = await call(session, "/api/auth/session", { cookie: b.cookie });
    expect(s.status).toBe(200);
  });

  it("GET /api/auth/session answers the operator, or 401 without a session", async () => {
    useUpstream(p.url);
    const none = await call(session, "/api/auth/session");
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe("unauthenticated");
    expect(none.cookie).toBeUndefined();

    const a = await signIn(login);
    const s = await call(session, "/api/auth/session", { cookie: a.cookie });
    expect(s.status).toBe(200);
    expect(s.json).toEqual(a.json);
    expect(s.headers.get("cache-control")).toBe("no-store, no-transform");
  });

  it("treats a modified cookie as no session and clears it", async () => {
    useUpstream(p.url);
    const a = await signIn(login);
    const i = a.cookie.length - 10;
    const flipped = a.cookie.slice(0, i) + (a.cookie[i] === "A" ? "B" : "A") + a.cookie.slice(i + 1);
    for (const cookie of [flipped, "c8y-console=garbage", `${a.cookie}x`]) {
      const s = await call(session, "/api/auth/session", { cookie });
      expect(s.status).toBe(401);
      expect(s.json.error.code).toBe("unauthenticated");
      expect(s.cookie).toBe("");
      expect(s.setCookie).toMatch(/Max-Age=0/);
    }
  });

  it("ends an expired session, and a session made for another platform", async () => {
    useUpstream(p.url);
    const base: SessionData = {
      v: 1,
      auth: { scheme: "basic", credentials: "eA==" },
      username: "admin",
      tenant: TENANT,
      roles: [],
      platformUrl: p.url,
      expiresAt: Date.now() + 60_000,
    };
    const valid = await call(session, "/api/auth/session", {
      cookie: `c8y-console=${await sealSession(base)}`,
    });
    expect(valid.status).toBe(200);

    const expired = `c8y-console=${await sealSession({ ...base, expiresAt: Date.now() - 1000 })}`;
    const a = await call(session, "/api/auth/session", { cookie: expired });
    expect(a.status).toBe(401);
    expect(a.cookie).toBe("");

    const elsewhere = `c8y-console=${await sealSession({ ...base, platformUrl: "http://other.invalid" })}`;
    const b = await call(session, "/api/auth/session", { cookie: elsewhere });
    expect(b.status).toBe(401);
  });
});

describe("sign-out", () => {
  it("destroys the session and invalidates the token upstream", async () => {
    useUpstream(p.url);
    const a = await signIn(login);
    const auth = await tokenOf(a.cookie);
    const token = auth.scheme === "bearer" ? auth.token : "";
    expect((await p.request("/user/currentUser", { auth: `Bearer ${token}` })).status).toBe(200);

    const out = await call(logout, "/api/auth/logout", { method: "POST", cookie: a.cookie });
    expect(out.status).toBe(204);
    expect(out.cookie).toBe("");
    expect(out.setCookie).toMatch(/Max-Age=0/);
    expect((await p.request("/user/currentUser", { auth: `Bearer ${token}` })).status).toBe(401);

    // A copy of the old cookie is useless: the platform refuses the token, so the BFF ends the session.
    const stale = await call(listRegistrations, "/api/registrations", { cookie: a.cookie });
    expect(stale.status).toBe(401);
    expect(stale.json.error.code).toBe("unauthenticated");
    expect(stale.cookie).toBe("");

    // Signing out without a session is fine.
    expect((await call(logout, "/api/auth/logout", { method: "POST" })).status).toBe(204);
  });
});

describe("cross-site requests", () => {
  it("refuses a mutation without the console header (403 cross_site_refused)", async () => {
    useUpstream(p.url);
    const a = await call(login, "/api/auth/login", {
      body: { username: "admin", password: ADMIN_PASSWORD },
      csrf: false,
    });
    expect(a.status).toBe(403);
    expect(a.json.error.code).toBe("cross_site_refused");
    expect(a.cookie).toBeUndefined();
  });

  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
  ])("refuses %s even with the header", async (_name, headers) => {
    useUpstream(p.url);
    const a = await signIn(login);
    const out = await call(logout, "/api/auth/logout", { method: "POST", cookie: a.cookie, headers });
    expect(out.status).toBe(403);
    expect(out.json.error.code).toBe("cross_site_refused");
    // The session survived the refused sign-out.
    expect((await call(session, "/api/auth/session", { cookie: a.cookie })).status).toBe(200);
  });

  it("accepts the console's own origin", async () => {
    useUpstream(p.url);
    const a = await call(login, "/api/auth/login", {
      body: { username: "admin", password: ADMIN_PASSWORD },
      headers: { origin: ORIGIN, "sec-fetch-site": "same-origin" },
    });
    expect(a.status).toBe(200);
  });

  it("does not need the header for reads", async () => {
    useUpstream(p.url);
    const a = await signIn(login);
    const s = await call(session, "/api/auth/session", { cookie: a.cookie, csrf: false });
    expect(s.status).toBe(200);
  });
});
