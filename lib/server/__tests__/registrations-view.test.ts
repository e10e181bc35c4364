// The shared registrations view (lib/server/registrations-view.ts) through the BFF's own handlers, against a real
// emulator behind a counting loopback proxy: what the platform is asked, and what the operator sees. Time moves
// only when a test advances the views' (and the live hubs') hand-driven clock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as events } from "@/app/api/events/route";
import { POST as accept } from "@/app/api/registrations/accept/route";
import { POST as bulk } from "@/app/api/registrations/bulk/route";
import { GET as list, POST as register } from "@/app/api/registrations/route";
import {
  DEFAULT_VIEW_SETTINGS,
  RegistrationViews,
  setRegistrationViews,
} from "@/lib/server/registrations-view";
import { LiveHubRegistry, setLiveHubs } from "@/lib/server/realtime/registry";
import { listRegistrations } from "@/lib/server/services/registrations";
import { createPlatformClient } from "@/lib/server/upstream/client";
import {
  ADMIN_PASSWORD,
  TENANT,
  startTestPlatform,
  type TestPlatform,
} from "../../../tests/support/platform.js";
import { ManualClock, SseReader, rest } from "../realtime/__tests__/support";
import {
  ORIGIN,
  SESSION_PASSWORD,
  basicOnly,
  call,
  platformError,
  signIn,
  startProxy,
  type LoopbackProxy,
  type ProxyCall,
} from "./support.js";

const { checkMs: CHECK_MS, fullMs: FULL_MS, smallList: SMALL_LIST } = DEFAULT_VIEW_SETTINGS;
const POLL_MS = 3_000;
/** Requests seeded: more than one small page, so the view checks the count instead of reading everything. */
const SEEDED = 300;

let p: TestPlatform;
let proxy: LoopbackProxy;
let cookie: string;
let clock: ManualClock;
let views: RegistrationViews;
let hubs: LiveHubRegistry;
/** While set, the proxy plays a tenant without token login (a second credential: Basic). */
let basicLogin = false;
/** While set, the proxy refuses the registration list to Basic credentials (the second credential). */
let refuseBasicList = false;
/** While set, whole reads are answered from the platform at once but handed back only on `release()`. */
let holdReads = false;
const held: { answer: Promise<Response>; release: () => void }[] = [];
const saved = { base: process.env.C8Y_BASEURL, password: process.env.SESSION_PASSWORD };
const previous: { views?: RegistrationViews; hubs?: LiveHubRegistry } = {};

const csvForm = (csv: string) => {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), "devices.csv");
  return form;
};
const seededId = (i: number) => `view-${String(i).padStart(4, "0")}`;

/** Moves the platform's clock ahead of the real one (a request's creationTime). */
let platformSkewMs = 0;

beforeAll(async () => {
  p = await startTestPlatform({ now: () => Date.now() + platformSkewMs });
  proxy = await startProxy(p.url, (req, res) => {
    if (basicLogin && basicOnly(req, res)) return true;
    if (
      refuseBasicList &&
      req.headers.authorization?.startsWith("Basic ") &&
      req.url?.startsWith("/devicecontrol/newDeviceRequests")
    )
      return platformError(res, 403, "security/Forbidden", "Access is denied");
    if (
      holdReads &&
      req.method === "GET" &&
      req.url?.startsWith("/devicecontrol/newDeviceRequests?pageSize=2000")
    ) {
      // The platform's answer as it is now, delivered later: a read that was slower than a write.
      const answer = p.request(req.url, { headers: { authorization: req.headers.authorization ?? "" } });
      held.push({
        answer,
        release: () =>
          void answer.then(async (up) => {
            res.writeHead(up.status, { "content-type": "application/json" }).end(await up.text());
          }),
      });
      return true;
    }
    return false;
  });
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = proxy.url;
  cookie = (await signIn(login)).cookie;
  const ids = Array.from({ length: SEEDED }, (_, i) => seededId(i));
  const up = await call(bulk, "/api/registrations/bulk", {
    body: csvForm(`ID\n${ids.join("\n")}\n`),
    cookie,
  });
  expect(up.json.numberOfCreated).toBe(SEEDED);
  expect(SEEDED).toBeGreaterThan(SMALL_LIST);
});
beforeEach(() => {
  clock = new ManualClock();
  views = new RegistrationViews({ clock });
  hubs = new LiveHubRegistry({
    clock,
    registrationViews: views,
    registrationsPollMs: POLL_MS,
    bayeux: { holdMs: 60_000, requestTimeoutMs: 3600_000, graceMs: 3600_000 },
    log: () => undefined,
  });
  previous.views ??= setRegistrationViews(views);
  setRegistrationViews(views);
  previous.hubs ??= setLiveHubs(hubs);
  setLiveHubs(hubs);
});
afterEach(() => hubs.close());
afterAll(async () => {
  if (previous.views) setRegistrationViews(previous.views);
  if (previous.hubs) setLiveHubs(previous.hubs);
  process.env.C8Y_BASEURL = saved.base;
  process.env.SESSION_PASSWORD = saved.password;
  await proxy.close();
  await p.close();
});

