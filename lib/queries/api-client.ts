import type { z } from "zod";
import { CSRF_HEADER, CSRF_HEADER_VALUE, errorEnvelopeSchema, type ErrorCode } from "@/lib/schemas/common";

/** A BFF error as the UI sees it: the envelope's code and message, plus the HTTP status (0: no answer at all). */
export class BffError extends Error {
  override readonly name = "BffError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly requestId?: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface ApiFetchOptions<T> {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** A plain value is sent as JSON; FormData (file uploads) as multipart. */
  body?: unknown;
  /** Validates the answer; without one the JSON is returned as is. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

/** Where the browser goes when the session has ended: the sign-in page, coming back here afterwards. */
export function loginUrlForHere(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return here === "/" || here.startsWith("/login") ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}

/**
 * The one way client code calls the BFF: adds the cross-site header every mutation needs, parses the error
 * envelope into an BffError, and on 401 (the session ended) sends the browser to /login?next=<this page>.
 * Sign-in calls (/api/auth/…) handle their 401 themselves: a wrong password is not an ended session.
 */
export async function apiFetch<T = unknown>(path: string, options: ApiFetchOptions<T> = {}): Promise<T> {
  if (!path.startsWith("/api/")) throw new Error(`apiFetch only calls the BFF (/api/…), not ${path}`);
  const headers: Record<string, string> = { accept: "application/json", [CSRF_HEADER]: CSRF_HEADER_VALUE };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new BffError(
      0,
      "upstream_unavailable",
      "The console server cannot be reached. Check your connection.",
    );
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json();
    return options.schema ? options.schema.parse(data) : (data as T);
  }

  const error = await readError(res);
  if (res.status === 401 && !path.startsWith("/api/auth/") && typeof window !== "undefined")
    window.location.assign(loginUrlForHere());
  throw error;
}

async function readError(res: Response): Promise<BffError> {
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    raw = undefined;
  }
  const parsed = errorEnvelopeSchema.safeParse(raw);
  if (parsed.success) {
    const { code, message, requestId, fields } = parsed.data.error;
    return new BffError(res.status, code, message, requestId, fields);
  }
  // Not our envelope (a proxy's error page, a crash before the wrapper): never show the raw body.
  const code: ErrorCode =
    res.status === 413 ? "payload_too_large" : res.status >= 500 ? "internal" : "upstream_rejected";
  return new BffError(res.status, code, `The console server answered ${res.status}.`);
}
