/** Who is calling. Admin: every role. Device: its own objects. Bootstrap: deviceCredentials only. */
export interface Principal {
  readonly tenant: string;
  readonly username: string;
  readonly kind: "admin" | "device" | "bootstrap";
  /** How the request authenticated: cookie-authenticated writes need the XSRF header. */
  readonly via: "basic" | "bearer" | "cookie";
  /** For token/cookie auth: the token id, so logout can revoke it. */
  readonly tokenId?: string;
}

export const ADMIN_ROLES = [
  "ROLE_INVENTORY_READ",
  "ROLE_INVENTORY_ADMIN",
  "ROLE_INVENTORY_CREATE",
  "ROLE_IDENTITY_READ",
  "ROLE_IDENTITY_ADMIN",
  "ROLE_DEVICE_CONTROL_READ",
  "ROLE_DEVICE_CONTROL_ADMIN",
  "ROLE_USER_MANAGEMENT_OWN_READ",
  "ROLE_USER_MANAGEMENT_OWN_ADMIN",
  "ROLE_USER_MANAGEMENT_READ",
  "ROLE_USER_MANAGEMENT_ADMIN",
  "ROLE_TENANT_MANAGEMENT_READ",
  "ROLE_BULK_OPERATION_READ",
  "ROLE_BULK_OPERATION_ADMIN",
] as const;

export const DEVICE_ROLES = ["ROLE_USER_MANAGEMENT_OWN_READ"] as const;
export const BOOTSTRAP_ROLES = ["ROLE_DEVICE_BOOTSTRAP"] as const;

export function rolesOf(p: Principal): readonly string[] {
  return p.kind === "admin" ? ADMIN_ROLES : p.kind === "device" ? DEVICE_ROLES : BOOTSTRAP_ROLES;
}
