import { startPlatform, type RunningPlatform, type StartOptions } from "../../emulator/platform/server.js";

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
  return Object.assign(running, {
    admin,
    bootstrap: basic("management/devicebootstrap", BOOTSTRAP_PASSWORD),
    request(path: string, init: RequestInit & { auth?: string | null } = {}) {
      const headers = new Headers(init.headers);
      const auth = init.auth === undefined ? admin : init.auth;
      if (auth !== null && !headers.has("authorization")) headers.set("authorization", auth);
      return fetch(`${running.url}${path}`, { ...init, headers });
    },
  });
}
