// Starts the embedded platform in this process and logs in through the official client, as an operator would.
import { Client } from "@c8y/client";
import { startPlatform, type RunningPlatform } from "../../../emulator/platform/server.ts";

export const TENANT = "t1000";
export const ADMIN_PASSWORD = "c8y-client-admin-password";
const BOOTSTRAP_USER = "management/devicebootstrap";
const BOOTSTRAP_PASSWORD = "c8y-client-bootstrap-password";

export interface Harness {
  platform: RunningPlatform;
  /** Base URL of the platform, e.g. http://127.0.0.1:41234. */
  url: string;
  /** A client logged in as the tenant admin with BasicAuth. */
  client: Client;
  /** base64("management/devicebootstrap:<pw>"), the form Client.deviceBootstrap takes. */
  bootstrapToken: string;
  close(): Promise<void>;
}

/** An in-memory platform on an ephemeral loopback port; the caller closes it (afterAll). */
export async function startHarness(): Promise<Harness> {
  const platform = await startPlatform({
    tenant: TENANT,
    adminPassword: ADMIN_PASSWORD,
    bootstrapPassword: BOOTSTRAP_PASSWORD,
    port: 0,
  });
  const client = withReadableErrors(
    await Client.authenticate({ tenant: TENANT, user: "admin", password: ADMIN_PASSWORD }, platform.url),
  );
  return {
    platform,
    url: platform.url,
    client,
    bootstrapToken: Buffer.from(`${BOOTSTRAP_USER}:${BOOTSTRAP_PASSWORD}`).toString("base64"),
    close: () => platform.close(),
  };
}

/** What @c8y/client throws for an HTTP error: `{res, data}`. */
export interface ClientError {
  res: Response;
  data: { error?: string; message?: string; info?: string } | null;
}

/** A client error as an Error, so a failing test prints status, URL and error body instead of a Response dump. */
export class ClientHttpError extends Error implements ClientError {
  constructor(
    readonly res: Response,
    readonly data: ClientError["data"],
  ) {
    super(`HTTP ${res.status} from ${res.url}: ${JSON.stringify(data)}`);
  }
}

const SERVICES = ["inventory", "identity", "deviceRegistration", "operation", "tenant", "user"] as const;

/**
 * Decorates the rejections of the client's service methods (still the client's own calls) so that `{res, data}`
 * becomes a ClientHttpError carrying the same `res` and `data`.
 */
export function withReadableErrors(client: Client): Client {
  for (const key of SERVICES) {
    const service = client[key] as unknown as Record<string, unknown>;
    const names = new Set<string>();
    for (
      let proto = Object.getPrototypeOf(service);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    )
      for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
    for (const name of names) {
      const own = Object.getOwnPropertyDescriptor(service, name);
      const fn = service[name];
      if (name === "constructor" || own?.get || typeof fn !== "function") continue;
      service[name] = function (this: unknown, ...args: unknown[]) {
        const result: unknown = fn.apply(this, args);
        return result instanceof Promise ? result.catch(readable) : result;
      };
    }
  }
  return client;
}

function readable(err: unknown): never {
  if (err && typeof err === "object" && !(err instanceof Error) && "res" in err) {
    const { res, data } = err as ClientError;
    throw new ClientHttpError(res, data);
  }
  throw err;
}

/** Awaits a call that must fail and returns the client's `{res, data}` for assertions. */
export async function failure(call: Promise<unknown>): Promise<ClientError> {
  try {
    await call;
  } catch (err) {
    if (err && typeof err === "object" && "res" in err) return err as ClientError;
    throw err;
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** A name unique within one test run, so tests never see each other's objects. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
