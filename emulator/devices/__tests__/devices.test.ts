// End to end: simulated agents against a real emulator on an ephemeral port, observed through REST as a
// console would see them (plus the platform's change feed and Bayeux session events to know when to look).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BOOTSTRAP_PASSWORD,
  TENANT,
  startTestPlatform,
  type TestPlatform,
} from "../../../tests/support/platform.js";
import { runDevices, type DevicesHandle } from "../index.js";
import { FAILURE_REASONS } from "../operations.js";
import { DeviceStore } from "../store.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are free-form JSON in assertions
type Json = any;

const SERIAL = "e2e-gw-1";
const DEVICE_USER = `device_${SERIAL}`;

let p: TestPlatform;
let dataDir: string;
let devices: DevicesHandle | undefined;
const lines: string[] = [];
/** Status changes per operation id, in the order the platform committed them. */
const statuses = new Map<string, string[]>();
/** All status changes as [operation id, status], in commit order. */
const transitions: [string, string][] = [];
/** Bayeux sessions opened and closed by the agent's user. */
const opened: string[] = [];
const closed: { clientId: string; reason: string }[] = [];
/** Counts of PUTs per path while `countPuts` is on. */
const puts = new Map<string, number>();
let countPuts = false;
/** Credential requests seen (the knocks of step 0). */
let knocks = 0;

function start(extra: Partial<Parameters<typeof runDevices>[0]> = {}) {
  devices = runDevices({
    url: p.url,
    ids: [SERIAL],
    children: 2,
    dataDir,
    bootstrap: { password: BOOTSTRAP_PASSWORD },
    pollIntervalMs: 20,
    operationDurationMs: 0,
    rebootDurationMs: 0,
    failureRate: 0,
    log: (line) => lines.push(line),
    ...extra,
  });
  return devices;
}

/** Awaits a condition, re-checking on every platform change and on a short tick, for at most `ms`. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${lines.slice(-15).join("\n")}`);
    await new Promise<void>((resolve) => {
      const off = p.platform.ctx.events.subscribe(() => done());
      const timer = setTimeout(done, 25);
      function done() {
        off();
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

async function json(path: string, init?: RequestInit): Promise<Json> {
  const res = await p.request(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function idOf(serial: string): Promise<string | undefined> {
  const r = await json(`/identity/externalIds/c8y_Serial/${serial}`);
  return r.status === 200 ? String(r.body.managedObject.id) : undefined;
}

async function createOperation(body: Record<string, unknown>): Promise<string> {
  const r = await json("/devicecontrol/operations", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(201);
  return String(r.body.id);
}

async function finished(id: string): Promise<Json> {
  return until(`operation ${id} to finish`, async () => {
    const r = await json(`/devicecontrol/operations/${id}`);
    return r.body.status === "SUCCESSFUL" || r.body.status === "FAILED" ? r.body : undefined;
  });
}

/** Registers the device as the admin, then waits for its next knock to make the request PENDING_ACCEPTANCE. */
async function registerAndAwaitKnock() {
  const registered = await json("/devicecontrol/newDeviceRequests", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: SERIAL }),
  });
  expect(registered.status).toBe(201);
  await until("the request to become PENDING_ACCEPTANCE", async () => {
    const r = await json(`/devicecontrol/newDeviceRequests/${SERIAL}`);
    return r.body?.status === "PENDING_ACCEPTANCE" ? true : undefined;
  });
}

