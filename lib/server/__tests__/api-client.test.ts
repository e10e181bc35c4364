// The browser's fetch helper, driven against the real route handlers and a real emulator: `fetch` is replaced
// only to route the browser's relative /api/… URLs to the exported handlers, as Next would.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as session } from "@/app/api/auth/session/route";
import { POST as bulk } from "@/app/api/registrations/bulk/route";
import { GET as list } from "@/app/api/registrations/route";
import { BffError, apiFetch } from "@/lib/queries/api-client";
import { sessionUserDtoSchema } from "@/lib/schemas/session";
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import { ORIGIN, SESSION_PASSWORD } from "./support.js";

type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;
const routes: Record<string, Handler> = {
  "/api/auth/login": login,
  "/api/auth/session": session,
  "/api/registrations": list,
  "/api/registrations/bulk": bulk,
};

let p: TestPlatform;
/** The browser's cookie jar, reduced to the one cookie the BFF sets. */
let jar = "";
const assign = vi.fn<(url: string) => void>();

beforeAll(async () => {
  p = await startTestPlatform();
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
});
afterAll(() => p.close());
afterEach(() => {
  vi.unstubAllGlobals();
  assign.mockClear();
  jar = "";
});

const realFetch = globalThis.fetch;

function browser(options: { down?: boolean } = {}) {
  vi.stubGlobal("window", { location: { pathname: "/registrations", search: "?status=BLOCKED", assign } });
  vi.stubGlobal("fetch", async (input: RequestInfo, init: RequestInit) => {
    // The BFF's own calls to the platform go out unchanged.
    if (typeof input !== "string" || !input.startsWith("/")) return realFetch(input, init);
    if (options.down) throw new TypeError("fetch failed");
    const url = new URL(input, ORIGIN);
    const headers = new Headers(init.headers);
    if (jar) headers.set("cookie", jar);
    const handler = routes[url.pathname];
    if (!handler) return new Response("<html>not found</html>", { status: 404 });
    const res = await handler(new Request(url, { ...init, headers }), {
      params: Promise.resolve({}) as Promise<never>,
    });
    const set = res.headers.get("set-cookie");
    if (set) jar = set.split(";")[0]!.endsWith("=") ? "" : set.split(";")[0]!;
    return res;
  });
}

describe("apiFetch", () => {
  it("signs in (the CSRF header is sent) and parses the answer with the schema", async () => {
    browser();
    const user = await apiFetch("/api/auth/login", {
      method: "POST",
      body: { username: "admin", password: ADMIN_PASSWORD },
      schema: sessionUserDtoSchema,
    });
    expect(user.username).toBe("admin");
    const again = await apiFetch("/api/auth/session", { schema: sessionUserDtoSchema });
    expect(again).toEqual(user);
  });

  it("turns the error envelope into an BffError and leaves sign-in 401s to the form", async () => {
    browser();
    const err = await apiFetch("/api/auth/login", {
      method: "POST",
      body: { username: "admin", password: "wrong" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BffError);
    expect(err).toMatchObject({
      status: 401,
      code: "unauthenticated",
      message: "Wrong username or password (or tenant).",
    });
    expect(assign).not.toHaveBeenCalled();

    const invalid = await apiFetch("/api/auth/login", { method: "POST", body: { username: "" } }).catch(
      (e: unknown) => e,
    );
    expect(invalid).toMatchObject({ status: 422, code: "invalid_input" });
    expect((invalid as BffError).fields).toHaveProperty("username");
  });

  it("sends the browser to /login?next=<this page> when the session has ended", async () => {
    browser();
    const err = await apiFetch("/api/registrations").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(assign).toHaveBeenCalledWith("/login?next=%2Fregistrations%3Fstatus%3DBLOCKED");
  });

  it("uploads FormData as multipart", async () => {
    browser();
    await apiFetch("/api/auth/login", {
      method: "POST",
      body: { username: "admin", password: ADMIN_PASSWORD },
    });
    const form = new FormData();
    form.set("file", new Blob(["ID\napi-client-1\n"], { type: "text/csv" }), "x.csv");
    const result = await apiFetch<{ numberOfCreated: number }>("/api/registrations/bulk", {
      method: "POST",
      body: form,
    });
    expect(result.numberOfCreated).toBe(1);
  });

  it("never shows a body that is not the envelope, and reports an unreachable server", async () => {
    browser();
    const notOurs = await apiFetch("/api/unknown").catch((e: unknown) => e);
    expect(notOurs).toMatchObject({ status: 404, message: "The console server answered 404." });

    browser({ down: true });
    const down = await apiFetch("/api/auth/session").catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, code: "upstream_unavailable" });
  });

  it("only calls the BFF", async () => {
    browser();
    await expect(apiFetch("https://evil.example/api/x")).rejects.toThrow(/only calls the BFF/);
  });
});
