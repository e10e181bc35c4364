"use client";

import { useQuery } from "@tanstack/react-query";
import { Network } from "lucide-react";
import { operationQueries } from "@/lib/queries/operations";
import { DEFAULT_STALE_AFTER, OPERATION_PAGE_SIZES, type OperationListQuery } from "@/lib/schemas/operations";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PagedListCard, listPaging } from "@/components/ui/paged-list-card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { TBody, THead, Table, TableCaption, Th } from "@/components/ui/table";
import { OperationFilters } from "./operation-filters";
import { OperationRow } from "./operation-row";
import { useNow } from "./use-now";

type Change = (patch: Partial<OperationListQuery>, options?: { replace?: boolean }) => void;

/** The operations table with its filters and pages; on a device page the device column and filter are left out. */
export function OperationsList({
  query,
  onQueryChange,
  forDevice,
}: {
  query: OperationListQuery;
  onQueryChange: Change;
  /** Set on the device page: the list is that device's. */
  forDevice?: boolean;
}) {
  const list = useQuery(operationQueries.list(query));
  const now = useNow();
  const showDevice = !forDevice;
  const columns = showDevice ? 6 : 5;
  const filtered = !!(query.status || query.type || (!forDevice && query.deviceId));
  const items = list.data?.items ?? [];
  const staleAfter = list.data?.staleAfter ?? DEFAULT_STALE_AFTER;
  // Without a total from the platform, a full page means "there may be more".
  const seen = (query.page - 1) * query.pageSize + items.length;
  const total = list.data?.total ?? (items.length === query.pageSize ? seen + 1 : seen);

  let content;
  if (list.isPending) content = <TableSkeleton rows={5} columns={columns} label="Loading operations…" />;
  else if (list.isError && !list.data)
    content = (
      <ErrorState
        error={list.error}
        title="Operations could not be loaded"
        onRetry={() => void list.refetch()}
      />
    );
  else if (items.length === 0)
    content = (
      <EmptyState
        icon={<Network className="size-6" />}
        title={filtered ? "No operations match these filters" : "No operations yet"}
        action={
          filtered ? (
            <Button
              onClick={() =>
                onQueryChange({
                  status: undefined,
                  type: undefined,
                  ...(forDevice ? {} : { deviceId: undefined }),
                })
              }
            >
              Clear filters
            </Button>
          ) : undefined
        }
      >
        {filtered
          ? "Try another status or type, or clear the filters to see everything."
          : forDevice
            ? "Send this device an operation above: it appears here and moves from Pending to Executing to Successful or Failed as the device works on it."
            : "Operations appear here when someone sends a device a command: open a device and use its Operations tab."}
      </EmptyState>
    );
  else
    content = (
      <Table>
        <TableCaption>Operations, newest first</TableCaption>
        <THead>
          <tr>
            <Th>
              <span className="sr-only">Details</span>
            </Th>
            <Th>Status</Th>
            <Th>Operation</Th>
            {showDevice && <Th>Device</Th>}
            <Th>Created</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </THead>
        <TBody>
          {items.map((op) => (
            <OperationRow
              key={op.id}
              operation={op}
              staleAfter={staleAfter}
              now={now}
              showDevice={showDevice}
              columns={columns}
            />
          ))}
        </TBody>
      </Table>
    );

  return (
    <PagedListCard
      title="Operations"
      filters={<OperationFilters query={query} onChange={onQueryChange} deviceFilter={!forDevice} />}
      busy={list.isFetching}
      paging={items.length > 0 ? listPaging(query, total, OPERATION_PAGE_SIZES, onQueryChange) : null}
    >
      {content}
    </PagedListCard>
  );
}
