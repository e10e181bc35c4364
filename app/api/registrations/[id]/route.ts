import { registrationIdSchema } from "@/lib/schemas/registrations";
import { viewForSession } from "@/lib/server/registrations-view";
import { noContent, route, validate } from "@/lib/server/route";
import { deleteRegistration } from "@/lib/server/services/registrations";

// DELETE /api/registrations/[id] – removes a registration request (also resets a BLOCKED one).
export const DELETE = route<{ id: string }>(
  { session: "required" },
  async ({ params, session, platform }) => {
    const id = validate(registrationIdSchema, params.id);
    await deleteRegistration(viewForSession(session), platform(), id);
    return noContent();
  },
);
