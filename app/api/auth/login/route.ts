import { loginRequestSchema } from "@/lib/schemas/session";
import { json, parseJson, route } from "@/lib/server/route";
import { toSessionUserDto } from "@/lib/server/session";
import { signIn } from "@/lib/server/services/auth";

// POST /api/auth/login – signs in against the platform and starts the session cookie; answers the SessionUserDto.
export const POST = route({ session: "optional" }, async ({ req, platformWith, setSession }) => {
  const input = await parseJson(req, loginRequestSchema, 8 * 1024);
  const session = await signIn(input, platformWith);
  setSession(session);
  return json(toSessionUserDto(session));
});
