import "server-only";
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/** Characters a forwarded id may use: enough for UUIDs and common tracing ids, nothing that could break a log line. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,100}$/;

/** Keeps a well-formed incoming X-Request-Id (from a proxy in front of us), otherwise makes a new one. */
export function requestIdFor(req: Request): string {
  const given = req.headers.get(REQUEST_ID_HEADER);
  return given && ACCEPTABLE.test(given) ? given : randomUUID();
}
