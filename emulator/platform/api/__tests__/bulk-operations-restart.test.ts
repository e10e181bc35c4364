// Bulk operations across a restart on the same data: one that was creating its operations goes on where it stopped
// (none twice, the ramp kept), and a scheduled one still starts at its startDate. First in process on the
// hand-driven clock (exact times), then with the emulator as its own process, killed mid-creation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulatorProcess } from "../../../../tests/support/emulator-process.js";
import { ManualTime } from "../../../../tests/support/manual-time.js";
import {
  agents,
  children,
  createBulk,
  getBulk,
  iso,
  RESTART,
  startBulkPlatform,
  staticGroup,
  type Json,
} from "../bulkoperations/__tests__/support.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "emu-bulk-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("a restart of the platform", () => {
  it("resumes creation where it stopped, keeps the ramp, and starts a scheduled one on time", async () => {
    const dataDir = tempDir();
    const t0 = Date.parse("2024-05-02T08:00:00.000Z");
    const first = await startBulkPlatform(new ManualTime(t0), { dataDir });
    const devices = await agents(first.p, 5, "restart");
    const group = await staticGroup(first.p, devices);
    const running = await createBulk(first.p, { groupId: group, startDate: iso(t0), creationRamp: 1 });
    const scheduled = await createBulk(first.p, { groupId: group, startDate: iso(t0 + 100_000) });
    first.time.advance(1_000);
    expect((await children(first.p, running.id)).length).toBe(2);
    await first.p.close();

    // Down for nine seconds: the overdue children are not created in a burst, the ramp goes on from the restart.
    const second = await startBulkPlatform(new ManualTime(t0 + 10_000), { dataDir });
    const { p, time } = second;
    try {
      time.advance(0);
      expect((await children(p, running.id)).length).toBe(3);
      time.advance(2_000);
      const ops = await children(p, running.id);
      expect(ops.map((o) => [o.deviceId, o.creationTime])).toEqual([
        [devices[0], iso(t0)],
        [devices[1], iso(t0 + 1_000)],
        [devices[2], iso(t0 + 10_000)],
        [devices[3], iso(t0 + 11_000)],
        [devices[4], iso(t0 + 12_000)],
      ]);
      expect(await getBulk(p, running.id)).toMatchObject({
        status: "COMPLETED",
        progress: { pending: 5, all: 5 },
      });

      time.advance(t0 + 100_000 - 1 - time.now());
      expect(await getBulk(p, scheduled.id)).toMatchObject({ status: "ACTIVE", generalStatus: "SCHEDULED" });
      time.advance(1);
      const started = await children(p, scheduled.id);
      expect(started.map((o) => o.creationTime)).toEqual(devices.map(() => iso(t0 + 100_000)));
    } finally {
      await p.close();
    }
  });

  it("as its own process, killed mid-creation: goes on after the restart and creates none twice", async () => {
    const dataDir = tempDir();
    const TARGETS = 40;
    let emu = await startEmulatorProcess({ dataDir });
    const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(`${emu.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: emu.adminAuth,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as Json;
    };
    /** Reads the bulk operation until `done` holds (each read is one request; no timer between them). */
    const readUntil = async (id: string, done: (b: Json) => boolean) => {
      for (;;) {
        const b = await call(`/devicecontrol/bulkoperations/${id}`);
        if (done(b)) return b;
      }
    };
    try {
      const devices: string[] = [];
      for (let i = 0; i < TARGETS; i++)
        devices.push(
          (
            await call("/inventory/managedObjects", {
              method: "POST",
              body: { name: `proc-${i}`, c8y_IsDevice: {}, com_cumulocity_model_Agent: {} },
            })
          ).id as string,
        );
      const group = (
        await call("/inventory/managedObjects", {
          method: "POST",
          body: { name: "Process group", c8y_IsDeviceGroup: {} },
        })
      ).id as string;
      for (const d of devices)
        await call(`/inventory/managedObjects/${group}/childAssets`, {
          method: "POST",
          body: { managedObject: { id: d } },
        });
      const body = { groupId: group, creationRamp: 0.1, operationPrototype: RESTART };
      const running = await call("/devicecontrol/bulkoperations", {
        method: "POST",
        body: { ...body, startDate: new Date().toISOString() },
      });
      const laterStart = new Date(Date.now() + 3_000).toISOString();
      const later = await call("/devicecontrol/bulkoperations", {
        method: "POST",
        body: { ...body, creationRamp: 0, startDate: laterStart },
      });
      const before = await readUntil(running.id as string, (b) => b.progress.pending >= 3);
      await emu.kill();
      expect(before.status).toBe("IN_PROGRESS");

      emu = await startEmulatorProcess({ dataDir });
      const done = await readUntil(running.id as string, (b) => b.status === "COMPLETED");
      expect(done.progress).toEqual({
        pending: TARGETS,
        executing: 0,
        successful: 0,
        failed: 0,
        all: TARGETS,
      });
      const ops = (await call(`/devicecontrol/operations?bulkOperationId=${running.id}&pageSize=2000`))
        .operations as Json[];
      expect(ops.map((o) => o.deviceId)).toEqual(devices);
      const times = ops.map((o) => Date.parse(o.creationTime as string));
      expect(times).toEqual([...times].sort((a, b) => a - b));

      const second = await readUntil(later.id as string, (b) => b.status === "COMPLETED");
      expect(second.progress.all).toBe(TARGETS);
      const laterOps = (await call(`/devicecontrol/operations?bulkOperationId=${later.id}&pageSize=2000`))
        .operations as Json[];
      expect(laterOps.map((o) => o.deviceId)).toEqual(devices);
      expect(laterOps.every((o) => (o.creationTime as string) >= laterStart)).toBe(true);
    } finally {
      await emu.stop();
    }
  });
});
