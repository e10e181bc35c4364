import { BULK_UPLOAD_LIMIT, readCsvUpload } from "@/lib/server/upload";
import { viewForSession } from "@/lib/server/registrations-view";
import { json, route } from "@/lib/server/route";
import { bulkRegister } from "@/lib/server/services/registrations";

// POST /api/registrations/bulk – multipart CSV `file` forwarded to the platform's bulk registration.
export const POST = route({ session: "required" }, async ({ req, session, platform }) => {
  const csv = await readCsvUpload(req, BULK_UPLOAD_LIMIT);
  return json(await bulkRegister(viewForSession(session), platform(), csv));
});
