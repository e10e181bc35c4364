// The operations reconciler against the real emulator: what it publishes about operations (in order, as the REST
// routes' OperationDto), seeding, the REST reconciliation after a lost session, and the resync it asks for when
// that reconciliation cannot be complete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveDataEvent, LiveTopic } from "@/lib/schemas/events";
import { listOperations } from "@/lib/server/services/operations";
import { createPlatformClient } from "@/lib/server/upstream/client";
import {
  ADMIN_PASSWORD,
  TENANT,
  startTestPlatform,
  type TestPlatform,
} from "../../../../tests/support/platform.js";
import { OperationsReconciler, type ReconcileLimits } from "../operations-reconciler";
import { ManualClock, rest } from "./support";

let p: TestPlatform;
const savedBaseUrl = process.env.C8Y_BASEURL;
const admin = {
  scheme: "basic" as const,
  credentials: Buffer.from(`${TENANT}/admin:${ADMIN_PASSWORD}`).toString("base64"),
};

beforeAll(async () => {
  p = await startTestPlatform();
  process.env.C8Y_BASEURL = p.url;
});
afterAll(async () => {
  process.env.C8Y_BASEURL = savedBaseUrl;
  await p.close();
});

function reconciler(options: { limits?: Partial<ReconcileLimits>; password?: string } = {}) {
  const clock = new ManualClock();
  const abort = new AbortController();
  const auth = options.password
    ? {
        scheme: "basic" as const,
        credentials: Buffer.from(`${TENANT}/admin:${options.password}`).toString("base64"),
      }
    : admin;
  const seen = { published: [] as LiveDataEvent[], incomplete: 0, refused: 0, log: [] as string[] };
  const r = new OperationsReconciler({
    clock,
    platform: () => createPlatformClient({ auth, requestId: "reconciler-test" }),
    signal: abort.signal,
    ...(options.limits ? { limits: options.limits } : {}),
    publish: (e) => seen.published.push(e),
    onIncomplete: () => (seen.incomplete += 1),
    onRefused: () => (seen.refused += 1),
    log: (line) => seen.log.push(line),
  });
  return { clock, abort, r, seen };
}

const newDevice = async (name: string) =>
  (await rest(p, "POST", "/inventory/managedObjects", { name, c8y_IsDevice: {} })).id as string;
const createOperation = (deviceId: string) =>
  rest(p, "POST", "/devicecontrol/operations", { deviceId, c8y_Restart: {} });
const setStatus = (id: string, status: string) =>
  rest(p, "PUT", `/devicecontrol/operations/${id}`, { status });
const summary = (events: LiveDataEvent[]) =>
  events.map((e) =>
    e.type === "operation.deleted"
      ? [e.type, e.data.id]
      : e.type === "operation.created" || e.type === "operation.updated"
        ? [e.type, e.data.operation.id, e.data.operation.status]
        : [e.type],
  );
/** The operation as GET /api/operations?deviceId= answers it. */
const listedDto = async (deviceId: string, id: string) => {
  const platform = createPlatformClient({ auth: admin, requestId: "reconciler-test" });
  const page = await listOperations(platform, { deviceId, page: 1, pageSize: 100 });
  return page.items.find((o) => o.id === id);
};