async function accept() {
  const accepted = await json(`/devicecontrol/newDeviceRequests/${SERIAL}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: "ACCEPTED" }),
  });
  expect(accepted.status).toBe(200);
}

let agentId: string;
let childIds: string[];

beforeAll(async () => {
  p = await startTestPlatform();
  dataDir = mkdtempSync(join(tmpdir(), "devices-e2e-"));
  p.platform.ctx.events.subscribe((e) => {
    if (e.api !== "operations" || e.action === "DELETE") return;
    const list = statuses.get(e.id) ?? [];
    const status = String(e.data.status);
    if (list.at(-1) !== status) {
      list.push(status);
      transitions.push([e.id, status]);
    }
    statuses.set(e.id, list);
  });
  p.realtime.events.on("session-opened", (s) => {
    if (s.username === DEVICE_USER) opened.push(s.clientId);
  });
  p.realtime.events.on("session-closed", (s) => {
    if (opened.includes(s.clientId)) closed.push({ clientId: s.clientId, reason: s.reason });
  });
  p.platform.intercept((req) => {
    if (req.method === "POST" && req.url === "/devicecontrol/deviceCredentials") knocks += 1;
    if (countPuts && req.method === "PUT") puts.set(req.url ?? "", (puts.get(req.url ?? "") ?? 0) + 1);
    return false;
  });
});

afterAll(async () => {
  await devices?.stop();
  await p?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("simulated devices", () => {
  it("knock, become PENDING_ACCEPTANCE once registered, and keep the credentials they get", async () => {
    start();
    // Unregistered: the device keeps asking (404 each time) and the platform keeps no request for it.
    await until("a few unanswered knocks", () => (knocks >= 3 ? true : undefined));
    expect((await json(`/devicecontrol/newDeviceRequests/${SERIAL}`)).status).toBe(404);
    expect(devices!.devices[0]!.status).toBe("knocking");

    await registerAndAwaitKnock();
    expect(devices!.devices[0]!.status).toBe("knocking");

    await accept();
    await until("the credentials on disk", () => new DeviceStore(dataDir, SERIAL).readCredentials());
    const stored = new DeviceStore(dataDir, SERIAL);
    expect(stored.readCredentials()).toMatchObject({ tenantId: "t1000", username: DEVICE_USER });
    expect(statSync(join(stored.dir, "credentials.json")).mode & 0o777).toBe(0o600);
  });

  it("create themselves and their children in inventory and identity", async () => {
    agentId = await until("the agent's external id", () => idOf(SERIAL));
    const agent = await until("both children linked", async () => {
      const r = await json(`/inventory/managedObjects/${agentId}`);
      return r.body?.childDevices?.references?.length === 2 ? r.body : undefined;
    });
    expect(agent).toMatchObject({
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      c8y_Hardware: { serialNumber: SERIAL },
      owner: DEVICE_USER,
    });
    for (const f of [
      "c8y_SupportedOperations",
      "c8y_Configuration",
      "c8y_Mobile",
      "c8y_Firmware",
      "c8y_Software",
    ])
      expect(agent).toHaveProperty(f);
    expect(Object.keys(agent.c8y_Software)).toEqual(agent.c8y_SoftwareList.map((s: Json) => s.name));

    childIds = [];
    for (const n of [1, 2]) {
      const id = await idOf(`${SERIAL}-child-${n}`);
      expect(id).toBeDefined();
      childIds.push(id!);
      const child = (await json(`/inventory/managedObjects/${id}`)).body;
      expect(child.c8y_IsDevice).toEqual({});
      expect(child).not.toHaveProperty("com_cumulocity_model_Agent");
      expect(child.c8y_SupportedOperations.length).toBeGreaterThan(0);
    }
    expect(agent.childDevices.references.map((r: Json) => String(r.managedObject.id)).sort()).toEqual(
      [...childIds].sort(),
    );
    await until("the agent online", () => (devices!.devices[0]!.status === "online" ? true : undefined));
  });

  it("run a shell command and report its output", async () => {
    const id = await createOperation({
      deviceId: agentId,
      c8y_Command: { text: "echo hello from the device" },
    });
    const op = await finished(id);
    expect(op.status).toBe("SUCCESSFUL");
    expect(op.c8y_Command).toEqual({ text: "echo hello from the device", result: "hello from the device" });
    expect(statuses.get(id)).toEqual(["PENDING", "EXECUTING", "SUCCESSFUL"]);

    const unknown = await finished(
      await createOperation({ deviceId: agentId, c8y_Command: { text: "reboot-now" } }),
    );
    expect(unknown).toMatchObject({
      status: "FAILED",
      failureReason: "Command not found: reboot-now (exit status 127)",
    });
    expect(unknown.c8y_Command.result).toBe("sh: 1: reboot-now: not found");
  });

  it("apply a child's configuration through its agent", async () => {
    const id = await createOperation({
      deviceId: childIds[0],
      c8y_Configuration: { config: "modbus.address=42" },
    });
    expect((await finished(id)).status).toBe("SUCCESSFUL");
    expect(statuses.get(id)).toEqual(["PENDING", "EXECUTING", "SUCCESSFUL"]);
    const child = (await json(`/inventory/managedObjects/${childIds[0]}`)).body;
    expect(child.c8y_Configuration).toEqual({ config: "modbus.address=42" });
  });

  it("fail an unsupported operation with a reason", async () => {
    const op = await finished(await createOperation({ deviceId: childIds[1], c8y_Command: { text: "ls" } }));
    expect(op.status).toBe("FAILED");
    expect(op.failureReason).toMatch(/^Operation c8y_Command is not supported by .*child-2/);
  });

  it("restart across a reconnect: EXECUTING while away, SUCCESSFUL once back, then a new session", async () => {
    const before = opened.length;
    const id = await createOperation({ deviceId: agentId, c8y_Restart: {} });
    const op = await finished(id);
    expect(op.status).toBe("SUCCESSFUL");
    expect(statuses.get(id)).toEqual(["PENDING", "EXECUTING", "SUCCESSFUL"]);
    // The agent said goodbye, settled the restart at startup (step 6), then subscribed again.
    expect(closed.some((c) => c.clientId === opened[before - 1] && c.reason === "disconnected")).toBe(true);
    await until("a new session", () => (opened.length > before ? true : undefined));
    expect(opened.length).toBe(before + 1);
    expect(lines.some((l) => l.includes(`step 6: operation ${id} (c8y_Restart) → SUCCESSFUL`))).toBe(true);
  });

  it("re-handshake when the platform forgets the session and pick up what was created meanwhile", async () => {
    await until("the agent online", () => (devices!.devices[0]!.status === "online" ? true : undefined));
    const before = opened.length;
    expect(p.realtime.dropSession(opened.at(-1)!)).toBe(true);
    const id = await createOperation({ deviceId: childIds[1], c8y_Relay: { relayState: "OPEN" } });
    expect((await finished(id)).status).toBe("SUCCESSFUL");
    await until("a new session", () => (opened.length > before ? true : undefined));
    expect((await json(`/inventory/managedObjects/${childIds[1]}`)).body.c8y_Relay).toEqual({
      relayState: "OPEN",
    });
  });

  it("register nothing twice when the simulator restarts on the same data dir", async () => {
    await devices!.stop();
    devices = undefined;
    // Drift while the device was off: a user renamed it and the inventory lost the firmware it really runs.
    const rename = await json(`/inventory/managedObjects/${agentId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Line 3 gateway", c8y_Firmware: { name: "tampered", version: "0" } }),
    });
    expect(rename.status).toBe(200);
    // Created while nobody listened: only the backlog query after subscribing finds it.
    const pending = await createOperation({
      deviceId: childIds[0],
      c8y_Firmware: { name: "umg96rm", version: "4.200" },
    });
    const sessionsBefore = opened.length;
    puts.clear();
    countPuts = true;
    lines.length = 0;
    start();
    expect((await finished(pending)).status).toBe("SUCCESSFUL");
    await until("the agent online", () => (devices!.devices[0]!.status === "online" ? true : undefined));
    countPuts = false;

    expect(opened.length).toBe(sessionsBefore + 1);
    expect(lines.some((l) => l.includes("step 0"))).toBe(false);
    expect(await idOf(SERIAL)).toBe(agentId);
    expect([await idOf(`${SERIAL}-child-1`), await idOf(`${SERIAL}-child-2`)]).toEqual(childIds);
    const agent = (await json(`/inventory/managedObjects/${agentId}`)).body;
    expect(agent.name).toBe("Line 3 gateway");
    expect(agent.c8y_Firmware.name).not.toBe("tampered");
    expect(agent.childDevices.references).toHaveLength(2);
    const all = await json("/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=100");
    expect(all.body.managedObjects.map((m: Json) => String(m.id)).sort()).toEqual(
      [agentId, ...childIds].sort(),
    );
    // Step 4 sent one PUT with just the changed fragment; the children had nothing to update.
    expect(puts.get(`/inventory/managedObjects/${agentId}`)).toBe(1);
    expect(lines.filter((l) => l.includes("step 4"))).toEqual([
      expect.stringMatching(new RegExp(`step 4: ${SERIAL} \\(${agentId}\\) updated c8y_Firmware$`)),
    ]);
    expect(puts.get(`/inventory/managedObjects/${childIds[1]}`)).toBeUndefined();
    const requests = await json("/devicecontrol/newDeviceRequests");
    expect(requests.body.newDeviceRequests).toEqual([]);
    const child = (await json(`/inventory/managedObjects/${childIds[0]}`)).body;
    expect(child.c8y_Firmware).toEqual({ name: "umg96rm", version: "4.200" });
  });

  it("keep an operation they could not mark EXECUTING, and a final status they could not report, until the platform takes them, in id order", async () => {
    await until("the agent online", () => (devices!.devices[0]!.status === "online" ? true : undefined));
    // The connection dies under two requests of the first operation: its EXECUTING and its first final status.
    const sabotage: { path?: string; puts: number } = { puts: 0 };
    let armed = true;
    p.platform.intercept((req) => {
      if (!armed || req.method !== "PUT" || !req.url?.startsWith("/devicecontrol/operations/")) return false;
      sabotage.path ??= req.url;
      if (req.url !== sabotage.path) return false;
      sabotage.puts += 1;
      if (sabotage.puts !== 1 && sabotage.puts !== 3) return false;
      req.socket.destroy();
      return true;
    });
    lines.length = 0;
    transitions.length = 0;
    const first = await createOperation({ deviceId: agentId, c8y_Command: { text: "echo first" } });
    const second = await createOperation({ deviceId: agentId, c8y_Command: { text: "echo second" } });
    expect((await finished(first)).status).toBe("SUCCESSFUL");
    expect((await finished(second)).status).toBe("SUCCESSFUL");
    armed = false;
    expect(sabotage).toEqual({ path: `/devicecontrol/operations/${first}`, puts: 4 });
    expect(statuses.get(first)).toEqual(["PENDING", "EXECUTING", "SUCCESSFUL"]);
    // The older one first, although the newer one was waiting while the first could not be taken.
    expect(transitions.filter(([, status]) => status !== "PENDING")).toEqual([
      [first, "EXECUTING"],
      [first, "SUCCESSFUL"],
      [second, "EXECUTING"],
      [second, "SUCCESSFUL"],
    ]);
    expect(
      lines.some((l) => l.includes(`operation ${first} (c8y_Command) could not be marked EXECUTING`)),
    ).toBe(true);
    expect(
      lines.some((l) => l.includes(`could not report operation ${first} (c8y_Command) SUCCESSFUL`)),
    ).toBe(true);
    expect(new DeviceStore(dataDir, SERIAL).readReports()).toEqual([]);
  });

  it("fail a configurable share of operations with a realistic reason", async () => {
    await devices!.stop();
    start({ failureRate: 1, seed: 1 });
    const op = await finished(
      await createOperation({ deviceId: childIds[0], c8y_Configuration: { config: "x=1" } }),
    );
    expect(op.status).toBe("FAILED");
    expect(FAILURE_REASONS.c8y_Configuration.map((reason) => reason({ config: "x=1" }))).toContain(
      op.failureReason,
    );
    const child = (await json(`/inventory/managedObjects/${childIds[0]}`)).body;
    expect(child.c8y_Configuration).toEqual({ config: "modbus.address=42" });
  });

  it("go back to step 0 when the credentials stop working, and continue with the same object once accepted again", async () => {
    await devices!.stop();
    start();
    await until("the agent online", () => (devices!.devices[0]!.status === "online" ? true : undefined));
    const before = new DeviceStore(dataDir, SERIAL).readCredentials()!;
    const devicesBefore = (await json("/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=100"))
      .body.managedObjects.length;

    // The operator deletes the device user (docs/platform-fleet.md §4); the agent notices on its next request.
    expect(p.platform.ctx.users.delete(TENANT, DEVICE_USER)).toBe(true);
    const id = await createOperation({
      deviceId: agentId,
      c8y_Configuration: { config: "after=re-registration" },
    });
    const knocksBefore = knocks;
    await until("the agent knocking again", () =>
      devices!.devices[0]!.status === "knocking" && knocks > knocksBefore + 2 ? true : undefined,
    );
    expect(new DeviceStore(dataDir, SERIAL).readCredentials()).toBeUndefined();
    expect(lines.some((l) => l.includes("rejected the stored credentials"))).toBe(true);

    // Registered and accepted again: new credentials, and step 1 finds the same managed object.
    await registerAndAwaitKnock();
    await accept();
    expect((await finished(id)).status).toBe("SUCCESSFUL");
    const after = new DeviceStore(dataDir, SERIAL).readCredentials()!;
    expect(after.username).toBe(DEVICE_USER);
    expect(after.password).not.toBe(before.password);
    expect(devices!.devices[0]!.managedObjectId).toBe(agentId);
    expect(await idOf(SERIAL)).toBe(agentId);
    const all = await json("/inventory/managedObjects?fragmentType=c8y_IsDevice&pageSize=100");
    expect(all.body.managedObjects).toHaveLength(devicesBefore);
    expect((await json(`/inventory/managedObjects/${agentId}`)).body.c8y_Configuration).toEqual({
      config: "after=re-registration",
    });
  });
});
