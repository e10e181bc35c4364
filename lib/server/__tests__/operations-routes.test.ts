import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as context } from "@/app/api/devices/[id]/operations/context/route";
import { POST as create } from "@/app/api/devices/[id]/operations/route";
import { POST as cancel } from "@/app/api/operations/[id]/cancel/route";
import { POST as fail } from "@/app/api/operations/[id]/fail/route";
import { POST as rerun } from "@/app/api/operations/[id]/rerun/route";
import { GET as history } from "@/app/api/operations/[id]/history/route";
import { GET as getOne } from "@/app/api/operations/[id]/route";
import { GET as list } from "@/app/api/operations/route";
import { startTestPlatform, type TestPlatform } from "../../../tests/support/platform.js";
import { SESSION_PASSWORD, call, signIn } from "./support.js";

let p: TestPlatform;
let cookie: string;
/** An agent, its child, and a device with no agent anywhere above it. */
let gw: string;
let meter: string;
let lonely: string;

const json = { "content-type": "application/json", accept: "application/json" };

async function createObject(fields: Record<string, unknown>): Promise<string> {
  const res = await p.request("/inventory/managedObjects", {
    method: "POST",
    headers: json,
    body: JSON.stringify(fields),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The agent's side: moves an operation on as a device would (admin may do what the device user does). */
async function agentPut(id: string, change: Record<string, unknown>) {
  const res = await p.request(`/devicecontrol/operations/${id}`, {
    method: "PUT",
    headers: json,
    body: JSON.stringify(change),
  });
  expect(res.status).toBe(200);
}

async function upstreamOperation(id: string): Promise<Record<string, unknown>> {
  const res = await p.request(`/devicecontrol/operations/${id}`, { headers: { accept: "application/json" } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const send = (
  device: string,
  body: unknown,
  options: { csrf?: boolean; headers?: Record<string, string> } = {},
) => call(create, `/api/devices/${device}/operations`, { body, cookie, params: { id: device }, ...options });
/** The statuses of GET /api/operations/[id]/history, with who set each. */
const statuses = async (id: string) => {
  const a = await call(history, `/api/operations/${id}/history`, { cookie, params: { id } });
  expect(a.status).toBe(200);
  return (a.json.entries as { status: string | null; user: string | null }[]).map((e) => [e.status, e.user]);
};
const action = (handler: typeof cancel, id: string, verb: string, body?: unknown) =>
  call(handler, `/api/operations/${id}/${verb}`, { method: "POST", body, cookie, params: { id } });

beforeAll(async () => {
  // A clock that moves one second per reading, so creation times are distinct.
  let tick = 0;
  const start = Date.now();
  p = await startTestPlatform({ now: () => start + tick++ * 1000 });
  process.env.SESSION_PASSWORD = SESSION_PASSWORD;
  process.env.C8Y_BASEURL = p.url;
  cookie = (await signIn(login)).cookie;

  gw = await createObject({
    name: "Gateway 1",
    c8y_IsDevice: {},
    com_cumulocity_model_Agent: {},
    c8y_SupportedOperations: [
      "c8y_Restart",
      "c8y_Configuration",
      "c8y_SoftwareUpdate",
      "c8y_Firmware",
      "c8y_Command",
    ],
    c8y_Configuration: { config: "log.level=INFO\n" },
    c8y_Firmware: { name: "gw-os", version: "1.0.0" },
    c8y_SoftwareList: [{ name: "agent", version: "1.0", url: "" }],
  });
  meter = await createObject({
    name: "Meter 1",
    c8y_IsDevice: {},
    c8y_SupportedOperations: ["c8y_Restart", "c8y_SoftwareList"],
    c8y_Software: { "meter-fw-tools": "2.0", calib: "0.9" },
  });
  const link = await p.request(`/inventory/managedObjects/${gw}/childDevices`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ managedObject: { id: meter } }),
  });
  expect(link.status).toBe(201);
  lonely = await createObject({ name: "Lonely", c8y_IsDevice: {}, c8y_SupportedOperations: ["c8y_Restart"] });
});
afterAll(() => p.close());

describe("device context", () => {
  it("names the agent (itself or the nearest above), the offers and the current state", async () => {
    const a = await call(context, `/api/devices/${gw}/operations/context`, { cookie, params: { id: gw } });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      deviceId: gw,
      name: "Gateway 1",
      agent: { id: gw, name: "Gateway 1", isSelf: true },
      current: {
        configuration: "log.level=INFO\n",
        firmware: { name: "gw-os", version: "1.0.0", url: null },
        software: [{ name: "agent", version: "1.0", url: null, softwareType: null }],
      },
    });
    expect(a.json.offers).toEqual([
      { kind: "restart", fragment: "c8y_Restart", supported: true },
      { kind: "configuration", fragment: "c8y_Configuration", supported: true },
      { kind: "software", fragment: "c8y_SoftwareUpdate", supported: true },
      { kind: "firmware", fragment: "c8y_Firmware", supported: true },
      { kind: "shell", fragment: "c8y_Command", supported: true },
    ]);

    const child = await call(context, `/api/devices/${meter}/operations/context`, {
      cookie,
      params: { id: meter },
    });
    expect(child.json.agent).toEqual({ id: gw, name: "Gateway 1", isSelf: false });
    expect(child.json.offers).toContainEqual({
      kind: "software",
      fragment: "c8y_SoftwareList",
      supported: true,
    });
    expect(child.json.offers).toContainEqual({ kind: "shell", fragment: "c8y_Command", supported: false });
    expect(child.json.current.software).toEqual([
      { name: "meter-fw-tools", version: "2.0", url: null, softwareType: null },
      { name: "calib", version: "0.9", url: null, softwareType: null },
    ]);

    const alone = await call(context, `/api/devices/${lonely}/operations/context`, {
      cookie,
      params: { id: lonely },
    });
    expect(alone.json.agent).toBeNull();
  });

  it("answers 404 for an unknown device and 422 for an id that is no id", async () => {
    const a = await call(context, "/api/devices/99999999/operations/context", {
      cookie,
      params: { id: "99999999" },
    });
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
    const b = await call(context, "/api/devices/a.b/operations/context", { cookie, params: { id: "a.b" } });
    expect(b.status).toBe(422);
    expect(b.json.error.fields).toHaveProperty("id");
  });
});

describe("create", () => {
  it("sends a restart: 201, PENDING, a description; its history starts with the operator's creation", async () => {
    const a = await send(gw, { kind: "restart" });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({
      deviceId: gw,
      status: "PENDING",
      type: "c8y_Restart",
      description: "Restart device",
      failureReason: null,
      command: null,
      fragments: { c8y_Restart: {} },
      agentId: gw,
    });
    // The DTO carries no history of its own: that is the audit records' (./history).
    expect(a.json).not.toHaveProperty("history");
    expect(await statuses(a.json.id)).toEqual([["PENDING", "admin"]]);
    expect(await upstreamOperation(a.json.id)).toMatchObject({ c8y_Restart: {}, status: "PENDING" });
  });

  it("sends configuration, firmware and a shell command as their standard fragments", async () => {
    const config = await send(gw, { kind: "configuration", config: "log.level=DEBUG\n" });
    expect(config.status).toBe(201);
    expect(await upstreamOperation(config.json.id)).toMatchObject({
      c8y_Configuration: { config: "log.level=DEBUG\n" },
    });

    const fw = await send(gw, {
      kind: "firmware",
      name: "gw-os",
      version: "2.0.0",
      url: "https://repo.test/os-2.bin",
    });
    expect(fw.status).toBe(201);
    expect(fw.json.description).toBe("Update firmware to gw-os 2.0.0");
    expect(await upstreamOperation(fw.json.id)).toMatchObject({
      c8y_Firmware: { name: "gw-os", version: "2.0.0", url: "https://repo.test/os-2.bin" },
    });

    const shell = await send(gw, { kind: "shell", command: "  uname -a " });
    expect(shell.status).toBe(201);
    expect(shell.json.command).toEqual({ text: "uname -a", result: null });
    expect(shell.json.description).toBe("Execute shell command: uname -a");
  });

  it("sends software as a delta to a device with c8y_SoftwareUpdate, as the full list to one with c8y_SoftwareList", async () => {
    const items = [
      {
        action: "install",
        name: "nginx",
        version: "1.25",
        url: "https://repo.test/nginx.deb",
        softwareType: "apt",
      },
      { action: "delete", name: "calib" },
    ];
    const delta = await send(gw, { kind: "software", items });
    expect(delta.status).toBe(201);
    expect(delta.json.type).toBe("c8y_SoftwareUpdate");
    expect((await upstreamOperation(delta.json.id)).c8y_SoftwareUpdate).toEqual([
      {
        name: "nginx",
        version: "1.25",
        url: "https://repo.test/nginx.deb",
        softwareType: "apt",
        action: "install",
      },
      { name: "calib", version: "", url: "", action: "delete" },
    ]);

    const full = await send(meter, { kind: "software", items });
    expect(full.status).toBe(201);
    expect(full.json.type).toBe("c8y_SoftwareList");
    expect(full.json.agentId).toBe(gw);
    expect((await upstreamOperation(full.json.id)).c8y_SoftwareList).toEqual([
      { name: "meter-fw-tools", version: "2.0", url: "" },
      { name: "nginx", version: "1.25", url: "https://repo.test/nginx.deb", softwareType: "apt" },
    ]);
  });

  it("refuses an operation the device does not list, unless forced", async () => {
    const a = await send(meter, { kind: "shell", command: "ls" });
    expect(a.status).toBe(409);
    expect(a.json.error).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/Meter 1 does not list c8y_Command/),
    });
    const forced = await send(meter, { kind: "shell", command: "ls", force: true });
    expect(forced.status).toBe(201);
    expect(forced.json.type).toBe("c8y_Command");
  });

  it("refuses a device with no agent above it, unless forced", async () => {
    const a = await send(lonely, { kind: "restart" });
    expect(a.status).toBe(409);
    expect(a.json.error.message).toMatch(/no agent above it/);
    const forced = await send(lonely, { kind: "restart", force: true });
    expect(forced.status).toBe(201);
    expect(forced.json.agentId).toBeNull();
  });

  it.each([
    ["an unknown kind", { kind: "reboot" }, "kind"],
    ["a firmware without url", { kind: "firmware", name: "x", version: "1" }, "url"],
    [
      "a firmware with a file url",
      { kind: "firmware", name: "x", version: "1", url: "file:///etc/passwd" },
      "url",
    ],
    [
      "an install without version",
      { kind: "software", items: [{ action: "install", name: "x" }] },
      "items.0.version",
    ],
    ["no software items", { kind: "software", items: [] }, "items"],
    ["an empty command", { kind: "shell", command: "   " }, "command"],
    ["a configuration that is no text", { kind: "configuration", config: 42 }, "config"],
    ["a force that is no boolean", { kind: "restart", force: "yes" }, "force"],
  ])("answers 422 for %s", async (_name, body, field) => {
    const a = await send(gw, body);
    expect(a.status).toBe(422);
    expect(a.json.error.code).toBe("invalid_input");
    expect(a.json.error.fields).toHaveProperty([field]);
  });

  it("answers 400 for a body that is not JSON and 404 for an unknown device", async () => {
    const bad = await send(gw, "{not json");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("bad_json");
    const unknown = await send("99999999", { kind: "restart" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
  });

  it("refuses cross-site requests and requests without a session (the route wrapper)", async () => {
    const noHeader = await send(gw, { kind: "restart" }, { csrf: false });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.error.code).toBe("cross_site_refused");
    const foreign = await send(gw, { kind: "restart" }, { headers: { origin: "https://evil.test" } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe("cross_site_refused");
    const crossSite = await call(cancel, "/api/operations/1/cancel", {
      method: "POST",
      body: {},
      cookie,
      params: { id: "1" },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const anonymous = await call(list, "/api/operations");
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("unauthenticated");
  });
});

describe("list", () => {
  it("lists newest first, filters by device, status and type, and pages with a total", async () => {
    const device = await createObject({
      name: "List target",
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      c8y_SupportedOperations: ["c8y_Restart", "c8y_Command"],
    });
    const ids: string[] = [];
    for (const body of [{ kind: "restart" }, { kind: "shell", command: "date" }, { kind: "restart" }]) {
      const a = await send(device, body);
      ids.push(a.json.id as string);
    }
    await agentPut(ids[0]!, { status: "EXECUTING" });

    const all = await call(list, `/api/operations?deviceId=${device}`, { cookie });
    expect(all.status).toBe(200);
    expect(all.json.items.map((o: { id: string }) => o.id)).toEqual([...ids].reverse());
    expect(all.json).toMatchObject({
      page: 1,
      pageSize: 25,
      total: 3,
      staleAfter: { PENDING: 300000, EXECUTING: 600000 },
    });
    expect(all.json.items[2]).toMatchObject({ deviceName: "List target", status: "EXECUTING" });

    const restarts = await call(list, `/api/operations?deviceId=${device}&type=c8y_Restart`, { cookie });
    expect(restarts.json.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[0]]);
    const executing = await call(list, `/api/operations?deviceId=${device}&status=EXECUTING`, { cookie });
    expect(executing.json.items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(executing.json.total).toBe(1);

    const page2 = await call(list, `/api/operations?deviceId=${device}&pageSize=2&page=2`, { cookie });
    expect(page2.json.items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(page2.json).toMatchObject({ page: 2, pageSize: 2, total: 3 });

    // Fleet-wide: this device's newest is among the newest of all.
    const fleet = await call(list, "/api/operations?pageSize=100", { cookie });
    const fleetIds = fleet.json.items.map((o: { id: string }) => Number(o.id));
    expect(fleetIds).toEqual([...fleetIds].sort((a, b) => b - a));
  });

  it("answers 422 naming each bad filter", async () => {
    const a = await call(list, "/api/operations?status=DONE&pageSize=0&type=no%20spaces&deviceId=../x", {
      cookie,
    });
    expect(a.status).toBe(422);
    expect(Object.keys(a.json.error.fields).sort()).toEqual(["deviceId", "pageSize", "status", "type"]);
  });

  it("takes the stale thresholds from the environment", async () => {
    vi.stubEnv("OPERATION_STALE_PENDING_MINUTES", "1");
    vi.stubEnv("OPERATION_STALE_EXECUTING_MINUTES", "2.5");
    try {
      const a = await call(list, "/api/operations?pageSize=1", { cookie });
      expect(a.json.staleAfter).toEqual({ PENDING: 60_000, EXECUTING: 150_000 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("one operation", () => {
  it("answers the operation as it is now, with the stale thresholds", async () => {
    const created = await send(gw, { kind: "restart" });
    const id = created.json.id as string;
    await agentPut(id, { status: "EXECUTING" });
    const a = await call(getOne, `/api/operations/${id}`, { cookie, params: { id } });
    expect(a.status).toBe(200);
    expect(a.json.operation).toMatchObject({
      id,
      status: "EXECUTING",
      creationTime: created.json.creationTime,
    });
    expect(a.json.operation).not.toHaveProperty("history");
    expect(a.json.staleAfter).toEqual({ PENDING: 300000, EXECUTING: 600000 });
  });

  it("shows the failure reason in full and the command's result", async () => {
    const shell = await send(gw, { kind: "shell", command: "cat /etc/os-release" });
    const id = shell.json.id as string;
    await agentPut(id, { status: "EXECUTING" });
    const reason = `Command failed: ${"x".repeat(900)}`;
    await agentPut(id, {
      status: "FAILED",
      failureReason: reason,
      c8y_Command: { text: "cat /etc/os-release", result: "cat: /etc/os-release: No such file" },
    });
    const a = await call(getOne, `/api/operations/${id}`, { cookie, params: { id } });
    expect(a.json.operation).toMatchObject({
      status: "FAILED",
      failureReason: reason,
      command: { text: "cat /etc/os-release", result: "cat: /etc/os-release: No such file" },
    });
  });

  it("answers 404 for an unknown id and 422 for an id that is no id", async () => {
    const a = await call(getOne, "/api/operations/99999999", { cookie, params: { id: "99999999" } });
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe("not_found");
    const b = await call(getOne, "/api/operations/..", { cookie, params: { id: ".." } });
    expect(b.status).toBe(422);
  });
});

describe("cancel, fail, re-run", () => {
  it("cancels only a PENDING operation, naming the operator", async () => {
    const created = await send(gw, { kind: "restart" });
    const id = created.json.id as string;
    const a = await action(cancel, id, "cancel", { reason: "wrong device" });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id, status: "FAILED", failureReason: "Cancelled by admin: wrong device" });
    expect(await statuses(id)).toEqual([
      ["PENDING", "admin"],
      ["FAILED", "admin"],
    ]);
    expect(await upstreamOperation(id)).toMatchObject({ status: "FAILED" });

    const again = await action(cancel, id, "cancel", {});
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/is FAILED/);

    const running = await send(gw, { kind: "restart" });
    await agentPut(running.json.id, { status: "EXECUTING" });
    const tooLate = await action(cancel, running.json.id, "cancel", {});
    expect(tooLate.status).toBe(409);
    expect(await upstreamOperation(running.json.id)).toMatchObject({ status: "EXECUTING" });

    const plain = await send(gw, { kind: "restart" });
    const noReason = await action(cancel, plain.json.id, "cancel", {});
    expect(noReason.json.failureReason).toBe("Cancelled by admin");
  });

  it("marks only an EXECUTING operation failed, with the operator's reason", async () => {
    const created = await send(gw, { kind: "restart" });
    const id = created.json.id as string;
    const pending = await action(fail, id, "fail", { reason: "stuck" });
    expect(pending.status).toBe(409);

    await agentPut(id, { status: "EXECUTING" });
    const noReason = await action(fail, id, "fail", { reason: "  " });
    expect(noReason.status).toBe(422);
    expect(noReason.json.error.fields).toHaveProperty("reason");

    const a = await action(fail, id, "fail", { reason: "Device was replaced" });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      status: "FAILED",
      failureReason: "Marked failed by admin: Device was replaced",
    });
    expect((await statuses(id)).map(([status]) => status)).toEqual(["PENDING", "EXECUTING", "FAILED"]);

    const done = await action(fail, id, "fail", { reason: "again" });
    expect(done.status).toBe(409);
  });

  it("re-runs a FAILED operation as a new one without the old result", async () => {
    const shell = await send(gw, { kind: "shell", command: "false" });
    const id = shell.json.id as string;
    const early = await action(rerun, id, "rerun");
    expect(early.status).toBe(409);

    await agentPut(id, { status: "EXECUTING" });
    await agentPut(id, {
      status: "FAILED",
      failureReason: "exit 1",
      c8y_Command: { text: "false", result: "" },
    });
    const a = await action(rerun, id, "rerun");
    expect(a.status).toBe(201);
    expect(a.json.id).not.toBe(id);
    expect(a.json).toMatchObject({
      deviceId: gw,
      status: "PENDING",
      description: "Execute shell command: false",
      command: { text: "false", result: null },
      failureReason: null,
    });
    expect(await upstreamOperation(a.json.id)).toMatchObject({ c8y_Command: { text: "false" } });
  });

  it("answers 404 for unknown operations and 400/422 for bad input", async () => {
    for (const [handler, verb] of [
      [cancel, "cancel"],
      [fail, "fail"],
      [rerun, "rerun"],
    ] as const) {
      const a = await action(handler, "99999999", verb, { reason: "x" });
      expect(a.status).toBe(404);
      expect(a.json.error.code).toBe("not_found");
    }
    const badJson = await action(cancel, "1", "cancel", "nope{");
    expect(badJson.status).toBe(400);
    const longReason = await action(cancel, "1", "cancel", { reason: "x".repeat(501) });
    expect(longReason.status).toBe(422);
    const badId = await action(cancel, "a/b", "cancel", {});
    expect(badId.status).toBe(422);
  });
});
