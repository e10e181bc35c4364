// The API roots (/inventory, /identity, /devicecontrol) and the current tenant, as the vendor's definition has them
// (docs/contract.md, "Checked against the vendor").
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../../../../tests/support/platform.js";
import { bareHost } from "../tenant.js";
import { deviceUser, errorOf, VENDOR } from "../devicecontrol/__tests__/fixtures.js";

let p: TestPlatform;
let device: string;
beforeAll(async () => {
  p = await startTestPlatform();
  device = await deviceUser(p, "device_roots");
});
afterAll(() => p.close());

describe("GET /devicecontrol", () => {
  it("answers the operation collection's URI templates, like the other API roots", async () => {
    const res = await p.request("/devicecontrol");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(`${VENDOR}deviceControlApi+json;charset=UTF-8;ver=0.9`);
    const list = `${p.url}/devicecontrol/operations`;
    expect(await res.json()).toEqual({
      self: `${p.url}/devicecontrol`,
      operations: { self: list, operations: [] },
      operationsByStatus: `${list}?status={status}`,
      operationsByAgentId: `${list}?agentId={agentId}`,
      operationsByAgentIdAndStatus: `${list}?agentId={agentId}&status={status}`,
      operationsByDeviceId: `${list}?deviceId={deviceId}`,
      operationsByDeviceIdAndStatus: `${list}?deviceId={deviceId}&status={status}`,
    });
  });

  it("is open to device users and closed to the bootstrap user and to anonymous callers", async () => {
    expect((await p.request("/devicecontrol", { auth: device })).status).toBe(200);
    const bootstrap = await p.request("/devicecontrol", { auth: p.bootstrap });
    expect(bootstrap.status).toBe(403);
    expect((await errorOf(bootstrap)).error).toBe("security/Forbidden");
    expect((await p.request("/devicecontrol", { auth: null })).status).toBe(401);
  });

  it("answers plain JSON when asked for it", async () => {
    const res = await p.request("/devicecontrol", { headers: { accept: "application/json" } });
    expect(res.headers.get("content-type")).toBe("application/json");
  });
});

describe("GET /inventory", () => {
  it("embeds the collection as {self, references} (the vendor's inventoryApiResource)", async () => {
    const body = (await (await p.request("/inventory")).json()) as Record<string, unknown>;
    expect(body.managedObjects).toEqual({ self: `${p.url}/inventory/managedObjects`, references: [] });
    expect(body.self).toBe(`${p.url}/inventory`);
  });
});

describe("GET /tenant/currentTenant", () => {
  it("names the domain as a bare host name, without scheme or port", async () => {
    const body = (await (await p.request("/tenant/currentTenant")).json()) as Record<string, unknown>;
    expect(body.domainName).toBe("127.0.0.1");
    expect(body.self).toBe(`${p.url}/tenant/currentTenant`);
  });

  it("takes the host from the Host header, whatever it looks like, and never fails on it", async () => {
    const ask = (host: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = httpRequest(
          `${p.url}/tenant/currentTenant`,
          { headers: { host, authorization: p.admin, accept: "application/json" } },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () =>
              resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      });
    expect((await ask("tenant.example.test:8443")).body.domainName).toBe("tenant.example.test");
    expect((await ask("tenant.example.test")).body.domainName).toBe("tenant.example.test");
    expect((await ask("[::1]:8111")).body.domainName).toBe("::1");
    for (const odd of ["a b", "x:y:z", "%zz", "[::1", "..:"])
      expect((await ask(odd)).status, odd).toBeLessThan(500);
  });

  it.each([
    ["http://127.0.0.1:8111", "127.0.0.1"],
    ["http://[::1]:8111", "::1"],
    ["https://t1.example.test", "t1.example.test"],
    ["http://", ""],
  ])("bareHost(%s) is %s", (url, host) => {
    expect(bareHost(url)).toBe(host);
  });
});
