// The platform's error body is {error, message, info}; `error` is "<resource>/<name>" (docs/platform-api.md §2.4).
export const ERROR_INFO_URL = "https://www.cumulocity.com/guides/reference-guide/#error_reporting";

export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: string; message: string; info: string } {
    return { error: this.error, message: this.message, info: ERROR_INFO_URL };
  }
}

export const unauthorized = (message = "Invalid credentials! : Bad credentials") =>
  new PlatformError(401, "security/Unauthorized", message);
export const forbidden = (message = "Access is denied") =>
  new PlatformError(403, "security/Forbidden", message);
export const notFound = (resource: string, message: string) =>
  new PlatformError(404, `${resource}/Not Found`, message);
export const invalidData = (resource: string, message: string) =>
  new PlatformError(422, `${resource}/Invalid Data`, message);
export const badRequest = (resource: string, message: string) =>
  new PlatformError(400, `${resource}/Bad Request`, message);
export const duplicate = (resource: string, message: string) =>
  new PlatformError(409, `${resource}/Duplicate`, message);
export const missingFields = (...fields: string[]) =>
  new PlatformError(
    422,
    "undefined/validationError",
    `Following mandatory fields should be included: ${fields.join(",")}`,
  );
