import "server-only";
import { ApiError } from "./errors";
import { readLimitedBody } from "./route";

/** Largest bulk-registration upload (the whole multipart request): ~20,000 lines of a typical CSV. */
export const BULK_UPLOAD_LIMIT = 1024 * 1024;

/**
 * The `file` part of a multipart upload as text. The body is read under the size limit before it is parsed, so
 * an oversized upload costs at most `limit` bytes of memory. The platform takes UTF-8 or ANSI (§5.3); bytes that
 * are not UTF-8 are read as Windows-1252 and forwarded as UTF-8.
 */
export async function readCsvUpload(req: Request, limit: number): Promise<{ text: string; name: string }> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data"))
    throw new ApiError("invalid_input", "Upload the CSV as multipart/form-data with a part named file.");
  const bytes = await readLimitedBody(req, limit);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("invalid_input", "The upload could not be read as a form.");
  }
  const file = form.get("file");
  if (!(file instanceof Blob))
    throw new ApiError("invalid_input", "The upload has no file.", { fields: { file: "Choose a CSV file" } });
  if (file.size === 0)
    throw new ApiError("invalid_input", "The CSV file is empty.", { fields: { file: "The file is empty" } });
  const raw = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    text = new TextDecoder("windows-1252").decode(raw);
  }
  const name =
    file instanceof File && file.name ? file.name.replace(/[^\w.-]+/g, "_").slice(0, 100) : "devices.csv";
  return { text, name };
}
