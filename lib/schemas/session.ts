import { z } from "zod";

export const loginRequestSchema = z.object({
  tenant: z.string().trim().max(64).optional(),
  username: z.string().trim().min(1, "Enter your username").max(256),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** What the browser learns about the signed-in operator: never a credential. */
export const sessionUserDtoSchema = z.object({
  username: z.string(),
  tenant: z.string(),
  roles: z.array(z.string()),
  /** Derived from roles: which actions the UI offers. */
  can: z.object({
    readDevices: z.boolean(),
    adminDevices: z.boolean(),
    readRegistrations: z.boolean(),
    adminRegistrations: z.boolean(),
    adminOperations: z.boolean(),
    readBulkOperations: z.boolean(),
    adminBulkOperations: z.boolean(),
  }),
  platformUrl: z.string(),
  expiresAt: z.string(),
});
export type SessionUserDto = z.infer<typeof sessionUserDtoSchema>;

/** Names the session cookie can have (`__Host-` in production over https); not secret, proxy.ts checks them. */
export const SESSION_COOKIE_NAMES = ["__Host-c8y-console", "c8y-console"] as const;
/** Request header proxy.ts sets so server layouts know which page to return to after sign-in. */
export const PAGE_PATH_HEADER = "x-c8y-console-path";
