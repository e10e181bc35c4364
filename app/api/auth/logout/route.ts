import { noContent, route } from "@/lib/server/route";
import { signOut } from "@/lib/server/services/auth";

// POST /api/auth/logout – invalidates the platform token and destroys the session; idempotent.
export const POST = route(
  { session: "optional" },
  async ({ session, platformWith, clearSession, requestId }) => {
    if (session) await signOut(session, platformWith(session.auth), requestId);
    clearSession();
    return noContent();
  },
);
