"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { bulkQueries, parseChildStatus } from "@/lib/queries/bulk-operations";
import { useLiveTopics } from "@/lib/queries/live/use-live-events";
import type { OperationStatus } from "@/lib/schemas/operations";
import { Card, CardBody } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { TabPanel, Tabs } from "@/components/ui/tabs";
import { FreshnessIndicator } from "@/components/live/freshness-indicator";
import { BulkHistory } from "@/components/operations/bulk-history";
import { usePaletteActions } from "@/components/palette/palette-context";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { BulkActions } from "./bulk-actions";
import { BulkSummary } from "./bulk-summary";
import { ChildrenList } from "./children-list";
import { FailureTriage } from "./failure-triage";
import { RetryLinks } from "./retry-links";

type Tab = "operations" | "failures" | "history";
const TABS: readonly Tab[] = ["operations", "failures", "history"];

/** One bulk operation: live progress, actions, its single operations, failure triage, retries. */
export function BulkDetailView({ id }: { id: string }) {
  // The path gives bulkOperations:<id> and operations:*; asked for here too, in case the view is embedded.
  useLiveTopics([`bulkOperations:${id}`]);
  const bulk = useQuery(bulkQueries.detail(id));
  const params = useSearchParams();
  const pathname = usePathname();
  const tab = (TABS as readonly string[]).includes(params.get("tab") ?? "")
    ? (params.get("tab") as Tab)
    : "operations";
  const childStatus = parseChildStatus(params.get("childStatus"));
  const admin = useSessionUser().can.adminBulkOperations;
  const [retryAllAsked, setRetryAllAsked] = useState(false);
  const failed = bulk.data?.progress.failed ?? 0;
  // On this page the command palette offers "retry failed" (docs/command-palette.md): the failures tab opens
  // with the same confirmation as its button.
  usePaletteActions(
    useMemo(
      () =>
        failed > 0 && admin
          ? [
              {
                id: "bulk-operation.retry-failed",
                label: `Retry the ${failed} failed operation${failed === 1 ? "" : "s"} of #${id}`,
                section: "This bulk operation",
                keywords: ["retry", "failed", "again"],
                run: () => {
                  const search = new URLSearchParams(window.location.search);
                  search.set("tab", "failures");
                  window.history.pushState(null, "", `${pathname}?${search.toString()}`);
                  setRetryAllAsked(true);
                },
              },
            ]
          : [],
      [failed, admin, id, pathname],
    ),
  );
  const go = (patch: { tab?: Tab; childStatus?: OperationStatus | undefined }) => {
    const search = new URLSearchParams(window.location.search);
    if (patch.tab) search.set("tab", patch.tab);
    if ("childStatus" in patch) {
      if (patch.childStatus) search.set("childStatus", patch.childStatus);
      else search.delete("childStatus");
    }
    const text = search.toString();
    window.history.pushState(null, "", `${pathname}${text ? `?${text}` : ""}`);
  };

  if (bulk.isPending)
    return (
      <Card>
        <TableSkeleton rows={4} columns={3} label="Loading the bulk operation…" />
      </Card>
    );
  if (bulk.isError && !bulk.data)
    return (
      <Card>
        <ErrorState
          error={bulk.error}
          title="The bulk operation could not be loaded"
          onRetry={() => void bulk.refetch()}
        />
      </Card>
    );
  const b = bulk.data;
  return (
    <div className="flex flex-col gap-6">
      <Card aria-labelledby="bulk-summary-title">
        <CardBody className="flex flex-col gap-5">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2
              id="bulk-summary-title"
              className="text-base font-semibold text-slate-900 dark:text-slate-100"
            >
              Progress
            </h2>
            <FreshnessIndicator resources={["bulkOperations"]} />
          </div>
          <BulkSummary bulk={b} />
          <RetryLinks bulk={b} />
          <BulkActions bulk={b} />
        </CardBody>
      </Card>
      <Card aria-labelledby="bulk-tabs-title">
        <h2 id="bulk-tabs-title" className="sr-only">
          Operations, failures and history
        </h2>
        <Tabs
          idBase="bulk-tab"
          label="Bulk operation details"
          value={tab}
          onChange={(t) => go({ tab: t })}
          className="px-4 pt-2"
          items={[
            { value: "operations", label: "Operations", count: b.progress.all },
            { value: "failures", label: "Failures", count: b.progress.failed },
            { value: "history", label: "History" },
          ]}
        />
        <TabPanel idBase="bulk-tab" value={tab}>
          {tab === "operations" && (
            <ChildrenList bulkId={b.id} status={childStatus} onStatusChange={(s) => go({ childStatus: s })} />
          )}
          {tab === "failures" && (
            <FailureTriage
              bulk={b}
              retryAllAsked={retryAllAsked}
              onRetryAllHandled={() => setRetryAllAsked(false)}
            />
          )}
          {tab === "history" && <BulkHistory bulkOperationId={b.id} />}
        </TabPanel>
      </Card>
    </div>
  );
}
