// The route wrapper on its own: session modes, cross-site reads, and errors that carry more than the envelope.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/server/errors";
import { json, route } from "@/lib/server/route";
import { sealSession, type SessionData } from "@/lib/server/session";
import { SESSION_PASSWORD, call } from "./support.js";

const PLATFORM = "http://platform.invalid";

beforeEach(() => {
  vi.stubEnv("SESSION_PASSWORD", SESSION_PASSWORD);
  vi.stubEnv("C8Y_BASEURL", PLATFORM);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function sessionCookie(): Promise<string> {
  const data: SessionData = {
    v: 1,
    auth: { scheme: "basic", credentials: "dDEvamFuZTpzZWNyZXQ=" },
    username: "jane",
    tenant: "t1",
    roles: [],
    platformUrl: PLATFORM,
    expiresAt: Date.now() + 60_000,
  };
  return `c8y-console=${await sealSession(data)}`;
}

describe("session modes", () => {
  it("a required session: 401 without one, and the handler is never called", async () => {
    const handler = vi.fn(() => json({}));
    const a = await call(route({ session: "required" }, handler), "/api/x");
    expect(a.status).toBe(401);
    expect(a.json).toEqual({
      error: { code: "unauthenticated", message: "Sign in to continue.", requestId: expect.any(String) },
    });
    expect(a.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(handler).not.toHaveBeenCalled();
  });

  it("a required session: the handler gets the operator and a platform client", async () => {
    const handler = route({ session: "required" }, ({ session, platform }) =>
      json({ username: session.username, client: typeof platform().GET }),
    );
    const a = await call(handler, "/api/x", { cookie: await sessionCookie() });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ username: "jane", client: "function" });
  });

  it("an optional session: null without one, the operator with one", async () => {
    const handler = route({ session: "optional" }, ({ session }) => json({ who: session?.username ?? null }));
    expect((await call(handler, "/api/x")).json).toEqual({ who: null });
    expect((await call(handler, "/api/x", { cookie: await sessionCookie() })).json).toEqual({ who: "jane" });
  });
});

describe("cross-site requests", () => {
  const read = (options: { crossSiteReads?: "refuse" }) =>
    route({ session: "optional", ...options }, () => json({ ok: true }));
  const crossSite = { headers: { "sec-fetch-site": "cross-site" }, csrf: false };

  it("reads from another site pass by default, and are refused where the route asks", async () => {
    expect((await call(read({}), "/api/x", crossSite)).status).toBe(200);
    const refused = await call(read({ crossSiteReads: "refuse" }), "/api/x", crossSite);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("cross_site_refused");
    const own = await call(read({ crossSiteReads: "refuse" }), "/api/x", {
      headers: { "sec-fetch-site": "same-origin" },
      csrf: false,
    });
    expect(own.status).toBe(200);
  });

  it("a mutation without the console's header is refused before the handler runs", async () => {
    const handler = vi.fn(() => json({}));
    const a = await call(route({ session: "optional" }, handler), "/api/x", { method: "POST", csrf: false });
    expect(a.status).toBe(403);
    expect(a.json.error.code).toBe("cross_site_refused");
    expect(handler).not.toHaveBeenCalled();
  });
});

describe("errors", () => {
  it("an error's extra answer goes beside the envelope, never over it", async () => {
    const handler = route({ session: "optional" }, () => {
      throw new ApiError("conflict", "It moved on.", {
        fields: { lastUpdated: "2024-01-01T00:00:00.000Z" },
        extra: { current: { id: "7" }, error: "not this" },
      });
    });
    const a = await call(handler, "/api/x");
    expect(a.status).toBe(409);
    expect(a.json).toEqual({
      current: { id: "7" },
      error: {
        code: "conflict",
        message: "It moved on.",
        requestId: a.headers.get("x-request-id"),
        fields: { lastUpdated: "2024-01-01T00:00:00.000Z" },
      },
    });
  });
});
