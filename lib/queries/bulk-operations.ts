import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import {
  BULK_CHILDREN_PAGE_SIZE,
  BULK_PAGE_SIZES,
  bulkChildrenDtoSchema,
  bulkGeneralStatusSchema,
  bulkListDtoSchema,
  bulkListQuerySchema,
  bulkOperationDtoSchema,
  failureGroupsDtoSchema,
  retriesDtoSchema,
  type BulkChildDto,
  type BulkChildrenDto,
  type BulkGeneralStatus,
  type BulkListDto,
  type BulkListQuery,
  type BulkOperationDto,
  type ScheduleUpdate,
} from "@/lib/schemas/bulk-operations";
import { operationStatusSchema, type OperationDto, type OperationStatus } from "@/lib/schemas/operations";
import { apiFetch } from "./api-client";
import type { CoalescedBatch, CoalescerSink } from "./live/bulk-coalescer";
import { liveAwareInterval } from "./live/status";

/**
 * The browser's data layer for bulk operations: URL state, query keys and options, mutations, and the live sink
 * the coalescer writes into (docs/bulk-operations-ui.md).
 */

const enc = encodeURIComponent;
const DEFAULT_PAGE_SIZE = 25;
/** Polling while live events for bulk operations are not flowing; a slow safety net while they are. */
const listInterval = liveAwareInterval("bulkOperations", 15_000, 120_000);
const detailInterval = liveAwareInterval("bulkOperations", 5_000, 120_000);
/** While a rollout runs, new single operations appear in the list at most this often. */
const CHILDREN_REFRESH_MS = 2_000;

const isFinished = (b: BulkOperationDto) =>
  b.generalStatus === "SUCCESSFUL" || b.generalStatus === "FAILED" || b.generalStatus === "CANCELED";

// ----- URL state -----------------------------------------------------------------------------------------------

