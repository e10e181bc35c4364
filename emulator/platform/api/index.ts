import type { PlatformContext } from "../context.js";
import type { Router } from "../http/router.js";
import { registerTenantApi } from "./tenant.js";

/** Every REST module registers its routes here; literal segments must be registered before parameters. */
export function registerApiModules(router: Router, ctx: PlatformContext): void {
  registerTenantApi(router, ctx);
}
