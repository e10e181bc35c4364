import "server-only";
import type { ErrorCode, ErrorEnvelope } from "@/lib/schemas/common";

/** The one code → status table (docs/style.md rule 6). Upstream 4xx keep the platform's status instead (see below). */
export const ERROR_STATUS = {
  bad_json: 400,
  bad_path: 400,
  invalid_input: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  cross_site_refused: 403,
  upstream_rejected: 400,
  upstream_unavailable: 502,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** An error the BFF answers with as it is: code, status and a message safe to show to the operator. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly fields: Record<string, string> | undefined;
  /** More of the answer beside the envelope, e.g. the object as it is now for a conflict. */
  readonly extra: Record<string, unknown> | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: {
      status?: number;
      fields?: Record<string, string>;
      extra?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status ?? ERROR_STATUS[code];
    this.fields = options.fields;
    this.extra = options.extra;
  }
}

/**
 * A platform answer other than 2xx, normalised by the upstream middleware. `message` is the platform's own human
 * text (its error body's `message`), never the raw body.
 */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    readonly status: number,
    /** The platform's `<resource>/<name>` token, e.g. `devicecontrol/Not Found`. */
    readonly token: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The platform could not be reached, timed out, or answered 5xx. */
export class UpstreamUnavailableError extends Error {
  override readonly name = "UpstreamUnavailableError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

const GENERIC_UPSTREAM_MESSAGE: Record<number, string> = {
  400: "The platform rejected the request.",
  403: "Your user is not allowed to do this on the platform.",
  404: "The platform does not know this object.",
  409: "The platform reports a conflict with existing data.",
  413: "The request is too large for the platform.",
  422: "The platform rejected the data as invalid.",
};

/** Maps an upstream 4xx to the BFF's code, keeping the platform's status (docs/style.md rule 6). */
export function fromUpstream(err: UpstreamError): ApiError {
  const message =
    err.message || GENERIC_UPSTREAM_MESSAGE[err.status] || `The platform answered ${err.status}.`;
  switch (err.status) {
    case 401:
      return new ApiError("unauthenticated", "Your session has ended. Sign in again.");
    case 403:
      return new ApiError("forbidden", message);
    case 404:
      return new ApiError("not_found", message);
    case 409:
      return new ApiError("conflict", message);
    case 413:
      return new ApiError("payload_too_large", message);
    default:
      return new ApiError("upstream_rejected", message, { status: err.status });
  }
}

/** Turns anything thrown in a handler into the status and envelope it answers with. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof UpstreamError) {
    if (err.status >= 500)
      return new ApiError("upstream_unavailable", "The platform is not available right now.");
    return fromUpstream(err);
  }
  if (err instanceof UpstreamUnavailableError)
    return new ApiError(
      "upstream_unavailable",
      "The platform cannot be reached right now. Try again shortly.",
    );
  return new ApiError("internal", "Something went wrong on the console server.");
}

/** The body of an error answer: the envelope, and beside it whatever the error carries along. */
export function envelope(err: ApiError, requestId: string): ErrorEnvelope & Record<string, unknown> {
  return {
    ...err.extra,
    error: {
      code: err.code,
      message: err.message,
      requestId,
      ...(err.fields ? { fields: err.fields } : {}),
    },
  };
}

/**
 * A log line for a failed request: names, codes and messages only. Headers, bodies and causes may carry
 * credentials, so they are never written.
 */
export function logFailure(
  requestId: string,
  method: string,
  path: string,
  err: unknown,
  answered: ApiError,
) {
  if (answered.status < 500 && answered.code !== "upstream_rejected") return;
  const what =
    err instanceof Error
      ? `${err.name}: ${err instanceof UpstreamError ? `${err.status} ${err.token ?? ""}` : err.message.slice(0, 300)}`
      : typeof err;
  console.error(`[bff] ${requestId} ${method} ${path} → ${answered.status} ${answered.code} (${what})`);
}
