import { e2eEnv } from "./env";

/**
 * The emulator's REST API as the specs use it to seed data and to check what a journey really wrote: admin Basic
 * auth by default, the bootstrap user for device knocks. Answers are returned, not thrown, so a spec can assert
 * on a 404 as well; `restOk` throws with the body for seeding calls that must succeed.
 */

const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;

export const adminAuth = () => {
  const env = e2eEnv();
  return basic(`${env.tenant}/admin`, env.adminPassword);
};

export const bootstrapAuth = () => basic("management/devicebootstrap", e2eEnv().bootstrapPassword);

export interface RestInit {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** JSON-encoded unless it is a string. */
  body?: unknown;
  /** Content type of the body; default application/json. */
  type?: string;
  /** Authorization header value; default the admin, null for none. */
  auth?: string | null;
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
  const auth = init.auth === undefined ? adminAuth() : init.auth;
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth !== null) headers.authorization = auth;
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  const res = await fetch(`${e2eEnv().emulatorUrl}${path}`, {
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
export async function registerDevice(id: string): Promise<void> {
  await restOk("/devicecontrol/newDeviceRequests", { body: { id } });
}

/** One credentials poll as a device makes it (seed step 0); its HTTP status (404 until accepted, then 200). */
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
export async function deviceIdBySerial(serial: string): Promise<string | undefined> {
  const answer = await rest<{ managedObject: { id: string } }>(
    `/identity/externalIds/c8y_Serial/${encodeURIComponent(serial)}`,
  );
  return answer.status === 200 ? answer.body!.managedObject.id : undefined;
}

export async function managedObject(id: string): Promise<RestAnswer> {
  return rest(`/inventory/managedObjects/${encodeURIComponent(id)}`);
}

/** Creates a managed object and returns its id. */
export async function createManagedObject(body: Record<string, unknown>): Promise<string> {
  return String((await restOk<{ id: string }>("/inventory/managedObjects", { body })).id);
}
