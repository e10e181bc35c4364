import { z } from "zod";

/** The BFF's one error envelope: `{ error: { code, message, requestId? } }` (style.md rule 6). */
export const errorCodeSchema = z.enum([
  "bad_json",
  "invalid_input",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
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
