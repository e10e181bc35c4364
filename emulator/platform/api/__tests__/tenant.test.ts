import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  basic,
  startTestPlatform,
  TENANT,
  ADMIN_PASSWORD,
  type TestPlatform,
} from "../../../../tests/support/platform.js";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

describe("authentication", () => {
  it("accepts tenant/user:password and bare user:password", async () => {
    for (const login of [`${TENANT}/admin`, "admin"]) {
      const res = await p.request("/tenant/currentTenant", { auth: basic(login, ADMIN_PASSWORD) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(
        "application/vnd.com.nsn.cumulocity.currentTenant+json;charset=UTF-8;ver=0.9",
      );
      expect((await res.json()).name).toBe(TENANT);
    }
  });

  it.each([
    ["no header", null],
    ["wrong password", basic(`${TENANT}/admin`, "nope")],
    ["unknown user", basic(`${TENANT}/mallory`, "x")],
    ["other tenant", basic("t9999/admin", ADMIN_PASSWORD)],
    ["malformed basic", "Basic !!!"],
    ["unknown scheme", "Digest abc"],
    ["garbage bearer", "Bearer a.b.c"],
  ])("answers 401 security/Unauthorized for %s", async (_name, auth) => {
    const res = await p.request("/user/currentUser", { auth });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/vnd.com.nsn.cumulocity.error+json");
    const body = await res.json();
    expect(body.error).toBe("security/Unauthorized");
    expect(typeof body.message).toBe("string");
    expect(typeof body.info).toBe("string");
  });

  it("issues a bearer token from the form login and revokes it on logout", async () => {
    const res = await p.formLogin("/tenant/oauth/token");
    expect(res.status).toBe(200);
    const { access_token } = await res.json();
    const claims = JSON.parse(Buffer.from(access_token.split(".")[1], "base64url").toString());
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    const bearer = `Bearer ${access_token}`;
    const me = await p.request("/user/currentUser", { auth: bearer });
    expect(me.status).toBe(200);
    expect((await me.json()).userName).toBe("admin");
    expect((await p.request("/user/logout", { method: "POST", auth: bearer })).status).toBe(200);
    expect((await p.request("/user/currentUser", { auth: bearer })).status).toBe(401);
  });

  it("refuses a form login with a wrong password", async () => {
    const res = await p.formLogin("/tenant/oauth/token", { password: "wrong" });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("security/Unauthorized");
  });

  it("sets cookies on the cookie login and requires X-XSRF-TOKEN for writes", async () => {
    const res = await p.formLogin("/tenant/oauth");
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const jar = cookies.map((c) => c.split(";")[0]).join("; ");
    const xsrf = cookies
      .find((c) => c.startsWith("XSRF-TOKEN="))!
      .split(";")[0]!
      .slice("XSRF-TOKEN=".length);
    expect(cookies.find((c) => c.startsWith("authorization="))).toContain("HttpOnly");
    expect((await p.request("/user/currentUser", { auth: null, headers: { cookie: jar } })).status).toBe(200);
    const noXsrf = await p.request("/user/logout", { method: "POST", auth: null, headers: { cookie: jar } });
    expect(noXsrf.status).toBe(403);
    expect((await noXsrf.json()).error).toBe("security/Forbidden");
    const ok = await p.request("/user/logout", {
      method: "POST",
      auth: null,
      headers: { cookie: jar, "x-xsrf-token": xsrf },
    });
    expect(ok.status).toBe(200);
    expect((await p.request("/user/currentUser", { auth: null, headers: { cookie: jar } })).status).toBe(401);
  });

  it("lists login options without authentication", async () => {
    const res = await p.request("/tenant/loginOptions", { auth: null });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.loginOptions.map((o: { type: string }) => o.type)).toEqual(["OAUTH2_INTERNAL", "BASIC"]);
  });

  it("gives the bootstrap user 403 outside deviceCredentials", async () => {
    const res = await p.request("/user/currentUser", { auth: p.bootstrap });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe("security/Forbidden");
  });

  it("answers both currentUser shapes by Accept", async () => {
    const a = await (await p.request("/user/currentUser")).json();
    expect(a.effectiveRoles.map((r: { id: string }) => r.id)).toContain("ROLE_INVENTORY_ADMIN");
    const b = await (
      await p.request("/user/currentUser", {
        headers: { accept: "application/vnd.com.nsn.cumulocity.user+json" },
      })
    ).json();
    expect(b.roles.references.length).toBeGreaterThan(0);
  });
});
