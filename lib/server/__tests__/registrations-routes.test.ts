import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { DELETE as remove } from "@/app/api/registrations/[id]/route";
import { POST as accept } from "@/app/api/registrations/accept/route";
import { POST as bulk } from "@/app/api/registrations/bulk/route";
import { GET as list, POST as register } from "@/app/api/registrations/route";
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import {
  SESSION_PASSWORD,
  call,
  exposed,
  platformError,
  signIn,
  startProxy,
  type LoopbackProxy,
} from "./support.js";

let p: TestPlatform;
let cookie: string;

beforeAll(async () => {
  // A clock that moves one second per reading, so creation times are distinct and sorting is observable.
  let tick = 0;
  const start = Date.now();
  p = await startTestPlatform({ now: () => start + tick++ * 1000 });
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  cookie = (await signIn(login)).cookie;
});
afterAll(() => p.close());

/** The device's side of registration: one credentials poll with the bootstrap user. */
const poll = (id: string) =>
  p.request("/devicecontrol/deviceCredentials", {
    method: "POST",
    auth: p.bootstrap,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ id }),
  });

const csvForm = (csv: string, name = "devices.csv") => {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), name);
  return form;
};

describe("register", () => {
  it("registers ids once each and reports duplicates as already registered", async () => {
    const a = await call(register, "/api/registrations", {
      body: { ids: ["reg-1", "reg-2", "reg-1"] },
      cookie,
    });
    expect(a.status).toBe(200);
    expect(a.json.results).toEqual([
      { id: "reg-1", ok: true, status: "WAITING_FOR_CONNECTION" },
      { id: "reg-2", ok: true, status: "WAITING_FOR_CONNECTION" },
    ]);
    const b = await call(register, "/api/registrations", { body: { ids: ["reg-2", "reg-3"] }, cookie });
    expect(b.json.results).toEqual([
      { id: "reg-2", ok: false, code: "conflict", error: "already registered" },
      { id: "reg-3", ok: true, status: "WAITING_FOR_CONNECTION" },
    ]);
  });

  it.each([
    ["no ids", { ids: [] }],
    ["a slash", { ids: ["a/b"] }],
    ["a dot segment", { ids: [".."] }],
    ["not a list", { ids: "reg-9" }],
  ])("answers 422 invalid_input for %s", async (_name, body) => {
    const a = await call(register, "/api/registrations", { body, cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(a.json.error.fields).toBeTypeOf("object");
  });

  it("needs a session", async () => {
    const a = await call(register, "/api/registrations", { body: { ids: ["reg-x"] } });
    expect(a.status).toBe(401);
    expect(a.json.error.code).toBe("unauthenticated");
  });
});

describe("accept", () => {
  it("accepts only requests whose device has polled, per row", async () => {
    await call(register, "/api/registrations", { body: { ids: ["acc-1", "acc-2"] }, cookie });
    expect((await poll("acc-1")).status).toBe(404); // the first poll moves it to PENDING_ACCEPTANCE
    const a = await call(accept, "/api/registrations/accept", {
      body: { ids: ["acc-1", "acc-2", "acc-unknown"] },
      cookie,
    });
    expect(a.status).toBe(200);
    expect(a.json.results).toEqual([
      { id: "acc-1", ok: true, status: "ACCEPTED" },
      {
        id: "acc-2",
        ok: false,
        code: "conflict",
        status: "WAITING_FOR_CONNECTION",
        error: expect.stringMatching(/not connected yet/),
      },
      { id: "acc-unknown", ok: false, code: "not_found", error: "No registration request with this id." },
    ]);
    const again = await call(accept, "/api/registrations/accept", { body: { ids: ["acc-1"] }, cookie });
    expect(again.json.results).toEqual([
      { id: "acc-1", ok: false, code: "conflict", status: "ACCEPTED", error: "Already accepted." },
    ]);

    // The device now gets its credentials; the BFF never showed them.
    const creds = await poll("acc-1");
    expect(creds.status).toBe(200);
    const { password } = await creds.json();
    expect(exposed(a)).not.toContain(password);
  });

  it("takes at most 100 ids", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `many-${i}`);
    const a = await call(accept, "/api/registrations/accept", { body: { ids }, cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
  });

  it("limits how many platform calls run at once", async () => {
    let inFlight = 0;
    let most = 0;
    const counting = await startProxy(p.url, (req, res) => {
      if (req.method !== "GET" || !req.url?.startsWith("/devicecontrol/newDeviceRequests/")) return false;
      inFlight++;
      most = Math.max(most, inFlight);
      res.on("finish", () => inFlight--);
      // Answer only when the BFF has had every chance to start more calls.
      setImmediate(() =>
        platformError(res, 404, "devicecontrol/Not Found", "Could not find newDeviceRequest"),
      );
      return true;
    });
    try {
      vi.stubEnv("C8Y_BASEURL", counting.url);
      const session = (await signIn(login)).cookie;
      const ids = Array.from({ length: 40 }, (_, i) => `cc-${i}`);
      const a = await call(accept, "/api/registrations/accept", { body: { ids }, cookie: session });
      expect(a.json.results).toHaveLength(40);
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(8);
    } finally {
      vi.unstubAllEnvs();
      await counting.close();
    }
  });
});

describe("list", () => {
  it("counts per status, filters, searches, sorts and pages", async () => {
    await call(register, "/api/registrations", { body: { ids: ["list-a1", "list-a2", "list-b1"] }, cookie });
    await poll("list-a2");

    const all = await call(list, "/api/registrations?search=list-", { cookie });
    expect(all.status).toBe(200);
    expect(all.json.items.map((i: { id: string }) => i.id)).toEqual(["list-b1", "list-a2", "list-a1"]);
    expect(all.json).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(all.json.items[0]).toEqual({
      id: "list-b1",
      status: "WAITING_FOR_CONNECTION",
      owner: "admin",
      creationTime: expect.any(String),
      groupId: null,
      type: null,
      deviceId: null,
    });

    const oldest = await call(list, "/api/registrations?search=LIST-A&sort=oldest", { cookie });
    expect(oldest.json.items.map((i: { id: string }) => i.id)).toEqual(["list-a1", "list-a2"]);

    const pending = await call(list, "/api/registrations?status=PENDING_ACCEPTANCE&search=list-", { cookie });
    expect(pending.json.items.map((i: { id: string }) => i.id)).toEqual(["list-a2"]);
    expect(pending.json.total).toBe(1);
    // Counts are over everything, whatever the filter.
    expect(pending.json.counts).toEqual(all.json.counts);
    expect(all.json.counts.PENDING_ACCEPTANCE).toBeGreaterThanOrEqual(1);
    expect(Object.keys(all.json.counts).sort()).toEqual([
      "ACCEPTED",
      "BLOCKED",
      "PENDING_ACCEPTANCE",
      "WAITING_FOR_CONNECTION",
    ]);

    const bad = await call(list, "/api/registrations?status=NOPE&page=0", { cookie });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["page", "status"]);
  });

  it("reads every upstream page and pages past 100 itself", async () => {
    const ids = Array.from({ length: 2105 }, (_, i) => `page-${String(i).padStart(4, "0")}`);
    const up = await call(bulk, "/api/registrations/bulk", {
      body: csvForm(`ID\n${ids.join("\n")}\n`),
      cookie,
    });
    expect(up.status).toBe(200);
    expect(up.json.numberOfCreated).toBe(2105);

    const first = await call(list, "/api/registrations?search=page-&sort=oldest&pageSize=500", { cookie });
    expect(first.json.total).toBe(2105);
    expect(first.json.items).toHaveLength(500);
    expect(first.json.items[0].id).toBe("page-0000");
    const last = await call(list, "/api/registrations?search=page-&sort=oldest&pageSize=500&page=5", {
      cookie,
    });
    expect(last.json.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(2000));
    const beyond = await call(list, "/api/registrations?search=page-&pageSize=500&page=9", { cookie });
    expect(beyond.json.items).toEqual([]);
    expect(beyond.json.total).toBe(2105);
  });

  it("links an accepted request to its device through the c8y_Serial identity", async () => {
    // The device exists already (created by a bulk file with credentials), then registers again.
    const made = await call(bulk, "/api/registrations/bulk", {
      body: csvForm("ID;CREDENTIALS;TYPE;NAME\nlinked-1;a-long-password-1;c8y_Linux;Linked one\n"),
      cookie,
    });
    expect(made.json.numberOfCreated).toBe(1);
    await call(register, "/api/registrations", { body: { ids: ["linked-1"] }, cookie });
    await poll("linked-1");
    await call(accept, "/api/registrations/accept", { body: { ids: ["linked-1"] }, cookie });
    const ext = await p.request("/identity/externalIds/c8y_Serial/linked-1");
    const moId = (await ext.json()).managedObject.id as string;

    const a = await call(list, "/api/registrations?search=linked-1", { cookie });
    expect(a.json.items).toEqual([
      expect.objectContaining({ id: "linked-1", status: "ACCEPTED", deviceId: moId }),
    ]);
  });
});

describe("delete", () => {
  it("removes a request: 204, then 404 not_found", async () => {
    await call(register, "/api/registrations", { body: { ids: ["del 1"] }, cookie });
    const a = await call(remove, "/api/registrations/del%201", {
      method: "DELETE",
      cookie,
      params: { id: "del 1" },
    });
    expect(a.status).toBe(204);
    expect(a.text).toBe("");
    const b = await call(remove, "/api/registrations/del%201", {
      method: "DELETE",
      cookie,
      params: { id: "del 1" },
    });
    expect(b.status).toBe(404);
    expect(b.json.error).toMatchObject({ code: "not_found", message: expect.stringContaining("del 1") });
  });

  it("refuses ids that cannot be one path segment", async () => {
    for (const id of ["..", "."]) {
      const a = await call(remove, `/api/registrations/x`, { method: "DELETE", cookie, params: { id } });
      expect(a.status).toBe(422);
    }
  });

  it("needs the console header", async () => {
    const a = await call(remove, "/api/registrations/x", {
      method: "DELETE",
      cookie,
      params: { id: "x" },
      csrf: false,
    });
    expect(a.status).toBe(403);
    expect(a.json.error.code).toBe("cross_site_refused");
  });
});

describe("bulk registration", () => {
  it("forwards the CSV and reports failed lines", async () => {
    const a = await call(bulk, "/api/registrations/bulk", {
      body: csvForm("ID\nbulk-1\nbulk-2\nbulk-1\n"),
      cookie,
    });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({
      numberOfAll: 3,
      numberOfCreated: 2,
      numberOfFailed: 1,
      numberOfSuccessful: 2,
      failed: [{ id: "bulk-1", reason: expect.stringMatching(/more than once/), line: "bulk-1" }],
    });
    const listed = await call(list, "/api/registrations?search=bulk-", { cookie });
    expect(listed.json.total).toBe(2);
  });

  it("answers the platform's 422 for a file it cannot read", async () => {
    const a = await call(bulk, "/api/registrations/bulk", { body: csvForm("NAME\nx\n"), cookie });
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("upstream_rejected");
    expect(a.json.error.message).toBe("The header has no ID column");
  });

  it("refuses uploads without a file, not multipart, or over 1 MB", async () => {
    const none = await call(bulk, "/api/registrations/bulk", { body: new FormData(), cookie });
    expect(none.status).toBe(422);
    expect(none.json.error.fields).toEqual({ file: "Choose a CSV file" });

    const json = await call(bulk, "/api/registrations/bulk", { body: { file: "ID\nx" }, cookie });
    expect(json.status).toBe(422);

    const big = await call(bulk, "/api/registrations/bulk", {
      body: csvForm(`ID\n${"x".repeat(1024 * 1024)}\n`),
      cookie,
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("payload_too_large");
  });
});

describe("the error table", () => {
  let fault: ((res: ServerResponse) => void) | undefined;
  let faulty: LoopbackProxy;
  let session: string;

  beforeAll(async () => {
    faulty = await startProxy(p.url, (req, res) => {
      if (!fault || !req.url?.startsWith("/devicecontrol/")) return false;
      fault(res);
      return true;
    });
  });
  afterAll(() => faulty.close());
  afterEach(() => {
    fault = undefined;
    vi.unstubAllEnvs();
  });

  const listVia = async () => {
    vi.stubEnv("C8Y_BASEURL", faulty.url);
    session ??= (await signIn(login)).cookie;
    return call(list, "/api/registrations", { cookie: session });
  };

  it.each([
    [400, "upstream_rejected", 400],
    [403, "forbidden", 403],
    [404, "not_found", 404],
    [409, "conflict", 409],
    [422, "upstream_rejected", 422],
  ])("keeps an upstream %i as %s with the platform's message", async (status, code, answered) => {
    fault = (res) => platformError(res, status, "devicecontrol/Something", `platform says ${status}`);
    const a = await listVia();
    expect(a.status).toBe(answered);
    expect(a.json.error).toEqual({ code, message: `platform says ${status}`, requestId: expect.any(String) });
  });

  it.each([500, 503])("answers 502 upstream_unavailable for an upstream %i", async (status) => {
    fault = (res) => platformError(res, status, "general/internalError", "stack trace here");
    const a = await listVia();
    expect(a.status).toBe(502);
    expect(a.json.error.code).toBe("upstream_unavailable");
    expect(a.text).not.toContain("stack trace");
  });

  it("answers 502 when the platform does not answer in time", async () => {
    vi.stubEnv("UPSTREAM_TIMEOUT_MS", "100");
    fault = () => undefined; // holds the request until the proxy closes
    const a = await listVia();
    expect(a.status).toBe(502);
    expect(a.json.error.code).toBe("upstream_unavailable");
  });

  it("answers 500 internal with a request id and no internals for anything else", async () => {
    fault = (res) => res.writeHead(200, { "content-type": "application/json" }).end("{ not json");
    const a = await listVia();
    expect(a.status).toBe(500);
    expect(a.json.error).toEqual({
      code: "internal",
      message: "Something went wrong on the console server.",
      requestId: a.headers.get("x-request-id"),
    });
  });

  it("ends the session on an upstream 401", async () => {
    fault = (res) =>
      platformError(res, 401, "security/Unauthorized", "Invalid credentials! : Bad credentials");
    const a = await listVia();
    expect(a.status).toBe(401);
    expect(a.json.error.code).toBe("unauthenticated");
    expect(a.cookie).toBe("");
    expect(exposed(a)).not.toContain(ADMIN_PASSWORD);
  });
});
