import { startPlatform, type RunningPlatform, type StartOptions } from "../../emulator/platform/server.js";
import { validateFetchResponse } from "./contract.js";

export const ADMIN_PASSWORD = "admin-test-password";
export const BOOTSTRAP_PASSWORD = "bootstrap-test-password";
export const TENANT = "t1000";

export interface TestPlatform extends RunningPlatform {
  /** Authorization header value for the tenant admin (tenant/user form). */
  admin: string;
  /** Authorization header value for the bootstrap user. */
  bootstrap: string;
  /** fetch against the platform with the admin's credentials unless headers say otherwise. */
  request(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response>;
  /** The platform's form login (`/tenant/oauth/token` for a bearer JWT, `/tenant/oauth` for the cookie pair). */
  formLogin(
    endpoint: "/tenant/oauth/token" | "/tenant/oauth",
    credentials?: { username?: string; password?: string },
  ): Promise<Response>;
}

/**
 * Every response of `request()` is held to lib/server/upstream/platform.openapi.yaml (a mismatch throws
 * ContractViolation), so emulator and console cannot drift apart silently; see docs/contract.md.
 * CONTRACT_VALIDATION=0 turns it off for a local experiment only.
 */
const CONTRACT_VALIDATION = process.env.CONTRACT_VALIDATION !== "0";

/** The method the platform executes: POST with X-HTTP-METHOD: PUT|DELETE stands for that method. */
function effectiveMethod(method: string | undefined, headers: Headers): string {
  const m = (method ?? "GET").toUpperCase();
  const override = headers.get("x-http-method")?.toUpperCase();
  return m === "POST" && (override === "PUT" || override === "DELETE") ? override : m;
}

export const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;

/** A real platform on an ephemeral loopback port; the caller closes it (afterAll). */
export async function startTestPlatform(options: Partial<StartOptions> = {}): Promise<TestPlatform> {
  const running = await startPlatform({
    adminPassword: ADMIN_PASSWORD,
    bootstrapPassword: BOOTSTRAP_PASSWORD,
    tenant: TENANT,
    port: 0,
    ...options,
  });
  const admin = basic(`${TENANT}/admin`, ADMIN_PASSWORD);
  const platform = Object.assign(running, {
    admin,
    bootstrap: basic("management/devicebootstrap", BOOTSTRAP_PASSWORD),
    async request(path: string, init: RequestInit & { auth?: string | null } = {}) {
      const headers = new Headers(init.headers);
      const auth = init.auth === undefined ? admin : init.auth;
      if (auth !== null && !headers.has("authorization")) headers.set("authorization", auth);
      const res = await fetch(`${running.url}${path}`, { ...init, headers });
      if (CONTRACT_VALIDATION) await validateFetchResponse(effectiveMethod(init.method, headers), path, res);
      return res;
    },
    formLogin(
      endpoint: "/tenant/oauth/token" | "/tenant/oauth",
      credentials: { username?: string; password?: string } = {},
    ) {
      return platform.request(`${endpoint}?tenant_id=${TENANT}`, {
        method: "POST",
        auth: null,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "PASSWORD",
          username: credentials.username ?? "admin",
          password: credentials.password ?? ADMIN_PASSWORD,
        }).toString(),
      });
    },
  });
  return platform;
}

/** The tables that hold what a client writes: the bad-input sweeps compare them before and after a refusal. */
const WRITTEN_TABLES = [
  "managed_objects",
  "mo_fragments",
  "mo_refs",
  "external_ids",
  "device_requests",
  "device_group_assignments",
  "operations",
  "users",
  "audit_records",
  "bulk_operations",
  "bulk_operation_targets",
];

/** Everything the platform holds, as text, to prove that a refused request wrote nothing. */
export function storedData(platform: RunningPlatform): string {
  const db = platform.platform.ctx.db;
  return WRITTEN_TABLES.map(
    (t) => `${t}:${JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all())}`,
  ).join("\n");
}
