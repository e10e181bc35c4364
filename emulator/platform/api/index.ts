import type { PlatformContext } from "../context.js";
import type { Router } from "../http/router.js";
import { registerTenantApi } from "./tenant.js";
import { registerBulkRegistrationApi } from "./bulk-registration.js";
import { registerDeviceCredentialsApi } from "./device-credentials.js";
import { registerDeviceRequestsApi } from "./device-requests.js";
import { registerOperationsApi } from "./operations.js";
import { registerIdentityApi } from "./identity.js";
import { registerInventoryApi } from "./inventory/routes.js";

/** Every REST module registers its routes here; literal segments must be registered before parameters. */
export function registerApiModules(router: Router, ctx: PlatformContext): void {
  registerTenantApi(router, ctx);
  registerDeviceRequestsApi(router, ctx);
  registerDeviceCredentialsApi(router, ctx);
  registerBulkRegistrationApi(router, ctx);
  registerOperationsApi(router, ctx);
  registerIdentityApi(router, ctx);
  registerInventoryApi(router, ctx);
}