// ----- what the platform is asked ----------------------------------------------------------------------------------

const listCalls = (c: ProxyCall) =>
  c.method === "GET" && c.path.startsWith("/devicecontrol/newDeviceRequests?");
/** A whole read starts with page 1 of the largest page size. */
const wholeReads = (c: ProxyCall) =>
  listCalls(c) && /[?&]pageSize=2000\b/.test(c.path) && /[?&]currentPage=1\b/.test(c.path);
const countChecks = (c: ProxyCall) => listCalls(c) && /[?&]pageSize=1\b/.test(c.path);
const since = (mark: number, match: (c: ProxyCall) => boolean) => proxy.calls.slice(mark).filter(match);

// ----- what the operator sees --------------------------------------------------------------------------------------

interface Row {
  id: string;
  status: string;
  creationTime: string;
}
async function listing(query: string, as = cookie) {
  const a = await call(list, `/api/registrations?${query}`, { cookie: as });
  expect(a.status).toBe(200);
  return a.json as { items: Row[]; total: number; counts: Record<string, number> };
}
const statusOf = async (id: string) => (await listing(`search=${id}`)).items.find((r) => r.id === id)?.status;

/** The device's side: one credentials poll (the first moves a waiting request to PENDING_ACCEPTANCE). */
const knock = async (id: string) => {
  const res = await p.request("/devicecontrol/deviceCredentials", {
    method: "POST",
    auth: p.bootstrap,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ id }),
  });
  expect(res.status).toBe(404);
};

