// A tiny REST client for simulated devices: Basic auth, the platform's vendor media types, JSON in and out.
// Devices talk to the platform over HTTP only, so this works against the emulator and a real tenant alike.

const VENDOR = "application/vnd.com.nsn.cumulocity.";

/** The vendor media type for a resource token, as devices send it (startup-phase seed, platform-api.md §2.1). */
export function mediaType(token: string): string {
  return `${VENDOR}${token}+json`;
}

export interface Credentials {
  /** Tenant id; undefined sends the bare user name. */
  tenant?: string;
  user: string;
  password: string;
}

export function basicAuth(c: Credentials): string {
  const login = c.tenant ? `${c.tenant}/${c.user}` : c.user;
  return `Basic ${Buffer.from(`${login}:${c.password}`).toString("base64")}`;
}

/** A non-2xx answer; `body` is the parsed error body when there was one. */
export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status}${describe(body)}`);
    this.name = "HttpError";
  }
}

function describe(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as { error?: unknown; message?: unknown };
    const parts = [b.error, b.message].filter((p) => typeof p === "string");
    if (parts.length > 0) return ` (${parts.join(": ")})`;
  }
  return "";
}

export interface RequestOptions {
  body?: unknown;
  /** Vendor token for Content-Type ("managedObject"); plain JSON when absent. */
  type?: string;
  /** Vendor token for Accept; "application/json" when absent. Always sent so POST/PUT return the resource. */
  accept?: string;
  signal?: AbortSignal;
}

export interface Response<T> {
  status: number;
  body: T;
}

export class RestClient {
  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
    /** Aborts every request of this client (the device is shutting down). */
    private readonly signal?: AbortSignal,
  ) {}

  get authorization(): string {
    return basicAuth(this.credentials);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = {
      authorization: this.authorization,
      accept: options.accept ? mediaType(options.accept) : "application/json",
    };
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] = options.type ? mediaType(options.type) : "application/json";
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: payload,
      signal: options.signal ?? this.signal,
    });
    const text = await res.text();
    let body: unknown = undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!res.ok) throw new HttpError(method, path, res.status, body);
    return { status: res.status, body: body as T };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }
  post<T = unknown>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) {
    return this.request<T>("POST", path, { ...options, body });
  }
  put<T = unknown>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) {
    return this.request<T>("PUT", path, { ...options, body });
  }
  delete(path: string, options?: RequestOptions) {
    return this.request("DELETE", path, options);
  }
}

/** The status of an HttpError, or undefined for anything else (network failures, aborts). */
export function statusOf(err: unknown): number | undefined {
  return err instanceof HttpError ? err.status : undefined;
}

/** Encodes one path segment (external ids may contain anything). */
export const seg = (value: string) => encodeURIComponent(value);

/**
 * Whether a failed request is worth repeating as it is: the platform did not answer (network error, timeout) or
 * answered that it cannot right now (5xx, 429). A 4xx other than 429 is an answer that repeating will not change.
 */
export function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status === undefined) return !(err instanceof Error && err.name === "AbortError");
  return status >= 500 || status === 429 || status === 408;
}
