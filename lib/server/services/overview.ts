import "server-only";
import type { OverviewCount, OverviewCountName, OverviewDto } from "@/lib/schemas/overview";
import { listRegistrations } from "./registrations";
import type { RegistrationsView } from "../registrations-view";
import { connectionFilter } from "./connection";
import { staleAfter } from "./operations";
import { toApiError } from "../errors";
import { body, type PlatformClient } from "../upstream/client";

/**
 * The fleet overview's counts (docs/fleet-overview.md). Each is one platform call asking for a single row with
 * `withTotalPages=true`: with a page size of 1, `statistics.totalPages` is the number of matches, so no count
 * reads the objects it counts (the vendor UI counts bulk operation children the same way, docs/platform-fleet.md
 * §1). The registrations are the exception: the platform cannot filter them by status (§3), so their count comes
 * from the registrations service, which reads the list.
 */

export const FAILED_WITHIN_HOURS = 24;
const HOUR_MS = 3_600_000;
const EPOCH = "1970-01-01T00:00:00.000Z";

/** The number of matches from a page of one; a platform that leaves the total out is an error, not a zero. */
function totalOf(statistics: { totalPages?: number } | undefined): number {
  const total = statistics?.totalPages;
  if (typeof total !== "number" || !Number.isInteger(total) || total < 0)
    throw new Error("The platform sent no total for a count");
  return total;
}

const ONE = { pageSize: 1, currentPage: 1, withTotalPages: true } as const;

async function devicesCount(platform: PlatformClient, filter: "DISCONNECTED" | "UNAVAILABLE") {
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: { query: { query: connectionFilter(filter), withChildren: false, ...ONE } },
    }),
  );
  return totalOf(page.statistics);
}

async function operationsCount(
  platform: PlatformClient,
  status: "PENDING" | "EXECUTING" | "FAILED",
  dateFrom: string,
  dateTo: string,
) {
  const page = body(
    await platform.GET("/devicecontrol/operations", {
      params: { query: { status, dateFrom, dateTo, ...ONE } },
    }),
  );
  return totalOf(page.statistics);
}

async function bulkRunningCount(platform: PlatformClient) {
  const page = body(
    await platform.GET("/devicecontrol/bulkoperations", {
      // The platform sends EXECUTING_WITH_ERROR; the vendor UI's "Executing" filter asks for both (docs/platform-fleet.md §1).
      params: { query: { generalStatus: ["EXECUTING", "EXECUTING_WITH_ERROR"], ...ONE } },
    }),
  );
  return totalOf(page.statistics);
}

async function pendingRegistrations(view: RegistrationsView, platform: PlatformClient, fresh: boolean) {
  const list = await listRegistrations(
    view,
    platform,
    { status: "PENDING_ACCEPTANCE", page: 1, pageSize: 1, sort: "newest" },
    { fresh },
  );
  return list.counts.PENDING_ACCEPTANCE;
}

/** One count on its own: a failure becomes its card's error; an ended session ends the whole request. */
async function settle(count: Promise<number>): Promise<OverviewCount> {
  try {
    return { ok: true, count: await count };
  } catch (err) {
    const mapped = toApiError(err);
    if (mapped.code === "unauthenticated") throw err;
    return { ok: false, error: { code: mapped.code, message: mapped.message } };
  }
}

/**
 * `fresh`: the operator asked for these counts (a page load, Refresh), so the registrations are read anew rather
 * than taken from the shared view's last state (docs/registrations-cost.md); the rest is read every time anyway.
 */
export async function getOverview(
  view: RegistrationsView,
  platform: PlatformClient,
  options: { fresh?: boolean; now?: number } = {},
): Promise<OverviewDto> {
  const now = options.now ?? Date.now();
  const stale = staleAfter();
  const iso = (ms: number) => new Date(ms).toISOString();
  const calls: Record<OverviewCountName, Promise<number>> = {
    registrationsPending: pendingRegistrations(view, platform, options.fresh ?? false),
    devicesDisconnected: devicesCount(platform, "DISCONNECTED"),
    devicesUnavailable: devicesCount(platform, "UNAVAILABLE"),
    // The platform filters operations by creation time only: PENDING since creation is exact; an EXECUTING one
    // counts when it was created longer ago than the threshold (it cannot have been executing for longer).
    operationsStuckPending: operationsCount(platform, "PENDING", EPOCH, iso(now - stale.PENDING)),
    operationsStuckExecuting: operationsCount(platform, "EXECUTING", EPOCH, iso(now - stale.EXECUTING)),
    operationsFailedRecently: operationsCount(
      platform,
      "FAILED",
      iso(now - FAILED_WITHIN_HOURS * HOUR_MS),
      iso(now + HOUR_MS),
    ),
    bulkOperationsRunning: bulkRunningCount(platform),
  };
  const names = Object.keys(calls) as OverviewCountName[];
  const settled = await Promise.all(names.map((name) => settle(calls[name])));
  return {
    counts: Object.fromEntries(names.map((name, i) => [name, settled[i]!])) as OverviewDto["counts"],
    at: iso(now),
    staleAfter: stale,
    failedWithinHours: FAILED_WITHIN_HOURS,
  };
}
