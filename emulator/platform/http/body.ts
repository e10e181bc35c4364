import type { IncomingMessage } from "node:http";
import { PlatformError } from "./errors.js";
import { jsonProblem, MAX_BODY_NESTING } from "./limits.js";
import { isJsonContentType } from "./media.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Reads the whole body (chunked or not), refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): PlatformError {
  return new PlatformError(413, "general/Request Entity Too Large", `Request body exceeds ${limit} bytes`);
}

/**
 * Parses a JSON body; `resource` names the error token's prefix ("inventory", "devicecontrol", …). A body nested
 * deeper than any API accepts, or with a number out of range (1e999), is 422 here, for every route alike.
 */
export async function readJson(req: IncomingMessage, resource: string, limit?: number): Promise<unknown> {
  if (!isJsonContentType(req.headers["content-type"])) {
    req.resume();
    throw new PlatformError(
      415,
      `${resource}/Unsupported Media Type`,
      `Content type ${req.headers["content-type"]} is not supported`,
    );
  }
  const buf = await readBody(req, limit);
  const text = buf.toString("utf8").trim();
  if (text === "") throw new PlatformError(400, `${resource}/Bad Request`, "Request body is empty");
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new PlatformError(400, `${resource}/Bad Request`, `Could not parse JSON: ${(e as Error).message}`);
  }
  const problem = jsonProblem(value, MAX_BODY_NESTING);
  if (problem) throw new PlatformError(422, `${resource}/Invalid Data`, `The request body ${problem}`);
  return value;
}

/** Like readJson but requires a JSON object (not an array, string or null). */
export async function readJsonObject(
  req: IncomingMessage,
  resource: string,
  limit?: number,
): Promise<Record<string, unknown>> {
  const value = await readJson(req, resource, limit);
  if (!isPlainObject(value))
    throw new PlatformError(422, `${resource}/Invalid Data`, "Request body must be a JSON object");
  return value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
