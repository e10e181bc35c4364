import { z } from "zod";

/** The BFF's one error envelope: `{ error: { code, message, requestId? } }` (docs/style.md rule 6). */
export const errorCodeSchema = z.enum([
  "bad_json",
  "bad_path",
  "invalid_input",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "cross_site_refused",
  "upstream_rejected",
  "upstream_unavailable",
  "internal",
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    requestId: z.string().optional(),
    /** Field problems for invalid_input: path → message. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** The header every browser request to the BFF carries; a cross-site form post cannot set it. */
export const CSRF_HEADER = "x-c8y-console";
export const CSRF_HEADER_VALUE = "1";

/** A JSON body's limits, checked before any schema sees it (a schema walks nested values recursively). */
export const JSON_BODY_MAX_DEPTH = 100;
export const JSON_BODY_MAX_VALUES = 50_000;

/**
 * Why a parsed JSON value is too deep or too large for a schema to walk, or null. Iterative, so a hostile body
 * cannot overflow the stack of the check itself.
 */
export function jsonShapeProblem(
  value: unknown,
  maxDepth = JSON_BODY_MAX_DEPTH,
  maxValues = JSON_BODY_MAX_VALUES,
): string | null {
  let count = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++count > maxValues) return `The body holds more than ${maxValues} values.`;
    if (typeof v !== "object" || v === null) continue;
    if (depth > maxDepth) return `The body is nested deeper than ${maxDepth} levels.`;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}
