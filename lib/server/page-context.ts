import "server-only";
import { randomUUID } from "node:crypto";
import { getSessionData, redirectToLogin } from "./session";
import { createPlatformClient, type PlatformClient } from "./upstream/client";

export interface PageContext {
  /** A platform client carrying the operator's credential, for prefetching through the services. */
  platform: PlatformClient;
}

/**
 * For server pages under the console that read the platform before the browser does: the signed-in operator's
 * platform client. Without a valid session the browser goes to /login?next=<this page>.
 */
export async function requirePageContext(): Promise<PageContext> {
  const session = (await getSessionData()) ?? (await redirectToLogin());
  return {
    platform: createPlatformClient({ auth: session.auth, requestId: randomUUID() }),
  };
}
