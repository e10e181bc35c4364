"use client";

import { useQuery } from "@tanstack/react-query";
import { Layers } from "lucide-react";
import { bulkQueries } from "@/lib/queries/bulk-operations";
import { BULK_PAGE_SIZES } from "@/lib/schemas/bulk-operations";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PagedListCard, listPaging } from "@/components/ui/paged-list-card";
import { TableSkeleton } from "@/components/ui/skeleton";
import { TBody, THead, Table, TableCaption, Th } from "@/components/ui/table";
import { BulkFilters } from "./bulk-filters";
import { BulkRow } from "./bulk-row";
import { useBulkSearch } from "./use-bulk-search";

/** The bulk operations page: filters in the address bar, one row per bulk operation, live progress. */
export function BulkList() {
  const [query, setQuery] = useBulkSearch();
  const list = useQuery(bulkQueries.list(query));
  const items = list.data?.items ?? [];
  const filtered = query.generalStatus.length > 0 || !!query.dateFrom || !!query.dateTo;
  const seen = (query.page - 1) * query.pageSize + items.length;
  const total = list.data?.total ?? (items.length === query.pageSize ? seen + 1 : seen);

  let content;
  if (list.isPending) content = <TableSkeleton rows={5} columns={6} label="Loading bulk operations…" />;
  else if (list.isError && !list.data)
    content = (
      <ErrorState
        error={list.error}
        title="Bulk operations could not be loaded"
        onRetry={() => void list.refetch()}
      />
    );
  else if (items.length === 0)
    content = (
      <EmptyState
        icon={<Layers className="size-6" />}
        title={filtered ? "No bulk operations match these filters" : "No bulk operations yet"}
        action={
          filtered ? (
            <Button onClick={() => setQuery({ generalStatus: [], dateFrom: undefined, dateTo: undefined })}>
              Clear filters
            </Button>
          ) : undefined
        }
      >
        {filtered
          ? "Try other statuses or dates, or clear the filters to see every bulk operation."
          : "A bulk operation sends one operation to every device of a group, over time. Once one is scheduled it appears here with its progress."}
      </EmptyState>
    );
  else
    content = (
      <Table>
        <TableCaption>Bulk operations in the order the platform lists them (oldest first)</TableCaption>
        <THead>
          <tr>
            <Th>Status</Th>
            <Th>Id</Th>
            <Th>Operation</Th>
            <Th>Progress</Th>
            <Th>Start</Th>
            <Th>Estimated end</Th>
          </tr>
        </THead>
        <TBody>
          {items.map((b) => (
            <BulkRow key={b.id} bulk={b} />
          ))}
        </TBody>
      </Table>
    );

  return (
    <PagedListCard
      title="Bulk operations"
      filters={<BulkFilters query={query} onChange={setQuery} />}
      busy={list.isFetching}
      paging={items.length > 0 ? listPaging(query, total, BULK_PAGE_SIZES, setQuery) : null}
    >
      {content}
    </PagedListCard>
  );
}
