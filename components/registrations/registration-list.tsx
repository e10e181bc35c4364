"use client";

import { useQuery } from "@tanstack/react-query";
import { Inbox, SearchX } from "lucide-react";
import { useState } from "react";
import type { RegistrationDto, RegistrationListQuery } from "@/lib/schemas/registrations";
import { REGISTRATION_PAGE_SIZES, registrationQueries } from "@/lib/queries/registrations";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { Pagination } from "@/components/ui/pagination";
import { TableSkeleton } from "@/components/ui/skeleton";
import { TabPanel } from "@/components/ui/tabs";
import { AcceptToolbar } from "./accept-toolbar";
import { RegistrationActionDialog, type ActionTarget } from "./registration-action-dialog";
import { LIST_PANEL_ID, RegistrationFilters } from "./registration-filters";
import { RegistrationsTable } from "./registrations-table";
import { EMPTY_HINTS, statusLabel } from "./status";

const NO_SELECTION: ReadonlySet<string> = new Set();

/** The requests: status tabs, search, sort, the table (or its loading / empty / error state) and paging. */
export function RegistrationList(props: {
  query: RegistrationListQuery;
  onQueryChange: (patch: Partial<RegistrationListQuery>, options?: { replace?: boolean }) => void;
  canAdmin: boolean;
  busy: boolean;
  onAcceptMany: (ids: string[], label: string) => void;
  acceptingId: string | null;
  onAcceptOne: (id: string) => void;
}) {
  const { query, onQueryChange, canAdmin } = props;
  const list = useQuery(registrationQueries.list(query));
  // A selection belongs to one filter: switching status or search starts a fresh one (it survives paging).
  const scope = `${query.status ?? ""}|${query.search ?? ""}`;
  const [selection, setSelection] = useState({ scope, ids: new Set<string>() });
  const selected = selection.scope === scope ? selection.ids : NO_SELECTION;
  const setSelected = (ids: Set<string>) => setSelection({ scope, ids });
  const [target, setTarget] = useState<ActionTarget | null>(null);
  const data = list.data;
  const scopeName = query.status ? statusLabel(query.status).toLowerCase() : "all";
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  const acceptMany = (ids: string[], label: string) => {
    setSelected(new Set());
    props.onAcceptMany(ids, label);
  };
  const hint = EMPTY_HINTS[query.status ?? "ALL"];

  return (
    <section
      aria-label="Registration requests"
      className="rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <RegistrationFilters query={query} counts={data?.counts} onChange={onQueryChange} />
      <TabPanel idBase={LIST_PANEL_ID} value={query.status ?? "ALL"} className="mt-2">
        {canAdmin && data && (
          <AcceptToolbar
            selected={[...selected]}
            pendingTotal={data.counts.PENDING_ACCEPTANCE ?? 0}
            busy={props.busy}
            onAccept={acceptMany}
            onClearSelection={() => setSelected(new Set())}
          />
        )}
        {list.isError && data && (
          <p
            role="alert"
            className="mx-4 mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          >
            Updating the list failed: {describeError(list.error).message} Showing what was loaded last; it
            retries on its own.
          </p>
        )}
        {list.isPending ? (
          <TableSkeleton label="Loading registration requests…" columns={5} />
        ) : list.isError && !data ? (
          <ErrorState
            error={list.error}
            title="The registration requests could not be loaded"
            onRetry={() => void list.refetch()}
          />
        ) : data && data.items.length === 0 ? (
          data.total > 0 ? (
            <EmptyState
              icon={<Inbox className="size-6" />}
              title="This page is past the end of the list"
              action={<Button onClick={() => onQueryChange({ page: pages })}>Go to page {pages}</Button>}
            >
              The list has fewer entries than when this page was opened.
            </EmptyState>
          ) : query.search ? (
            <EmptyState
              icon={<SearchX className="size-6" />}
              title={`No ${scopeName === "all" ? "" : `${scopeName} `}request matches “${query.search}”`}
              action={<Button onClick={() => onQueryChange({ search: undefined })}>Clear search</Button>}
            >
              The search looks for the text anywhere in the device id.
            </EmptyState>
          ) : (
            <EmptyState icon={<Inbox className="size-6" />} title={hint.title}>
              {hint.body}
            </EmptyState>
          )
        ) : data ? (
          <>
            <RegistrationsTable
              rows={data.items}
              caption={`Registration requests (${scopeName}), page ${data.page} of ${pages}`}
              canAdmin={canAdmin}
              selected={selected}
              onSelectionChange={setSelected}
              acceptingId={props.acceptingId}
              onAccept={props.onAcceptOne}
              onAction={(row: RegistrationDto, action) => setTarget({ row, action })}
            />
            <Pagination
              label="Registration pages"
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              pageSizes={REGISTRATION_PAGE_SIZES}
              onPageChange={(page) => onQueryChange({ page })}
              onPageSizeChange={(pageSize) => onQueryChange({ pageSize })}
            />
          </>
        ) : null}
      </TabPanel>
      <RegistrationActionDialog target={target} onClose={() => setTarget(null)} />
    </section>
  );
}
