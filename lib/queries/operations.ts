import { keepPreviousData, queryOptions, type QueryClient } from "@tanstack/react-query";
import { historyDtoSchema, type HistoryDto } from "@/lib/schemas/audit";
import {
  OPERATION_PAGE_SIZES,
  deviceOperationContextSchema,
  isFinalStatus,
  operationDetailDtoSchema,
  operationDtoSchema,
  operationListDtoSchema,
  operationListQuerySchema,
  supersedes,
  type CreateOperationInput,
  type OperationDetailDto,
  type OperationDto,
  type OperationListDto,
  type OperationListQuery,
} from "@/lib/schemas/operations";
import { apiFetch } from "./api-client";
import { liveAwareInterval } from "./live/status";

/**
 * The browser's data layer for operations: URL state, query keys and options, mutations, and the live hook-in
 * (`applyOperationEvent`) that the event stream's dispatcher calls for operation.created / operation.updated.
 * Histories (operations and bulk operations) come from the platform's audit records through the BFF and live in
 * the query cache like everything else (docs/operations-ui.md, "Timeline").
 */

/**
 * Polling while live events for operations are not flowing (the stream is connecting, reconnecting or offline);
 * while they flow, only a slow safety net. A detail that can still change is asked again sooner.
 */
export const OPERATIONS_POLL_MS = 15_000;
export const OPERATION_DETAIL_POLL_MS = 5_000;
export const OPERATIONS_LIVE_SAFETY_NET_MS = 120_000;
const listInterval = liveAwareInterval("operations", OPERATIONS_POLL_MS, OPERATIONS_LIVE_SAFETY_NET_MS);
const detailInterval = liveAwareInterval(
  "operations",
  OPERATION_DETAIL_POLL_MS,
  OPERATIONS_LIVE_SAFETY_NET_MS,
);
const DEFAULT_PAGE_SIZE = 25;
/** A bulk operation's history while it can still change: no live events for bulk operations reach it here. */
export const BULK_HISTORY_POLL_MS = 10_000;

const enc = encodeURIComponent;

// ----- URL state -----------------------------------------------------------------------------------------------

