import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as readDevice } from "@/app/api/devices/[id]/route";
import { createPlatformClient } from "../upstream/client";
import { coalescedInFlight, platformFetch } from "../upstream/transport";
import { UpstreamUnavailableError } from "../errors";
import type { TestPlatform } from "../../../tests/support/platform.js";
import { call, createObject, signIn, startProxy, startSignedIn, type LoopbackProxy } from "./support.js";

/**
 * A loopback server standing in for the platform where the test must steer the timing: every request is held
 * until the test answers it, and the test learns of each request (and each new connection) as it arrives.
 */
interface Held {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
}
interface Steered {
  url: string;
  connections: number;
  requests: Held[];
  /** Resolves with the next request that arrives (or one that arrived and was not yet taken). */
  next(): Promise<Held>;
  close(): Promise<void>;
}

async function startSteered(): Promise<Steered> {
  const waiting: ((h: Held) => void)[] = [];
  const queued: Held[] = [];
  const s: Steered & { server?: Server } = {
    url: "",
    connections: 0,
    requests: [],
    next: () => {
      const h = queued.shift();
      return h ? Promise.resolve(h) : new Promise<Held>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const held = { req, res, body: Buffer.concat(chunks).toString() };
      s.requests.push(held);
      const w = waiting.shift();
      if (w) w(held);
      else queued.push(held);
    });
  });
  server.on("connection", () => s.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}

const answer = (h: Held, status: number, body: unknown, headers: Record<string, string> = {}) =>
  h.res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

const get = (url: string, init: { authorization?: string; signal?: AbortSignal; accept?: string } = {}) =>
  platformFetch(
    new Request(url, {
      headers: { authorization: init.authorization ?? "Basic a", accept: init.accept ?? "application/json" },
      ...(init.signal ? { signal: init.signal } : {}),
    }),
  );

let s: Steered;
beforeAll(async () => {
  s = await startSteered();
});
afterAll(() => s.close());
afterEach(() => {
  // Whatever a test left in flight is answered, so nothing leaks into the next one.
  for (const h of s.requests) if (!h.res.headersSent) answer(h, 200, {});
  s.requests.length = 0;
});