/** One tab's event stream following registrations, opened through the route. */
async function openStream() {
  const controller = new AbortController();
  const req = new Request(`${ORIGIN}/api/events?topics=registrations`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const res = await events(req, { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  const reader = new SseReader(res.body!);
  await reader.event("upstream.changed", (f) => f.data.state === "connected");
  return reader;
}

/** Lets the poller finish its tick (its next wait is scheduled), then moves time on by one poll interval. */
async function nextPoll() {
  await clock.waitForTimer((d) => d === POLL_MS);
  clock.advance(POLL_MS);
}

describe("one read for many callers", () => {
  it("answers ten concurrent list calls from one upstream read", async () => {
    const mark = proxy.calls.length;
    const queries = [
      "",
      "page=2&pageSize=25",
      "status=WAITING_FOR_CONNECTION",
      "status=PENDING_ACCEPTANCE",
      "search=view-01",
      "sort=oldest",
      "sort=oldest&page=3&pageSize=100",
      "search=VIEW-02&sort=oldest",
      "status=ACCEPTED",
      "pageSize=500",
    ];
    const answers = await Promise.all(queries.map((q) => listing(q)));
    expect(since(mark, wholeReads)).toHaveLength(1);
    expect(since(mark, listCalls)).toHaveLength(1);
    // Every answer counts the same list.
    for (const a of answers) expect(a.counts).toEqual(answers[0]!.counts);
    expect(answers[6]!.items.map((r) => r.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => seededId(200 + i)),
    );
  });

  it("pages, filters, searches and sorts from the view without asking the platform again", async () => {
    await knock(seededId(7));
    await knock(seededId(8));
    await listing("");
    const mark = proxy.calls.length;

    const page2 = await listing("search=view-&sort=oldest&page=2&pageSize=25");
    expect(page2.items.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => seededId(25 + i)));
    expect(page2.total).toBeGreaterThanOrEqual(SEEDED);
    const newest = await listing("search=view-0&pageSize=25");
    const times = newest.items.map((r) => r.creationTime);
    expect(times).toEqual([...times].sort().reverse());
    expect(newest.items).toHaveLength(25);
    const pending = await listing("status=PENDING_ACCEPTANCE&search=view-");
    expect(pending.items.map((r) => r.id).sort()).toEqual([seededId(7), seededId(8)]);
    const found = await listing("search=VIEW-0123");
    expect(found.items.map((r) => r.id)).toEqual([seededId(123)]);

    expect(since(mark, listCalls)).toEqual([]);
  });
});

describe("reading the whole list rarely", () => {
  it("costs an idle tab (list polling and event stream) at most 3 whole reads in 30 s", async () => {
    const mark = proxy.calls.length;
    const stream = await openStream();
    await listing("");
    for (let t = 0; t < 30_000; t += POLL_MS) {
      await nextPoll();
      // The tab's own list polling, on the same beat.
      await listing("");
    }
    await clock.waitForTimer((d) => d === POLL_MS);
    expect(since(mark, wholeReads).length).toBeLessThanOrEqual(3);
    // In between, the count was checked: a few hundred bytes each, instead of the whole list.
    expect(since(mark, countChecks).length).toBeGreaterThanOrEqual(5);
    expect(stream.pendingEvents().filter((f) => f.event === "registration.changed")).toEqual([]);
  });

  it("shows a request registered elsewhere in the next list call after the check interval", async () => {
    await listing("");
    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id: "view-new-1" });
    clock.advance(CHECK_MS);
    const mark = proxy.calls.length;
    expect(await statusOf("view-new-1")).toBe("WAITING_FOR_CONNECTION");
    // The count moved: one check, then one whole read.
    expect(since(mark, countChecks)).toHaveLength(1);
    expect(since(mark, wholeReads)).toHaveLength(1);
  });

  it("shows a knock on a request registered lately at the next check, without a whole read", async () => {
    await listing("");
    const made = await call(register, "/api/registrations", { body: { ids: ["view-watch-1"] }, cookie });
    expect(made.json.results).toEqual([{ id: "view-watch-1", ok: true, status: "WAITING_FOR_CONNECTION" }]);
    expect(await statusOf("view-watch-1")).toBe("WAITING_FOR_CONNECTION");
    await knock("view-watch-1");
    clock.advance(CHECK_MS);
    const mark = proxy.calls.length;
    expect(await statusOf("view-watch-1")).toBe("PENDING_ACCEPTANCE");
    expect(since(mark, wholeReads)).toEqual([]);
    expect(since(mark, (c) => c.path === "/devicecontrol/newDeviceRequests/view-watch-1")).toHaveLength(1);
  });

  it("shows a knock on any other request within the whole-read interval", async () => {
    await listing("");
    await knock(seededId(42));
    clock.advance(FULL_MS);
    expect(await statusOf(seededId(42))).toBe("PENDING_ACCEPTANCE");
  });

  it("sees a request registered again in the same status between two reads (another creation time)", async () => {
    const id = "view-again-1";
    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id });
    await knock(id);
    const stream = await openStream();
    await listing("");
    // Removed and registered again, and the device knocks again: the count and the status are as they were.
    await rest(p, "DELETE", `/devicecontrol/newDeviceRequests/${id}`);
    platformSkewMs += 1000;
    await rest(p, "POST", "/devicecontrol/newDeviceRequests", { id });
    await knock(id);
    for (let t = 0; t < FULL_MS; t += POLL_MS) await nextPoll();
    const changed = await stream.event("registration.changed");
    expect(changed.data.changes).toEqual([{ id, status: "PENDING_ACCEPTANCE" }]);
  });
});

