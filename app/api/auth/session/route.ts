import { json, route } from "@/lib/server/route";
import { toSessionUserDto } from "@/lib/server/session";

// GET /api/auth/session – the signed-in operator (never a credential), or 401.
export const GET = route({ session: "required" }, ({ session }) => json(toSessionUserDto(session)));
