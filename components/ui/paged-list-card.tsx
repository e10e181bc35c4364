"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { Card } from "./card";
import { Pagination } from "./pagination";

export type ListPaging = Omit<ComponentProps<typeof Pagination>, "label">;

/** The page controls of a list whose page and page size live in its query (the address bar). */
export function listPaging(
  query: { page: number; pageSize: number },
  total: number,
  pageSizes: readonly number[],
  change: (patch: { page?: number; pageSize?: number }) => void,
): ListPaging {
  return {
    page: query.page,
    pageSize: query.pageSize,
    total,
    pageSizes,
    onPageChange: (page) => change({ page }),
    onPageSizeChange: (pageSize) => change({ pageSize }),
  };
}

/**
 * A filtered, paged list in a card: its name for assistive technology, the filters, the list (marked busy while
 * it refreshes) and, when `paging` is given (there are rows), the page controls named after the list.
 */
export function PagedListCard({
  title,
  filters,
  busy,
  paging,
  children,
}: {
  title: string;
  filters: ReactNode;
  busy: boolean;
  paging: ListPaging | null;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <Card aria-labelledby={titleId}>
      <h2 id={titleId} className="sr-only">
        {title}
      </h2>
      {filters}
      <div className="mt-4 border-t border-slate-200 dark:border-slate-800" aria-busy={busy || undefined}>
        {children}
      </div>
      {paging && (
        <div className="border-t border-slate-200 dark:border-slate-800">
          <Pagination {...paging} label={`${title} pages`} />
        </div>
      )}
    </Card>
  );
}