describe("after a lost session", () => {
  it("seeds without publishing, then publishes each change once, as the REST routes answer it", async () => {
    const [pump, fan] = [await newDevice("Pump"), await newDevice("Fan")];
    const topics: LiveTopic[] = [`operations:${pump}`, `operations:${fan}`];
    const a = await createOperation(pump);
    const gone = await createOperation(fan);
    const { r, seen } = reconciler();
    for (const topic of topics) r.seed(topic);
    await r.settled();
    expect(seen.published).toEqual([]);
    expect([r.statusOf(a.id), r.statusOf(gone.id)]).toEqual(["PENDING", "PENDING"]);

    // The session is gone while things change on the platform.
    const since = Date.now();
    await setStatus(a.id, "EXECUTING");
    await setStatus(a.id, "SUCCESSFUL");
    const b = await createOperation(pump);
    await setStatus(b.id, "EXECUTING");
    await setStatus(b.id, "FAILED");
    await rest(p, "DELETE", `/devicecontrol/operations?deviceId=${fan}`);

    r.afterGap(topics, since);
    await r.settled();
    expect(summary(seen.published)).toEqual([
      ["operation.updated", a.id, "SUCCESSFUL"],
      ["operation.created", b.id, "FAILED"],
      ["operation.deleted", gone.id],
    ]);
    expect(seen.incomplete).toBe(0);
    expect(r.reconciliations).toBe(1);
    // The REST answer's DTO, exactly.
    const updated = seen.published[0] as Extract<LiveDataEvent, { type: "operation.updated" }>;
    expect(updated.data.operation).toEqual(await listedDto(pump, a.id));

    // Nothing new: a second reconciliation publishes nothing.
    r.afterGap(topics, since);
    await r.settled();
    expect(seen.published).toHaveLength(3);
  });

  it("asks for a resync when a list is longer than it reads", async () => {
    const device = await newDevice("Busy");
    for (let i = 0; i < 3; i++) await createOperation(device);
    const { r, seen } = reconciler({ limits: { pageSize: 2, maxPages: 1 } });
    r.afterGap([`operations:${device}`], Date.now());
    await r.settled();
    expect(seen.incomplete).toBe(1);
  });

  it("asks for a resync when too many operations left the in-flight lists to read each one", async () => {
    const device = await newDevice("Finisher");
    const ops = [await createOperation(device), await createOperation(device)];
    const { r, seen } = reconciler({ limits: { maxSingleReads: 1 } });
    r.seed(`operations:${device}`);
    await r.settled();
    for (const op of ops) await setStatus(op.id, "FAILED");
    // The last contact is later than their creation: only reads by id can find them.
    r.afterGap([`operations:${device}`], Date.now() + 60_000);
    await r.settled();
    expect(seen.incomplete).toBe(1);
    expect(summary(seen.published)).toEqual([["operation.updated", ops[0]!.id, "FAILED"]]);
  });

  it("asks for a resync when the reconciliation fails, and ends the session on a refused credential", async () => {
    const device = await newDevice("Unlucky");
    const failing = reconciler();
    process.env.C8Y_BASEURL = "http://127.0.0.1:9"; // nothing listens there
    try {
      failing.r.afterGap([`operations:${device}`], Date.now());
      await failing.r.settled();
    } finally {
      process.env.C8Y_BASEURL = p.url;
    }
    expect(failing.seen).toMatchObject({ incomplete: 1, refused: 0, published: [] });
    expect(failing.seen.log).toHaveLength(1);

    const refused = reconciler({ password: "wrong" });
    refused.r.seed(`operations:${device}`);
    refused.r.afterGap([`operations:${device}`], Date.now());
    await refused.r.settled();
    expect(refused.seen).toMatchObject({ incomplete: 0, refused: 2, published: [], log: [] });
  });
});

describe("what the platform pushes", () => {
  it("publishes it in order: an older status arriving late is dropped, a final one is never replaced", async () => {
    const device = await newDevice("Pusher");
    const op = await createOperation(device); // the platform's JSON, as a realtime delivery carries it
    const { r, seen } = reconciler();
    r.pushed(op, true);
    r.pushed({ ...op, status: "EXECUTING" }, false);
    r.pushed({ ...op, status: "PENDING" }, false);
    r.pushed({ ...op, status: "SUCCESSFUL" }, false);
    r.pushed({ ...op, status: "FAILED", failureReason: "late" }, false);
    r.pushed({ ...op, status: "EXECUTING" }, false);
    r.pushed({ ...op, status: "SUCCESSFUL", description: "with a result" }, false);
    expect(summary(seen.published)).toEqual([
      ["operation.created", op.id, "PENDING"],
      ["operation.updated", op.id, "EXECUTING"],
      ["operation.updated", op.id, "SUCCESSFUL"],
      ["operation.updated", op.id, "SUCCESSFUL"],
    ]);
    const last = seen.published.at(-1) as Extract<LiveDataEvent, { type: "operation.updated" }>;
    expect(last.data.operation).toMatchObject({ description: "with a result", failureReason: null });
  });

  it("reads numeric ids as strings, ignores what is no operation, and publishes nothing once stopped", async () => {
    const device = await newDevice("Odd");
    const op = await createOperation(device);
    const { abort, r, seen } = reconciler();
    r.pushed({ ...op, id: Number(op.id), deviceId: Number(device) }, true);
    for (const junk of [null, "x", [], { id: op.id }, { ...op, creationTime: undefined }])
      r.pushed(junk, false);
    expect(seen.published).toMatchObject([{ data: { operation: { id: op.id, deviceId: device } } }]);
    r.deleted(op.id, device);
    expect(r.statusOf(op.id)).toBeUndefined();
    abort.abort();
    r.pushed(op, false);
    r.deleted(op.id, device);
    expect(seen.published).toHaveLength(2);
  });
});
