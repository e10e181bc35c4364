import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  AppRouterContext,
  type AppRouterInstance,
} from "next/dist/shared/lib/app-router-context.shared-runtime";
import type { ReactNode } from "react";
import type { SessionUserDto } from "@/lib/schemas/session";
import { SessionUserProvider } from "@/components/shell/session-user-provider";
import { ToastProvider } from "@/components/ui/toast";

export const ADMIN_ROLES = ["ROLE_BULK_OPERATION_ADMIN", "ROLE_INVENTORY_ADMIN", "ROLE_DEVICE_CONTROL_ADMIN"];

export function sessionUser(roles: string[] = ADMIN_ROLES): SessionUserDto {
  return {
    username: "admin",
    tenant: "t1",
    roles,
    can: {
      readDevices: true,
      adminDevices: true,
      readRegistrations: true,
      adminRegistrations: true,
      adminOperations: true,
      readBulkOperations: roles.some((r) => r.startsWith("ROLE_BULK_OPERATION_")),
      adminBulkOperations: roles.includes("ROLE_BULK_OPERATION_ADMIN"),
    },
    platformUrl: "http://platform.test",
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  };
}

/** Where the component under test navigated to. */
export const navigations: string[] = [];

const router: AppRouterInstance = {
  bfcacheId: "test",
  push: (href: string) => void navigations.push(href),
  replace: (href: string) => void navigations.push(href),
  prefetch: () => undefined,
  back: () => undefined,
  forward: () => undefined,
  refresh: () => undefined,
};

/** The providers a console page gives its components: query cache, the operator, toasts, the router. */
export function Providers({
  client,
  roles,
  children,
}: {
  client: QueryClient;
  roles?: string[];
  children: ReactNode;
}) {
  return (
    <AppRouterContext.Provider value={router}>
      <QueryClientProvider client={client}>
        <SessionUserProvider user={sessionUser(roles)}>
          <ToastProvider>{children}</ToastProvider>
        </SessionUserProvider>
      </QueryClientProvider>
    </AppRouterContext.Provider>
  );
}

export const newClient = () =>
  new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
