// Simulated agents across a real platform outage: the emulator runs as its own process, is killed (SIGKILL, as a
// crash) mid-operation and started again on the same port and data. Nothing an agent was given is lost: every
// operation ends SUCCESSFUL or FAILED, none stays EXECUTING or PENDING, and a queued one runs in its turn.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  startEmulatorProcess,
  type EmulatorProcess,
} from "../../../tests/support/emulator-process.js";
import { runDevices, type DevicesHandle } from "../index.js";
import { DeviceStore } from "../store.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are free-form JSON in assertions
type Json = any;

const SERIAL = "outage-gw-1";
let emulatorDir: string;
let devicesDir: string;
let port: number;
let emu: EmulatorProcess | undefined;
let devices: DevicesHandle | undefined;
const lines: string[] = [];
let agentId: string;

beforeAll(async () => {
  emulatorDir = mkdtempSync(join(tmpdir(), "outage-emulator-"));
  devicesDir = mkdtempSync(join(tmpdir(), "outage-devices-"));
  port = await freePort();
  emu = await startEmulatorProcess({ dataDir: emulatorDir, port });
  await call("POST", "/devicecontrol/newDeviceRequests", { id: SERIAL });
  start();
  await until("the request to be PENDING_ACCEPTANCE", async () => {
    const r = await call("GET", `/devicecontrol/newDeviceRequests/${SERIAL}`);
    return r.body?.status === "PENDING_ACCEPTANCE" || undefined;
  });
  await call("PUT", `/devicecontrol/newDeviceRequests/${SERIAL}`, { status: "ACCEPTED" });
  await online();
  agentId = devices!.devices[0]!.managedObjectId!;
}, 60_000);

afterEach(async () => {
  // Each test leaves a running platform behind, even when it failed mid-outage.
  if (!emu) emu = await startEmulatorProcess({ dataDir: emulatorDir, port });
});

afterAll(async () => {
  await devices?.stop();
  await emu?.stop();
  rmSync(emulatorDir, { recursive: true, force: true });
  rmSync(devicesDir, { recursive: true, force: true });
});

function start() {
  devices = runDevices({
    url: `http://127.0.0.1:${port}`,
    ids: [SERIAL],
    dataDir: devicesDir,
    bootstrap: { password: "process-bootstrap-password" },
    pollIntervalMs: 50,
    // Long enough that the platform is down before the work is done.
    operationDurationMs: 2_500,
    rebootDurationMs: 0,
    failureRate: 0,
    log: (line) => lines.push(line),
  });
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      authorization: emu!.adminAuth,
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Awaits a condition, checking every 50 ms, for at most `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${lines.slice(-15).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const online = () =>
  until("the agent online", () => (devices?.devices[0]?.status === "online" ? true : undefined));

async function createOperation(body: Record<string, unknown>): Promise<string> {
  const r = await call("POST", "/devicecontrol/operations", body);
  expect(r.status).toBe(201);
  return String(r.body.id);
}

const statusOf = async (id: string) =>
  String((await call("GET", `/devicecontrol/operations/${id}`)).body.status);

const reaches = (id: string, status: string) =>
  until(`operation ${id} ${status}`, async () => ((await statusOf(id)) === status ? true : undefined));

/** The platform dies while the agent works on `id`; the agent finishes and keeps the outcome on its disk. */
async function crashWhileExecuting(id: string) {
  await reaches(id, "EXECUTING");
  await crash();
  await reportKept(id);
}

const reportKept = (id: string) =>
  until(
    `the report of ${id} kept on the device's disk`,
    () => new DeviceStore(devicesDir, SERIAL).readReports().some((r) => r.operationId === id) || undefined,
  );

async function crash() {
  await emu!.kill();
  emu = undefined;
}

async function restart() {
  emu = await startEmulatorProcess({ dataDir: emulatorDir, port });
}

/** Nothing the agent was given is left open. */
async function nothingOpen() {
  for (const status of ["PENDING", "EXECUTING"]) {
    const r = await call("GET", `/devicecontrol/operations?agentId=${agentId}&status=${status}`);
    expect(r.body.operations, status).toEqual([]);
  }
}

describe("a platform crash mid-operation", () => {
  it("ends the operation SUCCESSFUL once the platform is back: the final status was kept and repeated", async () => {
    const id = await createOperation({
      deviceId: agentId,
      c8y_Configuration: { config: "mode=after-crash" },
    });
    await crashWhileExecuting(id);
    await restart();
    await reaches(id, "SUCCESSFUL");
    // The inventory part of the outcome went through as well.
    const mo = await call("GET", `/inventory/managedObjects/${agentId}`);
    expect(mo.body.c8y_Configuration).toEqual({ config: "mode=after-crash" });
    expect(new DeviceStore(devicesDir, SERIAL).readReports()).toEqual([]);
    await online();
    await nothingOpen();
  }, 90_000);

  it("runs an operation queued behind the interrupted one after the platform is back, in order", async () => {
    const running = await createOperation({ deviceId: agentId, c8y_Command: { text: "echo running" } });
    const queued = await createOperation({ deviceId: agentId, c8y_Command: { text: "echo queued" } });
    await crashWhileExecuting(running);
    await restart();
    // Created after the restart: must wait for the one queued before the crash.
    const later = await createOperation({ deviceId: agentId, c8y_Command: { text: "echo later" } });
    for (const id of [running, queued, later]) await reaches(id, "SUCCESSFUL");
    const order = lines
      .map((l) => /operation (\d+) \(c8y_Command\) → SUCCESSFUL/.exec(l)?.[1])
      .filter((id) => id !== undefined);
    expect(order.filter((id) => [running, queued, later].includes(id))).toEqual([running, queued, later]);
    const result = await call("GET", `/devicecontrol/operations/${queued}`);
    expect(result.body.c8y_Command.result).toBe("queued");
    await nothingOpen();
  }, 90_000);

  it("delivers a kept final status after the agent restarted too, instead of failing the operation as interrupted", async () => {
    await online();
    const id = await createOperation({
      deviceId: agentId,
      c8y_Command: { text: "echo kept across restarts" },
    });
    await crashWhileExecuting(id);
    await devices!.stop();
    lines.length = 0;
    await restart();
    start();
    await reaches(id, "SUCCESSFUL");
    const op = await call("GET", `/devicecontrol/operations/${id}`);
    expect(op.body.c8y_Command.result).toBe("kept across restarts");
    expect(lines.some((l) => l.includes("restarted while the operation was executing"))).toBe(false);
    await online();
    await nothingOpen();
  }, 90_000);
});
