import type { Principal } from "../../auth/principal.js";
import { forbidden, invalidData, missingFields, PlatformError } from "../../http/errors.js";

/** Error-token prefix of every device control resource (docs/platform-api.md §2.4). */
export const RESOURCE = "devicecontrol";

export const REQUEST_STATUSES = [
  "WAITING_FOR_CONNECTION",
  "PENDING_ACCEPTANCE",
  "ACCEPTED",
  "BLOCKED",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Longest accepted device (external) id; the device user name `device_<id>` must stay reasonable. */
export const MAX_DEVICE_ID_LENGTH = 128;

/** Path words under /devicecontrol/newDeviceRequests/ that name endpoints, so they cannot be request ids. */
const RESERVED_REQUEST_IDS = new Set(["acceptAll", "limit"]);

export function requireAdmin(p: Principal): void {
  if (p.kind !== "admin") throw forbidden();
}

/**
 * Validates the external id of a device as used by registration requests, credentials and bulk rows. Anything a
 * device could not log in with or a client could not address in a URL is refused, so odd ids fail cleanly with 422
 * instead of producing a request nobody can use: a colon would end the Basic user name of `device_<id>`, control
 * characters break headers, "." and ".." are collapsed by URL normalisation, and two ids are endpoint names.
 */
export function deviceIdProblem(id: string): string | undefined {
  if (id.trim() === "") return "must not be blank";
  if (id.length > MAX_DEVICE_ID_LENGTH) return `must not be longer than ${MAX_DEVICE_ID_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(id)) return "must not contain control characters";
  if (id.includes(":"))
    return "must not contain ':' (it would end the device user name in Basic credentials)";
  if (id === "." || id === "..") return "must not be '.' or '..'";
  if (RESERVED_REQUEST_IDS.has(id)) return `'${id}' is reserved`;
  return undefined;
}

/** The `id` field of a request body: missing or empty → the platform's mandatory-field error, bad → 422. */
export function readDeviceId(body: Record<string, unknown>): string {
  const id = body.id;
  if (id === undefined || id === null || id === "") throw missingFields("id");
  if (typeof id !== "string") throw invalidData(RESOURCE, "id must be a string");
  const problem = deviceIdProblem(id);
  if (problem) throw invalidData(RESOURCE, `Invalid device id: ${problem}`);
  return id;
}

/** An optional string field: absent/null → undefined, anything but a string → 422. */
export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidData(RESOURCE, `${name} must be a string`);
  return v;
}

export function deviceUserName(deviceId: string): string {
  return `device_${deviceId}`;
}

/**
 * dateFrom/dateTo query values: a date or date-time; zone-less values are UTC (docs/platform-api.md §2.6). Returned in
 * the stored format (toISOString), so that comparing strings compares instants.
 */
export function parseDateParam(
  query: URLSearchParams,
  name: string,
  resource: string = RESOURCE,
): string | undefined {
  let raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  // An unencoded "+01:00" arrives as " 01:00" (form decoding); take it back rather than failing.
  raw = raw.replace(/ (\d{2}:?\d{2})$/, "+$1");
  const iso = parseTimestamp(raw);
  if (iso === undefined) throw invalidData(resource, `Invalid date for ${name}: '${raw}'`);
  return iso;
}

/**
 * A date or date-time as the platform takes it (zone-less = UTC), normalised to toISOString(); undefined when the
 * text is no such date or names one that does not exist (2025-02-30, 24:00).
 */
export function parseTimestamp(raw: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    raw,
  );
  if (!m) return undefined;
  const time = m[2] ?? "00:00:00";
  let zone = m[3] ?? "Z";
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  // Date.parse rolls 2025-02-30 over into March and 24:00 into the next day; refuse what does not exist.
  const [y, mo, day] = m[1]!.split("-").map(Number) as [number, number, number];
  const [h, min, sec] = time.split(":").map((v) => Number.parseFloat(v)) as [number, number, number?];
  const calendar = new Date(Date.UTC(y, mo - 1, day));
  const zoneHours = zone === "Z" ? 0 : Number(zone.slice(1, 3));
  if (
    calendar.getUTCMonth() !== mo - 1 ||
    calendar.getUTCDate() !== day ||
    h > 23 ||
    min > 59 ||
    (sec ?? 0) >= 60 ||
    zoneHours > 23
  )
    return undefined;
  // Milliseconds only: Date.parse does not take more fraction digits.
  const t = time.replace(/(\.\d{3})\d+$/, "$1");
  const ms = Date.parse(`${m[1]}T${t}${zone}`);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString();
}

/** Reads the `file` part of a multipart/form-data body with the fetch implementation built into Node. */
export async function readMultipartFile(contentType: string | undefined, body: Buffer): Promise<Buffer> {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (essence !== "multipart/form-data")
    throw new PlatformError(
      415,
      `${RESOURCE}/Unsupported Media Type`,
      "Bulk registration expects multipart/form-data with a part named 'file'",
    );
  let form: FormData;
  try {
    form = await new Request("http://platform.invalid/", {
      method: "POST",
      headers: { "content-type": contentType! },
      body: Uint8Array.from(body),
    }).formData();
  } catch {
    throw new PlatformError(400, `${RESOURCE}/Bad Request`, "Could not parse the multipart/form-data body");
  }
  const part = form.get("file");
  if (part === null) throw missingFields("file");
  if (typeof part === "string") return Buffer.from(part, "utf8");
  return Buffer.from(await part.arrayBuffer());
}
