import { BULK_UPLOAD_LIMIT, readCsvUpload } from "@/lib/server/upload";
import { json, route } from "@/lib/server/route";
import { bulkRegister } from "@/lib/server/services/registrations";

// POST /api/registrations/bulk – multipart CSV `file` forwarded to the platform's bulk registration.
export const POST = route({ session: "required" }, async ({ req, platform }) => {
  const csv = await readCsvUpload(req, BULK_UPLOAD_LIMIT);
  return json(await bulkRegister(platform(), csv));
});
