"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Clock, Hourglass, Layers, ListChecks, RefreshCw, Unplug, WifiOff, XCircle } from "lucide-react";
import { overviewQueries, refreshOverview } from "@/lib/queries/overview";
import type { OverviewDto } from "@/lib/schemas/overview";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { OverviewCard, type OverviewCardProps } from "./overview-card";

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** The cards in the order an operator deals with them; each links into the filtered list behind its count. */
function cards(data: OverviewDto | undefined): (OverviewCardProps & { key: string })[] {
  const c = data?.counts;
  const pending = data ? minutes(data.staleAfter.PENDING) : "a while";
  const executing = data ? minutes(data.staleAfter.EXECUTING) : "a while";
  const icon = "size-5";
  return [
    {
      key: "registrations",
      title: "Waiting for acceptance",
      description: "Devices that asked to join and wait for an operator to accept them.",
      href: "/registrations?status=PENDING_ACCEPTANCE",
      icon: <ListChecks className={icon} />,
      count: c?.registrationsPending,
      tone: "info",
    },
    {
      key: "disconnected",
      title: "Disconnected devices",
      description: "Monitored devices without a push connection: operations wait until they connect.",
      href: "/devices?connection=DISCONNECTED",
      icon: <Unplug className={icon} />,
      count: c?.devicesDisconnected,
      tone: "warning",
    },
    {
      key: "unavailable",
      title: "Unavailable devices",
      description: "Monitored devices that sent nothing within their required interval.",
      href: "/devices?connection=UNAVAILABLE",
      icon: <WifiOff className={icon} />,
      count: c?.devicesUnavailable,
      tone: "danger",
    },
    {
      key: "stuck-pending",
      title: "Stuck pending",
      description: `Operations still pending more than ${pending} after they were created.`,
      href: "/operations?status=PENDING",
      icon: <Hourglass className={icon} />,
      count: c?.operationsStuckPending,
      tone: "warning",
    },
    {
      key: "stuck-executing",
      title: "Stuck executing",
      description: `Operations still executing, created more than ${executing} ago.`,
      href: "/operations?status=EXECUTING",
      icon: <Clock className={icon} />,
      count: c?.operationsStuckExecuting,
      tone: "warning",
    },
    {
      key: "failed",
      title: `Failed in the last ${data?.failedWithinHours ?? 24} h`,
      description: "Operations created in that time that failed.",
      href: "/operations?status=FAILED",
      icon: <XCircle className={icon} />,
      count: c?.operationsFailedRecently,
      tone: "danger",
    },
    {
      key: "bulk",
      title: "Bulk operations running",
      description: "Bulk operations executing now, with or without failures so far.",
      href: "/operations/bulk?generalStatus=EXECUTING",
      icon: <Layers className={icon} />,
      count: c?.bulkOperationsRunning,
      tone: "info",
    },
  ];
}

/** The overview's cards, refreshed every few seconds; a failing count shows on its own card. */
export function OverviewView() {
  const queryClient = useQueryClient();
  const overview = useQuery(overviewQueries.counts());
  if (overview.isError && !overview.data)
    return (
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <ErrorState
          error={overview.error}
          title="The overview could not be loaded"
          onRetry={() => void overview.refetch()}
        />
      </div>
    );
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-end gap-3 text-sm text-slate-600 dark:text-slate-400">
        {overview.data && (
          <span>
            Counted <RelativeTime iso={overview.data.at} />
            {overview.isError && " · the last refresh failed"}
          </span>
        )}
        {/* Never disabled by the background refresh: the operator's click must always land. */}
        <Button onClick={() => void refreshOverview(queryClient).catch(() => undefined)} variant="secondary">
          <RefreshCw className={clsx("size-4", overview.isFetching && "animate-spin")} aria-hidden="true" />
          Refresh
        </Button>
      </div>
      <ul aria-label="What needs attention" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {cards(overview.data).map(({ key, ...card }) => (
          <OverviewCard key={key} {...card} />
        ))}
      </ul>
    </div>
  );
}
