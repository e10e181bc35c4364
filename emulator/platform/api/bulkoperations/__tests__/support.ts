// Shared by the bulk operation tests: a platform on a hand-driven clock, devices and groups made through the REST
// API, and readers for bulk operations and their children.
/* eslint-disable @typescript-eslint/no-explicit-any -- response JSON is inspected freely in tests */
import { expect } from "vitest";
import { ManualTime } from "../../../../../tests/support/manual-time.js";
import { startTestPlatform, type TestPlatform } from "../../../../../tests/support/platform.js";
import type { StartOptions } from "../../../server.js";
import { createMo, json, link } from "../../devicecontrol/__tests__/fixtures.js";

export type Json = Record<string, any>;

export const BULK = "/devicecontrol/bulkoperations";
export const AGENT = { c8y_IsDevice: {}, com_cumulocity_model_Agent: {} };

/** A platform whose clock and scheduler only move with `time.advance`. */
export async function startBulkPlatform(
  time = new ManualTime(),
  options: Partial<StartOptions> = {},
): Promise<{ p: TestPlatform; time: ManualTime }> {
  const p = await startTestPlatform({ now: time.now, scheduler: time.scheduler, ...options });
  return { p, time };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** `n` agents (each a device its own operations are routed to), named `<prefix>-<i>`. */
export async function agents(p: TestPlatform, n: number, prefix = "agent"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await createMo(p, { name: `${prefix}-${i}`, fragments: AGENT }));
  return ids;
}

/** A static group holding `members` as child assets. */
export async function staticGroup(p: TestPlatform, members: string[], name = "Group"): Promise<string> {
  const group = await createMo(p, { name, type: "c8y_DeviceGroup", fragments: { c8y_IsDeviceGroup: {} } });
  for (const m of members) await link(p, group, "childAssets", m);
  return group;
}

/** The hidden group the vendor UI creates for a bulk operation (docs/platform-fleet.md §1). */
export function dynamicGroup(p: TestPlatform, query: string): Promise<string> {
  return createMo(p, {
    name: "Bulk operations group",
    type: "c8y_DynamicGroup",
    fragments: { c8y_IsDynamicGroup: { invisible: {} }, c8y_DeviceQueryString: query },
  });
}

export const RESTART = { description: "Restart device", c8y_Restart: {} };

export async function post(p: TestPlatform, body: unknown): Promise<Response> {
  return p.request(BULK, { method: "POST", ...json(body) });
}

/** POSTs and expects 201; returns the bulk operation. */
export async function createBulk(p: TestPlatform, body: Json): Promise<Json> {
  const res = await post(p, { creationRamp: 0, operationPrototype: RESTART, ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Json;
}

export async function getBulk(p: TestPlatform, id: string): Promise<Json> {
  const res = await p.request(`${BULK}/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

export function put(p: TestPlatform, id: string, body: unknown): Promise<Response> {
  return p.request(`${BULK}/${id}`, { method: "PUT", ...json(body) });
}

export async function list(p: TestPlatform, query = ""): Promise<Json> {
  const res = await p.request(`${BULK}?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Json;
}

/** The single operations of a bulk operation, in id order. */
export async function children(p: TestPlatform, bulkId: string, status?: string): Promise<Json[]> {
  const q = new URLSearchParams({ bulkOperationId: bulkId, pageSize: "2000" });
  if (status) q.set("status", status);
  const res = await p.request(`/devicecontrol/operations?${q.toString()}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Json).operations as Json[];
}

export async function setStatus(p: TestPlatform, opId: string, status: string, failureReason?: string) {
  const res = await p.request(`/devicecontrol/operations/${opId}`, {
    method: "PUT",
    ...json(failureReason ? { status, failureReason } : { status }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** progress recounted from the children, as the vendor UI does it, to hold the maintained counters against. */
export async function recount(p: TestPlatform, bulkId: string): Promise<Json> {
  const ops = await children(p, bulkId);
  const n = (s: string) => ops.filter((o) => o.status === s).length;
  return {
    pending: n("PENDING"),
    executing: n("EXECUTING"),
    successful: n("SUCCESSFUL"),
    failed: n("FAILED"),
  };
}

export async function auditOf(p: TestPlatform, bulkId: string): Promise<Json[]> {
  const res = await p.request(`/audit/auditRecords?type=BulkOperation&source=${bulkId}&pageSize=100`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Json).auditRecords as Json[];
}