type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function values(input: SearchInput, name: string): string[] {
  const v = input instanceof URLSearchParams ? input.getAll(name) : input[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `?status=FAILED&status=CANCELED&from=&to=&deleted=1&page=&pageSize=`; a bad value falls back to its default. */
export function parseBulkSearch(input: SearchInput): BulkListQuery {
  const statuses = values(input, "status").flatMap((s) => {
    const parsed = bulkGeneralStatusSchema.safeParse(
      s === "EXECUTING_WITH_ERRORS" ? "EXECUTING_WITH_ERROR" : s,
    );
    return parsed.success ? [parsed.data] : [];
  });
  const one = <K extends "dateFrom" | "dateTo" | "page" | "pageSize">(key: K, name: string) => {
    const parsed = bulkListQuerySchema.shape[key].safeParse(values(input, name)[0] || undefined);
    return parsed.success ? (parsed.data as BulkListQuery[K]) : undefined;
  };
  const pageSize = one("pageSize", "pageSize");
  return {
    generalStatus: [...new Set(statuses)],
    dateFrom: one("dateFrom", "from"),
    dateTo: one("dateTo", "to"),
    withDeleted: values(input, "deleted")[0] === "1",
    page: one("page", "page") ?? 1,
    pageSize:
      pageSize && (BULK_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

export function bulkSearchString(query: BulkListQuery): string {
  const params = new URLSearchParams();
  for (const s of query.generalStatus) params.append("status", s);
  if (query.dateFrom) params.set("from", query.dateFrom);
  if (query.dateTo) params.set("to", query.dateTo);
  if (query.withDeleted) params.set("deleted", "1");
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** `?childStatus=FAILED` on the detail page. */
export function parseChildStatus(raw: string | null | undefined): OperationStatus | undefined {
  const parsed = operationStatusSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

// ----- keys and queries ----------------------------------------------------------------------------------------

/** Query keys only from here (docs/style.md rule 7); everything a fetcher reads is in its key. */
export const bulkKeys = {
  all: ["bulk-operations"] as const,
  lists: () => [...bulkKeys.all, "list"] as const,
  list: (query: BulkListQuery) => [...bulkKeys.lists(), query] as const,
  details: () => [...bulkKeys.all, "detail"] as const,
  detail: (id: string) => [...bulkKeys.details(), id] as const,
  /** Everything about one bulk operation besides its detail: children, failure groups, retries. */
  of: (id: string) => [...bulkKeys.all, "of", id] as const,
  childrenOf: (id: string) => [...bulkKeys.of(id), "children"] as const,
  children: (id: string, status: OperationStatus | undefined) =>
    [...bulkKeys.childrenOf(id), status ?? "ALL", BULK_CHILDREN_PAGE_SIZE] as const,
  failures: (id: string) => [...bulkKeys.of(id), "failures"] as const,
  retries: (id: string) => [...bulkKeys.of(id), "retries"] as const,
};

function listPath(query: BulkListQuery): string {
  const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
  for (const s of query.generalStatus) params.append("generalStatus", s);
  if (query.dateFrom) params.set("dateFrom", query.dateFrom);
  if (query.dateTo) params.set("dateTo", query.dateTo);
  if (query.withDeleted) params.set("withDeleted", "true");
  return `/api/bulk-operations?${params.toString()}`;
}

export function fetchBulkChildren(
  id: string,
  status: OperationStatus | undefined,
  page: number,
  signal?: AbortSignal,
): Promise<BulkChildrenDto> {
  const params = new URLSearchParams({ page: String(page), pageSize: String(BULK_CHILDREN_PAGE_SIZE) });
  if (status) params.set("status", status);
  return apiFetch(`/api/bulk-operations/${enc(id)}/children?${params.toString()}`, {
    schema: bulkChildrenDtoSchema,
    signal,
  });
}

export const bulkQueries = {
  list: (query: BulkListQuery) =>
    queryOptions({
      queryKey: bulkKeys.list(query),
      queryFn: ({ signal }) => apiFetch(listPath(query), { schema: bulkListDtoSchema, signal }),
      refetchInterval: listInterval,
      staleTime: 5_000,
      placeholderData: keepPreviousData,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: bulkKeys.detail(id),
      queryFn: ({ signal }) =>
        apiFetch(`/api/bulk-operations/${enc(id)}`, { schema: bulkOperationDtoSchema, signal }),
      refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : detailInterval()),
      staleTime: 5_000,
    }),
  children: (id: string, status: OperationStatus | undefined) =>
    infiniteQueryOptions({
      queryKey: bulkKeys.children(id, status),
      queryFn: ({ pageParam, signal }) => fetchBulkChildren(id, status, pageParam, signal),
      initialPageParam: 1,
      getNextPageParam: (last) =>
        last.items.length < last.pageSize || (last.total !== null && last.page * last.pageSize >= last.total)
          ? undefined
          : last.page + 1,
      staleTime: 5_000,
    }),
  failures: (id: string) =>
    queryOptions({
      queryKey: bulkKeys.failures(id),
      queryFn: ({ signal }) =>
        apiFetch(`/api/bulk-operations/${enc(id)}/failures`, { schema: failureGroupsDtoSchema, signal }),
      staleTime: 5_000,
    }),
  retries: (id: string) =>
    queryOptions({
      queryKey: bulkKeys.retries(id),
      queryFn: ({ signal }) =>
        apiFetch(`/api/bulk-operations/${enc(id)}/retries`, { schema: retriesDtoSchema, signal }),
      staleTime: 10_000,
    }),
};

// ----- mutations (callers store the answer) --------------------------------------------------------------------

export const cancelBulk = (id: string) =>
  apiFetch(`/api/bulk-operations/${enc(id)}`, { method: "DELETE", schema: bulkOperationDtoSchema });

export const rescheduleBulk = (id: string, schedule: ScheduleUpdate) =>
  apiFetch(`/api/bulk-operations/${enc(id)}/schedule`, {
    method: "PUT",
    body: schedule,
    schema: bulkOperationDtoSchema,
  });

export const markBulkSuccessful = (id: string) =>
  apiFetch(`/api/bulk-operations/${enc(id)}/mark-successful`, {
    method: "POST",
    schema: bulkOperationDtoSchema,
  });

/** No reason: every failed device (failedParentId); a reason: that failure group's devices. */
export const retryBulk = (id: string, reason?: string) =>
  apiFetch(`/api/bulk-operations/${enc(id)}/retry`, {
    method: "POST",
    body: reason === undefined ? {} : { reason },
    schema: bulkOperationDtoSchema,
  });

/** A mutation's answer into the cache at once; lists and what hangs off it are refetched. */
export function storeBulk(queryClient: QueryClient, dto: BulkOperationDto): void {
  queryClient.setQueryData(bulkKeys.detail(dto.id), dto);
  void queryClient.invalidateQueries({ queryKey: bulkKeys.lists() });
  void queryClient.invalidateQueries({ queryKey: bulkKeys.of(dto.id) });
  if (dto.retryOf) void queryClient.invalidateQueries({ queryKey: bulkKeys.retries(dto.retryOf.id) });
}

// ----- live events ---------------------------------------------------------------------------------------------

/** A single operation pushed live, as the children list shows it. */
export function childOf(op: OperationDto): BulkChildDto {
  return {
    id: op.id,
    deviceId: op.deviceId,
    deviceName: op.deviceName,
    status: op.status,
    failureReason: op.failureReason,
    creationTime: op.creationTime,
  };
}

/** Whether a list with this filter shows the bulk operation. */
const listWants = (query: BulkListQuery, b: BulkOperationDto) =>
  (query.generalStatus.length === 0 || query.generalStatus.includes(b.generalStatus)) &&
  (query.withDeleted || b.generalStatus !== "CANCELED" || query.generalStatus.includes("CANCELED"));

const refetch = (queryClient: QueryClient, queryKey: readonly unknown[], exact = false) =>
  // A refetch already running is not restarted: during a rollout, restarts would starve it.
  void queryClient.invalidateQueries({ queryKey, exact }, { cancelRefetch: false });

/**
 * Where the coalescer writes (docs/style.md rule 10: events patch or invalidate the cache, never a second store):
 * bulk operations replace their cached detail and list rows; single operations replace their rows in the loaded
 * children pages (a row leaving a status filter is dropped); new single operations make the children list refetch,
 * at most every CHILDREN_REFRESH_MS; once events stop, everything about the touched bulk operations is refetched.
 */
export function bulkCacheSink(queryClient: QueryClient): CoalescerSink {
  const lastChildrenRefetch = new Map<string, number>();
  return {
    write(batch: CoalescedBatch, now: number) {
      for (const dto of batch.bulks.values()) writeBulk(queryClient, dto, batch.created.has(dto.id));
      for (const id of batch.cancelled) {
        refetch(queryClient, bulkKeys.detail(id), true);
        refetch(queryClient, bulkKeys.lists());
      }
      for (const [bulkId, children] of batch.children) {
        const unseen = writeChildren(queryClient, bulkId, children);
        const last = lastChildrenRefetch.get(bulkId) ?? -Infinity;
        if (unseen && now - last >= CHILDREN_REFRESH_MS) {
          lastChildrenRefetch.set(bulkId, now);
          refetch(queryClient, bulkKeys.childrenOf(bulkId));
        }
      }
    },
    settle(ids) {
      for (const id of ids) {
        refetch(queryClient, bulkKeys.detail(id), true);
        refetch(queryClient, bulkKeys.of(id));
      }
      refetch(queryClient, bulkKeys.lists());
    },
  };
}

function writeBulk(queryClient: QueryClient, dto: BulkOperationDto, created: boolean) {
  if (queryClient.getQueryData(bulkKeys.detail(dto.id)) !== undefined)
    queryClient.setQueryData(bulkKeys.detail(dto.id), dto);
  for (const [key, data] of queryClient.getQueriesData<BulkListDto>({ queryKey: bulkKeys.lists() })) {
    const query = key[2] as BulkListQuery | undefined;
    if (!data || !query) continue;
    const index = data.items.findIndex((b) => b.id === dto.id);
    const wanted = listWants(query, dto);
    if (index >= 0 && wanted)
      queryClient.setQueryData<BulkListDto>(key, {
        ...data,
        items: data.items.map((b, i) => (i === index ? dto : b)),
      });
    // Entering or leaving the list: the server orders and counts.
    else if (index >= 0 || (wanted && created)) refetch(queryClient, key, true);
  }
  // A retry's parent lists it.
  if (created && dto.retryOf) refetch(queryClient, bulkKeys.retries(dto.retryOf.id), true);
}

/**
 * Patches loaded rows; true when some single operation belongs in a loaded list but is in none of its pages (new,
 * or further down than loaded).
 */
function writeChildren(
  queryClient: QueryClient,
  bulkId: string,
  children: Map<string, BulkChildDto>,
): boolean {
  let unseen = false;
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<BulkChildrenDto>>({
    queryKey: bulkKeys.childrenOf(bulkId),
  })) {
    if (!data) continue;
    const filter = key[4] as OperationStatus | "ALL";
    const seen = new Set<string>();
    let changed = false;
    const pages = data.pages.map((page) => {
      let dropped = 0;
      const items = page.items.flatMap((row) => {
        const next = children.get(row.id);
        if (!next) return [row];
        seen.add(row.id);
        changed = true;
        if (filter !== "ALL" && next.status !== filter) {
          dropped += 1;
          return [];
        }
        return [{ ...next, deviceName: next.deviceName ?? row.deviceName }];
      });
      return dropped || items !== page.items
        ? { ...page, items, total: page.total === null ? null : page.total - dropped }
        : page;
    });
    if (changed) queryClient.setQueryData<InfiniteData<BulkChildrenDto>>(key, { ...data, pages });
    for (const child of children.values())
      if (!seen.has(child.id) && (filter === "ALL" || child.status === filter)) unseen = true;
  }
  return unseen;
}

/** The status filter's name for a general status, as the list offers it. */
export const GENERAL_STATUSES: readonly BulkGeneralStatus[] = bulkGeneralStatusSchema.options;
