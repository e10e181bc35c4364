import { apiFetch } from "./api-client";

/** Ends the session on the server (idempotent: an already-ended session is fine). */
export function signOut(): Promise<void> {
  return apiFetch<void>("/api/auth/logout", { method: "POST" });
}
