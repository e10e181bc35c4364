import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractViolation, validateFetchResponse, validateResponse } from "../contract.js";
import { startTestPlatform, type TestPlatform } from "../platform.js";

const VENDOR = (t: string) => `application/vnd.com.nsn.cumulocity.${t}+json;charset=UTF-8;ver=0.9`;
const base = "http://127.0.0.1:8111";

const device = {
  id: "4100",
  self: `${base}/inventory/managedObjects/4100`,
  name: "Gateway A",
  type: "acme_Gateway",
  owner: "device_gw-1",
  creationTime: "2025-04-01T08:00:00.000Z",
  lastUpdated: "2025-04-02T09:30:12.481Z",
  c8y_IsDevice: {},
  acme_CustomFragment: { anything: [1, "two", null] },
  childDevices: { self: `${base}/inventory/managedObjects/4100/childDevices`, references: [] },
};

const ok = (partial: Partial<Parameters<typeof validateResponse>[0]>) => () =>
  validateResponse({
    method: "GET",
    url: "/inventory/managedObjects/4100",
    status: 200,
    contentType: VENDOR("managedObject"),
    body: device,
    ...partial,
  });

describe("validateResponse", () => {
  it("accepts a conforming managed object, custom fragments included, under either media type", () => {
    expect(ok({})).not.toThrow();
    expect(ok({ contentType: "application/json" })).not.toThrow();
  });

  it("rejects a managed object whose id is a number and whose creationTime is missing", () => {
    const { creationTime: _omit, ...rest } = device;
    const run = ok({ body: { ...rest, id: 4100 } });
    expect(run).toThrow(ContractViolation);
    expect(run).toThrow(/at \/id: must be string/);
    expect(run).toThrow(/must have required property 'creationTime'/);
  });

  it("rejects a status outside the enum and names the operation", () => {
    const run = () =>
      validateResponse({
        method: "GET",
        url: "/devicecontrol/operations/9001",
        status: 200,
        contentType: "application/json",
        body: {
          id: "9001",
          self: `${base}/devicecontrol/operations/9001`,
          creationTime: "2025-05-02T12:00:00.120Z",
          deviceId: "4200",
          status: "DONE",
        },
      });
    expect(run).toThrow(/getOperation .*at \/status: must be equal to one of the allowed values/s);
  });

  it("rejects an undocumented status, an undocumented path and an unknown content type", () => {
    expect(ok({ status: 418 })).toThrow(/status 418 is not documented for getManagedObject/);
    expect(ok({ url: "/inventory/gadgets/1" })).toThrow(/path is not in the contract/);
    expect(ok({ contentType: VENDOR("operation") })).toThrow(/content type .* is not documented/);
  });

  it("prefers literal segments: /managedObjects/count is a number, not a managed object", () => {
    expect(
      ok({ url: "/inventory/managedObjects/count", contentType: "application/json", body: 3 }),
    ).not.toThrow();
    expect(
      ok({ url: "/inventory/managedObjects/count?type=x", contentType: "application/json", body: "3" }),
    ).toThrow(/must be integer/);
  });

  it("checks error bodies, including the platform-wide 404, 405 and malformed-path 400", () => {
    const error = { error: "inventory/Not Found", message: "nope", info: "https://example.org/errors" };
    expect(ok({ status: 404, contentType: VENDOR("error"), body: error })).not.toThrow();
    expect(ok({ status: 404, contentType: VENDOR("error"), body: { message: "nope" } })).toThrow(
      /required property 'error'/,
    );
    const generic = { error: "general/Not Found", message: "x", info: "https://example.org/errors" };
    expect(
      ok({ url: "/no/such/thing", status: 404, contentType: VENDOR("error"), body: generic }),
    ).not.toThrow();
    expect(ok({ method: "PATCH", status: 405, contentType: VENDOR("error"), body: generic })).not.toThrow();
    expect(ok({ method: "PATCH", status: 200 })).toThrow(/the contract has no PATCH/);
    expect(
      ok({
        url: "/identity/externalIds/c8y_Serial/%E0%A4%A",
        status: 400,
        contentType: VENDOR("error"),
        body: generic,
      }),
    ).not.toThrow();
    expect(
      ok({
        url: "/identity/externalIds/c8y_Serial/ok",
        status: 400,
        contentType: VENDOR("error"),
        body: generic,
      }),
    ).toThrow(/status 400 is not documented for getExternalId/);
  });

  it("allows the empty body of POST/PUT without Accept, but no body where none is documented", () => {
    expect(ok({ method: "PUT", body: undefined, contentType: null })).not.toThrow();
    expect(ok({ method: "DELETE", status: 204, body: undefined, contentType: null })).not.toThrow();
    expect(ok({ method: "DELETE", status: 204, body: {} })).toThrow(/documents no body for 204/);
  });

  it("requires the Location header on 201 when headers are given", () => {
    const self = `${base}/devicecontrol/operations/9001`;
    const created = {
      method: "POST",
      url: "/devicecontrol/operations",
      status: 201,
      contentType: "application/json",
      body: {
        id: "9001",
        self,
        creationTime: "2025-05-02T12:00:00.120Z",
        deviceId: "4200",
        status: "PENDING",
      },
    };
    expect(() => validateResponse({ ...created, headers: new Headers() })).toThrow(
      /requires the response header Location/,
    );
    expect(() => validateResponse({ ...created, headers: new Headers({ location: self }) })).not.toThrow();
    // A bulk create names no single resource, so there the header is optional.
    const bulk = { self: `${base}/inventory/managedObjects`, managedObjects: [device] };
    expect(() =>
      validateResponse({ ...created, url: "/inventory/managedObjects", body: bulk, headers: new Headers() }),
    ).not.toThrow();
  });

  it("never lets a registration request leak its security token", () => {
    const request = {
      id: "gw-1",
      status: "PENDING_ACCEPTANCE",
      self: `${base}/devicecontrol/newDeviceRequests/gw-1`,
      owner: "admin",
      tenantId: "t1000",
      creationTime: "2025-05-01T07:00:00.000Z",
    };
    const run = (body: unknown) => () =>
      validateResponse({
        method: "GET",
        url: "/devicecontrol/newDeviceRequests/gw-1",
        status: 200,
        contentType: "application/json",
        body,
      });
    expect(run(request)).not.toThrow();
    expect(run({ ...request, securityToken: "s3cret" })).toThrow(/securityToken/);
    expect(run({ ...request, status: "REJECTED" })).toThrow(/allowed values/);
  });

  it("ignores the realtime endpoints", () => {
    expect(
      ok({ method: "POST", url: "/notification/realtime/handshake", body: [{ successful: true }] }),
    ).not.toThrow();
  });
});

describe("validateFetchResponse against the running emulator", () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(() => p.close());

  it("accepts the login calls and leaves the body readable", async () => {
    for (const [path, accept] of [
      ["/tenant/currentTenant", "application/json"],
      ["/user/currentUser", VENDOR("currentUser")],
      ["/user/currentUser", VENDOR("user")],
      ["/tenant/loginOptions", "application/json"],
    ] as const) {
      const res = await fetch(`${p.url}${path}`, { headers: { authorization: p.admin, accept } });
      await validateFetchResponse("GET", path, res);
      expect(res.status).toBe(200);
      expect(await res.json()).toBeTypeOf("object");
    }
  });

  it("accepts a 401 error answer", async () => {
    const res = await fetch(`${p.url}/user/currentUser`);
    await expect(validateFetchResponse("GET", "/user/currentUser", res)).resolves.toBeUndefined();
    expect(res.status).toBe(401);
  });
});
