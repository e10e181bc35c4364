import { z } from "zod";
import { errorCodeSchema } from "./common";
import { staleAfterSchema } from "./operations";

/**
 * `GET /api/overview`: what needs the operator now, as counts the platform totals (docs/fleet-overview.md). Each
 * count succeeds or fails on its own, so one refused or failing call shows on its card and not as a page error.
 */
export const overviewCountSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), count: z.number().int().min(0) }),
  z.object({ ok: z.literal(false), error: z.object({ code: errorCodeSchema, message: z.string() }) }),
]);
export type OverviewCount = z.infer<typeof overviewCountSchema>;

export const OVERVIEW_COUNTS = [
  "registrationsPending",
  "devicesDisconnected",
  "devicesUnavailable",
  "operationsStuckPending",
  "operationsStuckExecuting",
  "operationsFailedRecently",
  "bulkOperationsRunning",
] as const;
export type OverviewCountName = (typeof OVERVIEW_COUNTS)[number];

export const overviewDtoSchema = z.object({
  counts: z.object(
    Object.fromEntries(OVERVIEW_COUNTS.map((name) => [name, overviewCountSchema])) as Record<
      OverviewCountName,
      typeof overviewCountSchema
    >,
  ),
  /** When the counts were taken (the server's clock). */
  at: z.string(),
  /** Stuck: PENDING / EXECUTING and created longer ago than these (OPERATION_STALE_*_MINUTES), in ms. */
  staleAfter: staleAfterSchema,
  /** Failed: created within this many hours. */
  failedWithinHours: z.number().int(),
});
export type OverviewDto = z.infer<typeof overviewDtoSchema>;

/**
 * `GET /api/overview?fresh=true`: the operator asked (Refresh); counts kept between reads (the registrations) are
 * read anew, as on a page load. The background refresh leaves it out.
 */
export const overviewQuerySchema = z.object({ fresh: z.enum(["true", "false"]).optional() });
