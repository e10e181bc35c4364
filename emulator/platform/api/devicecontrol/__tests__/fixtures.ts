// Test set-up shared by the device control tests: managed objects, references and identities are made and read
// through the platform's own REST API (as the admin unless said otherwise).
import { request as httpRequest } from "node:http";
import type { ChangeEvent } from "../../../events.js";
import { basic, TENANT, type TestPlatform } from "../../../../../tests/support/platform.js";

export const VENDOR = "application/vnd.com.nsn.cumulocity.";
export const json = (body: unknown) => ({
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body),
});

async function ok<T>(res: Response, what: string): Promise<T> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface MoSpec {
  name?: string;
  type?: string;
  /** Defaults to the admin; devices registered for a device user are owned by `device_<id>`. */
  owner?: string;
  /** Defaults to a plain device ({c8y_IsDevice: {}}). */
  fragments?: Record<string, unknown>;
}

export async function createMo(p: TestPlatform, spec: MoSpec = {}): Promise<string> {
  const body: Record<string, unknown> = { ...(spec.fragments ?? { c8y_IsDevice: {} }) };
  if (spec.name !== undefined) body.name = spec.name;
  if (spec.type !== undefined) body.type = spec.type;
  const mo = await ok<{ id: string }>(
    await p.request("/inventory/managedObjects", { method: "POST", ...json(body) }),
    "create managed object",
  );
  // A create always belongs to its creator; the owner is handed over afterwards, as the platform allows.
  if (spec.owner !== undefined)
    await ok(
      await p.request(`/inventory/managedObjects/${mo.id}`, {
        method: "PUT",
        ...json({ owner: spec.owner }),
      }),
      "hand the managed object over",
    );
  return mo.id;
}

export async function link(
  p: TestPlatform,
  parent: string,
  kind: "childDevices" | "childAssets",
  child: string,
): Promise<void> {
  const res = await p.request(`/inventory/managedObjects/${parent}/${kind}`, {
    method: "POST",
    ...json({ managedObject: { id: child } }),
  });
  await ok(res, `link ${child} into ${parent}/${kind}`);
}

export async function bindExternalId(
  p: TestPlatform,
  type: string,
  value: string,
  moId: string,
): Promise<void> {
  const res = await p.request(`/identity/globalIds/${moId}/externalIds`, {
    method: "POST",
    ...json({ type, externalId: value }),
  });
  await ok(res, `bind ${type}/${value}`);
}

export async function childrenOf(
  p: TestPlatform,
  parent: string,
  kind: "childDevices" | "childAssets",
): Promise<string[]> {
  const body = await ok<{ references: { managedObject: { id: string } }[] }>(
    await p.request(`/inventory/managedObjects/${parent}/${kind}?pageSize=2000`),
    "list children",
  );
  return body.references.map((r) => r.managedObject.id);
}

export async function readMo(p: TestPlatform, id: string): Promise<Record<string, unknown>> {
  return ok(await p.request(`/inventory/managedObjects/${id}`), `read managed object ${id}`);
}

/** The object an external id is bound to, or undefined. */
export async function externalIdTarget(
  p: TestPlatform,
  type: string,
  value: string,
): Promise<string | undefined> {
  const res = await p.request(
    `/identity/externalIds/${encodeURIComponent(type)}/${encodeURIComponent(value)}`,
  );
  if (res.status === 404) return undefined;
  return (await ok<{ managedObject: { id: string } }>(res, "resolve external id")).managedObject.id;
}

/** Groups (c8y_IsDeviceGroup) with this name, in id order. */
export async function groupsNamed(p: TestPlatform, name: string): Promise<string[]> {
  const body = await ok<{ managedObjects: { id: string; name?: string }[] }>(
    await p.request("/inventory/managedObjects?fragmentType=c8y_IsDeviceGroup&pageSize=2000"),
    "list groups",
  );
  return body.managedObjects.filter((m) => m.name === name).map((m) => m.id);
}

export async function countOf(p: TestPlatform, path: string): Promise<number> {
  const sep = path.includes("?") ? "&" : "?";
  const body = await ok<{ statistics: { totalElements: number } }>(
    await p.request(`${path}${sep}pageSize=1&withTotalElements=true`),
    `count ${path}`,
  );
  return body.statistics.totalElements;
}

/** A device user as registration would create it; returns its Authorization header. */
export async function deviceUser(
  p: TestPlatform,
  username: string,
  password = "device-password-1",
): Promise<string> {
  await p.platform.ctx.users.upsert(TENANT, username, password, "device");
  return basic(`${TENANT}/${username}`, password);
}

/** Records every change event from now on; call the returned stop() in the test. */
export function recordEvents(p: TestPlatform): { events: ChangeEvent[]; stop: () => void } {
  const events: ChangeEvent[] = [];
  const stop = p.platform.ctx.events.subscribe((e) => events.push(e));
  return { events, stop };
}

/** Asserts the platform error shape and returns the body. */
export async function errorOf(res: Response): Promise<{ error: string; message: string; info: string }> {
  const body = (await res.json()) as { error: string; message: string; info: string };
  if (typeof body.error !== "string" || typeof body.message !== "string" || typeof body.info !== "string")
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  if (!res.headers.get("content-type")?.startsWith(`${VENDOR}error+json`))
    throw new Error(`error content type: ${res.headers.get("content-type")}`);
  return body;
}

/** A request with no Accept header at all (fetch always sends one), as the admin; the body is read as text. */
export function withoutAccept(
  p: TestPlatform,
  method: string,
  path: string,
  body: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${p.url}${path}`,
      { method, headers: { authorization: p.admin, "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A request as the admin that skips the contract check: only for tests that break the database on purpose, where
 * the 500 they provoke is no part of the contract.
 */
export function faultyRequest(p: TestPlatform, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", p.admin);
  return fetch(`${p.url}${path}`, { ...init, headers });
}
