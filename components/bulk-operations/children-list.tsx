"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { bulkQueries } from "@/lib/queries/bulk-operations";
import type { OperationStatus } from "@/lib/schemas/operations";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { OperationStatusBadge, statusLabel } from "@/components/operations/status-badge";
import { StatusFilter } from "@/components/operations/status-filter";

const ROW_HEIGHT = 44;

/**
 * The single operations of a bulk operation, in a virtualised list (thousands of rows stay cheap): only the rows
 * in sight are rendered, and the next page is loaded as the end comes into sight. Rows change live.
 */
export function ChildrenList({
  bulkId,
  status,
  onStatusChange,
}: {
  bulkId: string;
  status: OperationStatus | undefined;
  onStatusChange: (status: OperationStatus | undefined) => void;
}) {
  const children = useInfiniteQuery(bulkQueries.children(bulkId, status));
  const rows = children.data?.pages.flatMap((p) => p.items) ?? [];
  const total = children.data?.pages[0]?.total ?? null;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer's methods are read fresh each render here, never memoised, which is what the rule warns about.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = children;
  useEffect(() => {
    if (last && last.index >= rows.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  let content;
  if (children.isPending) content = <TableSkeleton rows={4} columns={3} label="Loading operations…" />;
  else if (children.isError && !children.data)
    content = (
      <ErrorState
        error={children.error}
        title="Operations could not be loaded"
        onRetry={() => void children.refetch()}
      />
    );
  else if (rows.length === 0)
    content = (
      <EmptyState
        title={status ? `No ${statusLabel(status).toLowerCase()} operations` : "No operations created yet"}
      >
        {status
          ? "Choose another status to see the other operations."
          : "Operations are created from the start time on, one per device, with the delay in between."}
      </EmptyState>
    );
  else
    content = (
      <div
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-label={`Operations of bulk operation ${bulkId}`}
        className="max-h-[28rem] overflow-auto focus-visible:outline-2 focus-visible:outline-accent-600"
      >
        <ul className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = rows[v.index]!;
            return (
              <li
                key={v.key}
                data-child-id={row.id}
                data-status={row.status}
                className="absolute left-0 top-0 flex w-full items-center gap-3 border-b border-slate-100 px-4 text-sm dark:border-slate-800"
                style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              >
                <OperationStatusBadge status={row.status} />
                <Link
                  href={`/devices/${encodeURIComponent(row.deviceId)}`}
                  className="min-w-0 truncate font-medium text-accent-700 hover:underline dark:text-accent-300"
                >
                  {row.deviceName ?? `Device ${row.deviceId}`}
                </Link>
                <span className="min-w-0 flex-1 truncate text-slate-600 dark:text-slate-400">
                  {row.failureReason ?? ""}
                </span>
                <span className="tabular-nums text-xs text-slate-500 dark:text-slate-400">#{row.id}</span>
              </li>
            );
          })}
        </ul>
      </div>
    );

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3 px-4 pt-4">
        <StatusFilter value={status} onChange={onStatusChange} />
        {total !== null && (
          <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {rows.length < total ? `${rows.length} of ${total} loaded` : `${total} operations`}
          </p>
        )}
      </div>
      <div
        className="border-t border-slate-200 dark:border-slate-800"
        aria-busy={children.isFetching || undefined}
      >
        {content}
      </div>
    </div>
  );
}