describe("the keep-alive transport", () => {
  it("reuses one connection for calls one after the other, and keeps status, headers and body", async () => {
    const before = s.connections;
    for (let i = 0; i < 3; i++) {
      const pending = get(`${s.url}/inventory/managedObjects/${i}`);
      const h = await s.next();
      expect(h.req.headers["x-request-id"]).toBeUndefined();
      answer(h, 200, { id: String(i) }, { "x-extra": "kept" });
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.headers.get("x-extra")).toBe("kept");
      expect(await res.json()).toEqual({ id: String(i) });
    }
    expect(s.connections - before).toBe(1);
  });

  it("sends a write's body with its length, and answers 204 without a body", async () => {
    const pending = platformFetch(
      new Request(`${s.url}/inventory/managedObjects/1`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "x" }),
      }),
    );
    const h = await s.next();
    expect(h.req.method).toBe("PUT");
    expect(h.body).toBe('{"name":"x"}');
    expect(h.req.headers["content-length"]).toBe("12");
    h.res.writeHead(204).end();
    const res = await pending;
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("aborts the platform call when the caller's signal aborts (a closed tab), rejecting with AbortError", async () => {
    const controller = new AbortController();
    const pending = get(`${s.url}/slow`, { signal: controller.signal });
    const h = await s.next();
    const closed = new Promise<void>((resolve) => h.res.on("close", resolve));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await closed;
  });

  it("refuses a redirect instead of following it", async () => {
    const pending = get(`${s.url}/moved`);
    answer(await s.next(), 302, {}, { location: "http://elsewhere.invalid/" });
    await expect(pending).rejects.toThrow(TypeError);
  });

  it("turns a timeout, a refused connection and a redirect into UpstreamUnavailableError in the client", async () => {
    vi.stubEnv("C8Y_BASEURL", s.url);
    vi.stubEnv("UPSTREAM_TIMEOUT_MS", "50");
    try {
      const client = createPlatformClient({ auth: null, requestId: "transport-test-1" });
      const timedOut = client.GET("/tenant/currentTenant");
      const held = await s.next();
      expect(held.req.headers["x-request-id"]).toBe("transport-test-1");
      await expect(timedOut).rejects.toThrow(UpstreamUnavailableError);
      await expect(timedOut).rejects.toThrow("platform did not answer in time");

      const moved = client.GET("/tenant/loginOptions");
      answer(await s.next(), 301, {}, { location: "http://elsewhere.invalid/" });
      await expect(moved).rejects.toThrow(/redirect \(301\) refused/);

      const gone = await startSteered();
      await gone.close();
      vi.stubEnv("C8Y_BASEURL", gone.url);
      await expect(
        createPlatformClient({ auth: null, requestId: "transport-test-2" }).GET("/tenant/currentTenant"),
      ).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("coalescing identical GETs in flight", () => {
  it("sends two concurrent identical GETs as one platform call; both callers get the whole answer", async () => {
    const a = get(`${s.url}/inventory/managedObjects/7`);
    const b = get(`${s.url}/inventory/managedObjects/7`);
    const h = await s.next();
    expect(coalescedInFlight()).toBe(1);
    answer(h, 200, { id: "7" });
    expect(await (await a).json()).toEqual({ id: "7" });
    expect(await (await b).json()).toEqual({ id: "7" });
    expect(s.requests).toHaveLength(1);
    expect(coalescedInFlight()).toBe(0);
  });

  it("never shares an answer across credentials, or across Accept types", async () => {
    const a = get(`${s.url}/inventory/managedObjects/8`, { authorization: "Basic alice" });
    const b = get(`${s.url}/inventory/managedObjects/8`, { authorization: "Basic bob" });
    const c = get(`${s.url}/inventory/managedObjects/8`, {
      authorization: "Basic alice",
      accept: "text/plain",
    });
    const held = [await s.next(), await s.next(), await s.next()];
    for (const h of held) answer(h, 200, { for: h.req.headers.authorization, accept: h.req.headers.accept });
    expect(await (await a).json()).toEqual({ for: "Basic alice", accept: "application/json" });
    expect(await (await b).json()).toEqual({ for: "Basic bob", accept: "application/json" });
    expect(await (await c).json()).toEqual({ for: "Basic alice", accept: "text/plain" });
    expect(s.requests).toHaveLength(3);
  });

  it("reads afresh after a write: a GET after the write never joins one sent before it", async () => {
    const early = get(`${s.url}/inventory/managedObjects/9`);
    const first = await s.next();
    const write = platformFetch(
      new Request(`${s.url}/inventory/managedObjects/9`, {
        method: "PUT",
        headers: { authorization: "Basic a", "content-type": "application/json" },
        body: "{}",
      }),
    );
    const put = await s.next();
    expect(put.req.method).toBe("PUT");
    // A read that starts while the write is on its way, and the writer's read-back once it answered.
    const during = get(`${s.url}/inventory/managedObjects/9`);
    const second = await s.next();
    answer(put, 200, {});
    await write;
    const after = get(`${s.url}/inventory/managedObjects/9`);
    const third = await s.next();
    answer(first, 200, { version: 1 });
    answer(second, 200, { version: 2 });
    answer(third, 200, { version: 3 });
    expect(await (await early).json()).toEqual({ version: 1 });
    expect(await (await during).json()).toEqual({ version: 2 });
    expect(await (await after).json()).toEqual({ version: 3 });
    expect(s.requests.map((r) => r.req.method)).toEqual(["GET", "PUT", "GET", "GET"]);
  });

  it("keeps the call going for the others when one caller gives up, and aborts it when all have", async () => {
    const quitter = new AbortController();
    const a = get(`${s.url}/shared`, { signal: quitter.signal });
    const b = get(`${s.url}/shared`);
    const h = await s.next();
    quitter.abort();
    await expect(a).rejects.toMatchObject({ name: "AbortError" });
    answer(h, 200, { ok: true });
    expect(await (await b).json()).toEqual({ ok: true });

    const c1 = new AbortController();
    const c2 = new AbortController();
    const c = get(`${s.url}/abandoned`, { signal: c1.signal });
    const d = get(`${s.url}/abandoned`, { signal: c2.signal });
    const held = await s.next();
    const closed = new Promise<void>((resolve) => held.res.on("close", resolve));
    c1.abort();
    c2.abort();
    await expect(c).rejects.toMatchObject({ name: "AbortError" });
    await expect(d).rejects.toMatchObject({ name: "AbortError" });
    await closed;
    expect(coalescedInFlight()).toBe(0);
  });
});

describe("through a route handler, against the real emulator", () => {
  let p: TestPlatform;
  let proxy: LoopbackProxy;
  let hang = false;

  beforeAll(async () => {
    ({ p } = await startSignedIn(login));
    proxy = await startProxy(p.url, (req) => hang && req.url?.startsWith("/inventory/") === true);
  });
  afterAll(async () => {
    await proxy.close();
    await p.close();
  });

  it("answers a platform that does not answer in time with 502 upstream_unavailable in our envelope", async () => {
    vi.stubEnv("C8Y_BASEURL", proxy.url);
    try {
      const { cookie } = await signIn(login);
      const id = await createObject(p, { name: "Slow", c8y_IsDevice: {} });
      const ok = await call(readDevice, `/api/devices/${id}`, { cookie, params: { id } });
      expect(ok.status).toBe(200);
      hang = true;
      vi.stubEnv("UPSTREAM_TIMEOUT_MS", "100");
      const a = await call(readDevice, `/api/devices/${id}`, { cookie, params: { id } });
      expect(a.status).toBe(502);
      expect(a.json.error).toMatchObject({ code: "upstream_unavailable", requestId: expect.any(String) });
    } finally {
      hang = false;
      vi.unstubAllEnvs();
    }
  });
});
