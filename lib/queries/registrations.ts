import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import {
  bulkRegistrationResultSchema,
  registrationListDtoSchema,
  registrationListQuerySchema,
  rowResultsSchema,
  type BulkRegistrationResult,
  type RegistrationListDto,
  type RegistrationListQuery,
  type RegistrationStatus,
  type RowResult,
} from "@/lib/schemas/registrations";
import { apiFetch } from "./api-client";
import { liveAwareInterval } from "./live/status";

/** How often the list asks again while it is on screen: a knocking device shows up within a few seconds. */
export const REGISTRATIONS_POLL_MS = 3000;
/** While `registration.changed` events flow (docs/live-updates.md) polling is only a slow safety net. */
export const REGISTRATIONS_LIVE_POLL_MS = 60_000;
export const REGISTRATION_PAGE_SIZES = [25, 50, 100] as const;
/** Page size for reading whole lists (known ids, all pending): the BFF's maximum. */
const SWEEP_PAGE_SIZE = 500;
/** 100,000 requests; a guard against a list that never ends, not a limit anyone should meet. */
const SWEEP_MAX_PAGES = 200;

type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function param(input: SearchInput, name: string): string | undefined {
  const value = input instanceof URLSearchParams ? input.get(name) : input[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/**
 * The list's state as it lives in the address bar (?status=&search=&sort=&page=&pageSize=). Used by the server
 * page and by the client, so both build the same query key. A bad value falls back to its default instead of
 * failing the page: the URL is something people edit and share.
 */
export function parseRegistrationSearch(input: SearchInput): RegistrationListQuery {
  const field = <K extends keyof RegistrationListQuery>(key: K): RegistrationListQuery[K] | undefined => {
    const shape = registrationListQuerySchema.shape[key];
    const parsed = shape.safeParse(param(input, key) || undefined);
    return parsed.success ? (parsed.data as RegistrationListQuery[K]) : undefined;
  };
  const pageSize = field("pageSize");
  return {
    status: field("status"),
    search: field("search") || undefined,
    sort: field("sort") ?? "newest",
    page: field("page") ?? 1,
    pageSize: pageSize && (REGISTRATION_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : 50,
  };
}

/** The address-bar form of a query, leaving defaults out so plain /registrations stays plain. */
export function registrationSearchString(query: RegistrationListQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.search) params.set("search", query.search);
  if (query.sort !== "newest") params.set("sort", query.sort);
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== 50) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function listPath(query: RegistrationListQuery): string {
  const params = new URLSearchParams({
    sort: query.sort,
    page: String(query.page),
    pageSize: String(query.pageSize),
  });
  if (query.status) params.set("status", query.status);
  if (query.search) params.set("search", query.search);
  return `/api/registrations?${params.toString()}`;
}

/** Query keys only from here (docs/style.md rule 7); everything a fetcher reads is in its key. */
export const registrationKeys = {
  all: ["registrations"] as const,
  lists: () => [...registrationKeys.all, "list"] as const,
  list: (query: RegistrationListQuery) => [...registrationKeys.lists(), query] as const,
  /** Every request's id and status, for duplicate checks before registering. */
  known: () => [...registrationKeys.all, "known"] as const,
};

export function fetchRegistrationList(query: RegistrationListQuery, signal?: AbortSignal) {
  return apiFetch(listPath(query), { schema: registrationListDtoSchema, signal });
}

/** Reads every page of a (filtered) list; used where a whole set is needed, never for display. */
export async function fetchAllRegistrations(status?: RegistrationStatus, signal?: AbortSignal) {
  const all: RegistrationListDto["items"] = [];
  for (let page = 1; page <= SWEEP_MAX_PAGES; page++) {
    const chunk = await fetchRegistrationList(
      { status, sort: "oldest", page, pageSize: SWEEP_PAGE_SIZE },
      signal,
    );
    all.push(...chunk.items);
    if (chunk.items.length < SWEEP_PAGE_SIZE || all.length >= chunk.total) break;
  }
  return all;
}

export const registrationQueries = {
  list: (query: RegistrationListQuery) =>
    queryOptions({
      queryKey: registrationKeys.list(query),
      queryFn: ({ signal }) => fetchRegistrationList(query, signal),
      refetchInterval: liveAwareInterval("registrations", REGISTRATIONS_POLL_MS, REGISTRATIONS_LIVE_POLL_MS),
      // A server-prefetched page is fresh; don't fetch it again the moment the browser takes over.
      staleTime: REGISTRATIONS_POLL_MS - 1000,
      // Keep the old page on screen while the next filter/page loads, instead of flashing skeletons.
      placeholderData: keepPreviousData,
    }),
  known: () =>
    queryOptions({
      queryKey: registrationKeys.known(),
      queryFn: async ({ signal }) =>
        (await fetchAllRegistrations(undefined, signal)).map(
          (r) => [r.id, r.status] as [string, RegistrationStatus],
        ),
      staleTime: 10_000,
    }),
};

// Mutations (called through useMutation or the chunked runner; callers invalidate registrationKeys.all).

export async function registerIds(ids: string[]): Promise<RowResult[]> {
  return (await apiFetch("/api/registrations", { method: "POST", body: { ids }, schema: rowResultsSchema }))
    .results;
}

export async function acceptIds(ids: string[]): Promise<RowResult[]> {
  return (
    await apiFetch("/api/registrations/accept", { method: "POST", body: { ids }, schema: rowResultsSchema })
  ).results;
}

export function removeRegistration(id: string): Promise<void> {
  return apiFetch<void>(`/api/registrations/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function uploadBulkRegistrations(csv: string, fileName: string): Promise<BulkRegistrationResult> {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv;charset=utf-8" }), fileName);
  return apiFetch("/api/registrations/bulk", {
    method: "POST",
    body: form,
    schema: bulkRegistrationResultSchema,
  });
}
