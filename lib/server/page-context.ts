import "server-only";
import { randomUUID } from "node:crypto";
import { viewForSession, type RegistrationsView } from "./registrations-view";
import { getSessionData, redirectToLogin } from "./session";
import { createPlatformClient, type PlatformClient } from "./upstream/client";

export interface PageContext {
  /** A platform client carrying the operator's credential, for prefetching through the services. */
  platform: PlatformClient;
  /** The operator's credential's shared view of registration requests (docs/registrations-cost.md). */
  registrations: RegistrationsView;
}

/**
 * For server pages under the console that read the platform before the browser does: the signed-in operator's
 * platform client. Without a valid session the browser goes to /login?next=<this page>.
 */
export async function requirePageContext(): Promise<PageContext> {
  const session = (await getSessionData()) ?? (await redirectToLogin());
  return {
    platform: createPlatformClient({ auth: session.auth, requestId: randomUUID() }),
    registrations: viewForSession(session),
  };
}
