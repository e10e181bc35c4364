import { expect } from "@playwright/test";
import type { EmulatorProcess } from "../../tests/support/emulator-process";
import { e2eEnv } from "./env";

/**
 * The emulator's REST API as the specs use it to seed data and to check what a journey really wrote: admin Basic
 * auth by default, the bootstrap user for device knocks. Answers are returned, not thrown, so a spec can assert
 * on a 404 as well; `restOk` throws with the body for seeding calls that must succeed. Every helper talks to the
 * shared emulator of the run unless given another one (a journey that starts and restarts its own).
 */

/** An emulator the helpers can talk to. */
export type Emulator = Pick<EmulatorProcess, "url" | "adminAuth" | "bootstrapPassword">;

const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;

/** The emulator e2e/global-setup.ts started for the whole run. */
export function sharedEmulator(): Emulator {
  const env = e2eEnv();
  return {
    url: env.emulatorUrl,
    adminAuth: basic(`${env.tenant}/admin`, env.adminPassword),
    bootstrapPassword: env.bootstrapPassword,
  };
}

export const bootstrapAuth = () => basic("management/devicebootstrap", e2eEnv().bootstrapPassword);

export interface RestInit {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** JSON-encoded unless it is a string. */
  body?: unknown;
  /** Content type of the body; default application/json. */
  type?: string;
  /** Authorization header value; default the admin, null for none. */
  auth?: string | null;
  /** Default: the shared emulator. */
  emulator?: Emulator;
}

export interface RestAnswer<T = Record<string, unknown>> {
  status: number;
  /** The parsed JSON body, undefined for empty or non-JSON answers. */
  body: T | undefined;
}

export async function rest<T = Record<string, unknown>>(
  path: string,
  init: RestInit = {},
): Promise<RestAnswer<T>> {
  const emulator = init.emulator ?? sharedEmulator();
  const auth = init.auth === undefined ? emulator.adminAuth : init.auth;
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth !== null) headers.authorization = auth;
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  const res = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: T | undefined;
  try {
    body = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/** A seeding call that must succeed: throws with the platform's answer otherwise. */
export async function restOk<T = Record<string, unknown>>(path: string, init: RestInit = {}): Promise<T> {
  const answer = await rest<T>(path, init);
  if (answer.status >= 300)
    throw new Error(
      `${init.method ?? "GET"} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
    );
  return answer.body as T;
}

const requestPath = (id: string) => `/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`;

/** Registers a device id as the admin (WAITING_FOR_CONNECTION). */
export async function registerDevice(id: string, emulator?: Emulator): Promise<void> {
  await restOk("/devicecontrol/newDeviceRequests", { body: { id }, emulator });
}

/** Registers the id, waits for its device to knock, and accepts it (docs/startup-phase.md step 0 from the operator's side). */
export async function registerAndAccept(id: string, emulator?: Emulator): Promise<void> {
  await registerDevice(id, emulator);
  await expect
    .poll(async () => (await rest<{ status: string }>(requestPath(id), { emulator })).body?.status, {
      timeout: 30_000,
    })
    .toBe("PENDING_ACCEPTANCE");
  await restOk(requestPath(id), { method: "PUT", body: { status: "ACCEPTED" }, emulator });
}

/** One credentials poll as a device makes it (docs/startup-phase.md step 0); its HTTP status (404 until accepted, then 200). */
export async function knock(id: string): Promise<number> {
  const answer = await rest("/devicecontrol/deviceCredentials", {
    body: { id },
    type: "application/vnd.com.nsn.cumulocity.deviceCredentials+json",
    auth: bootstrapAuth(),
  });
  return answer.status;
}

/** The request's status, or "GONE" when there is none (never registered, removed, or credentials collected). */
export async function registrationStatus(id: string): Promise<string> {
  const answer = await rest<{ status: string }>(requestPath(id));
  if (answer.status === 404) return "GONE";
  if (answer.status !== 200) throw new Error(`GET ${requestPath(id)} answered ${answer.status}`);
  return answer.body!.status;
}

/** Registers the ids and knocks once for each, so they all end up PENDING_ACCEPTANCE; `concurrency` in flight. */
export async function seedPendingRequests(ids: readonly string[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      await registerDevice(id);
      const status = await knock(id);
      if (status !== 404) throw new Error(`the knock of ${id} answered ${status}, expected 404`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
}

/** The managed object id bound to a c8y_Serial external id, or undefined. */
export async function deviceIdBySerial(serial: string, emulator?: Emulator): Promise<string | undefined> {
  const answer = await rest<{ managedObject: { id: string } }>(
    `/identity/externalIds/c8y_Serial/${encodeURIComponent(serial)}`,
    { emulator },
  );
  return answer.status === 200 ? answer.body!.managedObject.id : undefined;
}

/** The object a device created and bound to its serial (docs/startup-phase.md steps 1–3), once it has. */
export async function deviceBySerial(
  serial: string,
  emulator?: Emulator,
): Promise<{ id: string; name: string }> {
  await expect.poll(() => deviceIdBySerial(serial, emulator), { timeout: 30_000 }).toBeDefined();
  const id = (await deviceIdBySerial(serial, emulator))!;
  const mo = await restOk<{ name?: string }>(`/inventory/managedObjects/${id}`, { emulator });
  return { id, name: String(mo.name) };
}

export async function managedObject(id: string): Promise<RestAnswer> {
  return rest(`/inventory/managedObjects/${encodeURIComponent(id)}`);
}

/** Creates a managed object and returns its id. */
export async function createManagedObject(body: Record<string, unknown>): Promise<string> {
  return String((await restOk<{ id: string }>("/inventory/managedObjects", { body })).id);
}

/** Creates objects 50 at a time through the collection media type; their ids in order. */
export async function createManagedObjects(bodies: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 50) {
    const answer = await restOk<{ managedObjects: { id: string }[] }>("/inventory/managedObjects", {
      body: { managedObjects: bodies.slice(i, i + 50) },
      type: "application/vnd.com.nsn.cumulocity.managedObjectCollection+json",
    });
    ids.push(...answer.managedObjects.map((m) => String(m.id)));
  }
  return ids;
}

/** Links objects below a parent as child devices or child assets. */
export async function linkChildren(
  parent: string,
  kind: "childAssets" | "childDevices",
  ids: string[],
): Promise<void> {
  await restOk(`/inventory/managedObjects/${parent}/${kind}`, {
    body: { references: ids.map((id) => ({ managedObject: { id } })) },
    type: "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json",
  });
}
