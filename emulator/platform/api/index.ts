import type { PlatformContext } from "../context.js";
import type { Router } from "../http/router.js";
import { registerTenantApi } from "./tenant.js";
import { registerAuditApi } from "./audit/routes.js";
import { registerBulkOperationsApi } from "./bulkoperations/routes.js";
import { registerDeviceControlApi } from "./devicecontrol/routes.js";
import { registerOperationsApi } from "./operations/routes.js";
import { registerIdentityApi } from "./identity/routes.js";
import { registerInventoryApi } from "./inventory/routes.js";

/** Every REST module registers its routes here; literal segments must be registered before parameters. */
export function registerApiModules(router: Router, ctx: PlatformContext): void {
  registerTenantApi(router, ctx);
  registerDeviceControlApi(router, ctx);
  registerOperationsApi(router, ctx);
  registerBulkOperationsApi(router, ctx);
  registerIdentityApi(router, ctx);
  registerInventoryApi(router, ctx);
  registerAuditApi(router, ctx);
}