type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function param(input: SearchInput, name: string): string | undefined {
  const value = input instanceof URLSearchParams ? input.get(name) : input[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/**
 * Filters as they live in the address bar (?status=&device=&type=&page=&pageSize=), read the same way by the
 * server page and the browser. A bad value falls back to its default: URLs get edited and shared.
 */
export function parseOperationSearch(input: SearchInput): OperationListQuery {
  const field = <K extends keyof OperationListQuery>(key: K, name: string = key) => {
    const parsed = operationListQuerySchema.shape[key].safeParse(param(input, name) || undefined);
    return parsed.success ? (parsed.data as OperationListQuery[K]) : undefined;
  };
  const pageSize = field("pageSize");
  return {
    status: field("status"),
    deviceId: field("deviceId", "device"),
    type: field("type"),
    page: field("page") ?? 1,
    pageSize:
      pageSize && (OPERATION_PAGE_SIZES as readonly number[]).includes(pageSize)
        ? pageSize
        : DEFAULT_PAGE_SIZE,
  };
}

/** The address-bar form, defaults left out. `omitDevice` for the device page, where the device is the page. */
export function operationSearchString(query: OperationListQuery, options: { omitDevice?: boolean } = {}) {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.deviceId && !options.omitDevice) params.set("device", query.deviceId);
  if (query.type) params.set("type", query.type);
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

// ----- keys and queries ----------------------------------------------------------------------------------------

/** Query keys only from here (docs/style.md rule 7); everything a fetcher reads is in its key. */
export const operationKeys = {
  all: ["operations"] as const,
  lists: () => [...operationKeys.all, "list"] as const,
  list: (query: OperationListQuery) => [...operationKeys.lists(), query] as const,
  details: () => [...operationKeys.all, "detail"] as const,
  detail: (id: string) => [...operationKeys.details(), id] as const,
  /** Each status with its time and who set it (audit records). */
  history: (id: string) => [...operationKeys.all, "history", id] as const,
  /** What can be sent to a device (supported operations, agent, current configuration). */
  context: (deviceId: string) => [...operationKeys.all, "context", deviceId] as const,
};

/**
 * A bulk operation's history (audit records). Under the `bulk-operations` root, so invalidating every bulk operation
 * query refreshes it too.
 */
export const bulkOperationHistoryKeys = {
  all: ["bulk-operations"] as const,
  history: (id: string) => [...bulkOperationHistoryKeys.all, "history", id] as const,
};

function listPath(query: OperationListQuery): string {
  const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
  if (query.status) params.set("status", query.status);
  if (query.deviceId) params.set("deviceId", query.deviceId);
  if (query.type) params.set("type", query.type);
  return `/api/operations?${params.toString()}`;
}

export function fetchOperationList(query: OperationListQuery, signal?: AbortSignal) {
  return apiFetch(listPath(query), { schema: operationListDtoSchema, signal });
}

export function fetchOperation(id: string, signal?: AbortSignal): Promise<OperationDetailDto> {
  return apiFetch(`/api/operations/${enc(id)}`, { schema: operationDetailDtoSchema, signal });
}

export function fetchOperationHistory(id: string, signal?: AbortSignal): Promise<HistoryDto> {
  return apiFetch(`/api/operations/${enc(id)}/history`, { schema: historyDtoSchema, signal });
}

export function fetchBulkOperationHistory(id: string, signal?: AbortSignal): Promise<HistoryDto> {
  return apiFetch(`/api/bulk-operations/${enc(id)}/history`, { schema: historyDtoSchema, signal });
}

export const operationQueries = {
  list: (query: OperationListQuery) =>
    queryOptions({
      queryKey: operationKeys.list(query),
      queryFn: ({ signal }) => fetchOperationList(query, signal),
      refetchInterval: listInterval,
      staleTime: 5_000,
      // Keep the old page on screen while the next filter/page loads, instead of flashing skeletons.
      placeholderData: keepPreviousData,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: operationKeys.detail(id),
      queryFn: ({ signal }) => fetchOperation(id, signal),
      refetchInterval: (q) => {
        const status = q.state.data?.operation.status;
        return status && isFinalStatus(status) ? false : detailInterval();
      },
      staleTime: 5_000,
    }),
  /**
   * Fetched when a timeline is shown; refetched when a live event or the operator's own change moves the operation
   * on (`refreshHistory`), polled only as the detail is while live events are not flowing, never once final.
   */
  history: (id: string) =>
    queryOptions({
      queryKey: operationKeys.history(id),
      queryFn: ({ signal }) => fetchOperationHistory(id, signal),
      refetchInterval: (q) => (q.state.data?.final ? false : detailInterval()),
      staleTime: 5_000,
    }),
  context: (deviceId: string) =>
    queryOptions({
      queryKey: operationKeys.context(deviceId),
      queryFn: ({ signal }) =>
        apiFetch(`/api/devices/${enc(deviceId)}/operations/context`, {
          schema: deviceOperationContextSchema,
          signal,
        }),
      // The dialogs prefill from the device's current state: ask again whenever one opens.
      staleTime: 0,
    }),
};

export const bulkOperationQueries = {
  history: (id: string) =>
    queryOptions({
      queryKey: bulkOperationHistoryKeys.history(id),
      queryFn: ({ signal }) => fetchBulkOperationHistory(id, signal),
      refetchInterval: (q) => (q.state.data?.final ? false : BULK_HISTORY_POLL_MS),
      staleTime: 5_000,
    }),
};

// ----- mutations (callers invalidate or patch) -----------------------------------------------------------------

export function sendOperation(deviceId: string, input: CreateOperationInput): Promise<OperationDto> {
  return apiFetch(`/api/devices/${enc(deviceId)}/operations`, {
    method: "POST",
    body: input,
    schema: operationDtoSchema,
  });
}

export function cancelOperation(id: string, reason?: string): Promise<OperationDto> {
  return apiFetch(`/api/operations/${enc(id)}/cancel`, {
    method: "POST",
    body: reason ? { reason } : {},
    schema: operationDtoSchema,
  });
}

export function failOperation(id: string, reason: string): Promise<OperationDto> {
  return apiFetch(`/api/operations/${enc(id)}/fail`, {
    method: "POST",
    body: { reason },
    schema: operationDtoSchema,
  });
}

export function rerunOperation(id: string): Promise<OperationDto> {
  return apiFetch(`/api/operations/${enc(id)}/rerun`, { method: "POST", schema: operationDtoSchema });
}

// ----- live events ---------------------------------------------------------------------------------------------

function matches(query: OperationListQuery, op: OperationDto) {
  return (
    (!query.deviceId || query.deviceId === op.deviceId) &&
    (!query.status || query.status === op.status) &&
    (!query.type || query.type === op.type)
  );
}

/** Every cached copy of an operation: its detail and its rows in list pages. */
function cachedCopies(queryClient: QueryClient, id: string): OperationDto[] {
  const copies: OperationDto[] = [];
  const detail = queryClient.getQueryData<OperationDetailDto>(operationKeys.detail(id));
  if (detail) copies.push(detail.operation);
  for (const [, data] of queryClient.getQueriesData<OperationListDto>({ queryKey: operationKeys.lists() })) {
    const found = data?.items.find((o) => o.id === id);
    if (found) copies.push(found);
  }
  return copies;
}

/**
 * The platform names the device only in lists (docs/platform-api.md §5.4), so a copy read alone or pushed live
 * comes without the name; the one already shown stays.
 */
const withNameOf = (cached: OperationDto, op: OperationDto): OperationDto =>
  op.deviceName === null && cached.deviceName !== null ? { ...op, deviceName: cached.deviceName } : op;

/**
 * A cached history that does not know the operation's status yet is refetched: the platform wrote the change's
 * audit record with the change (docs/platform-fleet.md §2), so the history now has it, with its time and user.
 * Nothing happens for a history nobody has asked for.
 */
function refreshHistory(queryClient: QueryClient, op: OperationDto): void {
  const history = queryClient.getQueryData<HistoryDto>(operationKeys.history(op.id));
  if (history && history.status !== op.status)
    void queryClient.invalidateQueries({ queryKey: operationKeys.history(op.id), exact: true });
}

/**
 * What the live layer calls for `operation.created` and `operation.updated` (docs/style.md rule 10: events patch or
 * invalidate the cache, never a second store). The event carries the operation as the REST routes answer it, so
 * cached copies are replaced by it, and its history is refetched when the status moved on; a list the operation
 * now enters or leaves is refetched, so order, paging and totals stay the server's. An event older than what the
 * cache shows (`supersedes`) is ignored: the server orders its events, but a refetch can overtake one.
 */
export function applyOperationEvent(queryClient: QueryClient, op: OperationDto): void {
  if (cachedCopies(queryClient, op.id).some((c) => !supersedes(op.status, c.status))) return;
  refreshHistory(queryClient, op);
  queryClient.setQueryData<OperationDetailDto>(operationKeys.detail(op.id), (old) =>
    old ? { ...old, operation: withNameOf(old.operation, op) } : old,
  );
  for (const [key, data] of queryClient.getQueriesData<OperationListDto>({
    queryKey: operationKeys.lists(),
  })) {
    const query = key[2] as OperationListQuery | undefined;
    if (!data || !query) continue;
    const index = data.items.findIndex((o) => o.id === op.id);
    const wanted = matches(query, op);
    if (index >= 0 && wanted)
      queryClient.setQueryData<OperationListDto>(key, {
        ...data,
        items: data.items.map((o, i) => (i === index ? withNameOf(o, op) : o)),
      });
    // Entering the list (new, or now matching its status filter) or leaving it: the server orders and counts.
    else if (index >= 0 || wanted) void queryClient.invalidateQueries({ queryKey: key, exact: true });
  }
}

/** `operation.deleted`: the operation is gone; lists that showed it are refetched. */
export function applyOperationDeleted(queryClient: QueryClient, id: string): void {
  queryClient.removeQueries({ queryKey: operationKeys.detail(id), exact: true });
  queryClient.removeQueries({ queryKey: operationKeys.history(id), exact: true });
  for (const [key, data] of queryClient.getQueriesData<OperationListDto>({ queryKey: operationKeys.lists() }))
    if (data?.items.some((o) => o.id === id))
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
}

/** After a reconnect (`resync`): everything about operations may be out of date. */
export function resyncOperations(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: operationKeys.all });
}

/**
 * A mutation's answer into the cache at once (the live event, when it comes, changes nothing more). A new
 * operation goes to the top of the first pages it belongs on, so it shows as Pending the moment it exists; the
 * lists are then refetched for the server's order and totals.
 */
export function storeOperation(
  queryClient: QueryClient,
  op: OperationDto,
  options: { created?: boolean } = {},
) {
  refreshHistory(queryClient, op);
  queryClient.setQueryData<OperationDetailDto>(operationKeys.detail(op.id), (old) =>
    old ? { ...old, operation: op } : old,
  );
  if (options.created)
    for (const [key, data] of queryClient.getQueriesData<OperationListDto>({
      queryKey: operationKeys.lists(),
    })) {
      const query = key[2] as OperationListQuery | undefined;
      if (!data || !query || query.page !== 1 || !matches(query, op)) continue;
      if (data.items.some((o) => o.id === op.id)) continue;
      queryClient.setQueryData<OperationListDto>(key, {
        ...data,
        items: [op, ...data.items].slice(0, query.pageSize),
        total: data.total === null ? null : data.total + 1,
      });
    }
  void queryClient.invalidateQueries({ queryKey: operationKeys.lists() });
}