describe("writes through the BFF", () => {
  it("shows an accept in the next list call and on the event stream, without reading the list again", async () => {
    const id = seededId(99);
    await knock(id);
    const stream = await openStream();
    expect(await statusOf(id)).toBe("PENDING_ACCEPTANCE");
    const mark = proxy.calls.length;
    const a = await call(accept, "/api/registrations/accept", { body: { ids: [id] }, cookie });
    expect(a.json.results).toEqual([{ id, ok: true, status: "ACCEPTED" }]);
    expect(await statusOf(id)).toBe("ACCEPTED");
    expect((await stream.event("registration.changed")).data.changes).toEqual([{ id, status: "ACCEPTED" }]);
    expect(since(mark, listCalls)).toEqual([]);
  });
});

describe("a page load", () => {
  it("reads the platform whole, so a reload shows a knock the count could not", async () => {
    const auth = {
      scheme: "basic" as const,
      credentials: Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64"),
    };
    const view = views.forCredential({ platformUrl: proxy.url, tenant: TENANT, auth });
    const platform = createPlatformClient({ auth, requestId: "page-load-test" });
    const id = seededId(210);
    const query = { search: id, sort: "newest" as const, page: 1, pageSize: 50 };
    expect((await listRegistrations(view, platform, query)).items[0]!.status).toBe("WAITING_FOR_CONNECTION");
    await knock(id);
    const mark = proxy.calls.length;
    const page = await listRegistrations(view, platform, query, { fresh: true });
    expect(page.items[0]!.status).toBe("PENDING_ACCEPTANCE");
    expect(since(mark, wholeReads)).toHaveLength(1);
  });
});

describe("a write during a read", () => {
  it("keeps an accept made while an older whole read was on its way", async () => {
    const id = seededId(150);
    await knock(id);
    expect(await statusOf(id)).toBe("PENDING_ACCEPTANCE");
    clock.advance(FULL_MS);
    holdReads = true;
    let reading: Promise<string | undefined>;
    try {
      reading = statusOf(id);
      await expect.poll(() => held.length).toBe(1);
    } finally {
      holdReads = false;
    }
    // The platform has answered the read (still PENDING_ACCEPTANCE) before the accept is made.
    await held[0]!.answer;
    const a = await call(accept, "/api/registrations/accept", { body: { ids: [id] }, cookie });
    expect(a.json.results).toEqual([{ id, ok: true, status: "ACCEPTED" }]);
    held.splice(0).forEach((h) => h.release());
    // The read's answer still said PENDING_ACCEPTANCE; the accept is replayed onto it.
    expect(await reading).toBe("ACCEPTED");
    expect(await statusOf(id)).toBe("ACCEPTED");
  });
});

describe("one view per credential", () => {
  it("never answers one credential from another credential's view", async () => {
    await listing("");
    // A second sign-in of the same user, on a tenant that offers Basic only: another credential.
    basicLogin = true;
    let other: string;
    try {
      other = (await signIn(login)).cookie;
    } finally {
      basicLogin = false;
    }
    refuseBasicList = true;
    try {
      const mark = proxy.calls.length;
      // The first credential's view is fresh, but the second one must ask the platform itself: and is refused.
      const refused = await call(list, "/api/registrations", { cookie: other });
      expect(refused.status).toBe(403);
      const asked = since(mark, wholeReads);
      expect(asked).toHaveLength(1);
      expect(asked[0]!.authorization).toMatch(/^Basic /);
      expect((await listing("")).total).toBeGreaterThanOrEqual(SEEDED);
      expect(views.size).toBe(2);
    } finally {
      refuseBasicList = false;
    }
  });
});
