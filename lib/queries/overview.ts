import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { overviewDtoSchema } from "@/lib/schemas/overview";
import { apiFetch } from "./api-client";

/**
 * The overview's counts come from several platform resources, most without a live channel (registrations,
 * bulk operation totals), so the page refreshes on an interval instead of following events.
 */
export const OVERVIEW_REFRESH_MS = 15_000;

/** Query keys only from here (docs/style.md rule 7). */
export const overviewKeys = {
  all: ["overview"] as const,
};

function fetchOverview(signal: AbortSignal, fresh: boolean) {
  return apiFetch(fresh ? "/api/overview?fresh=true" : "/api/overview", {
    schema: overviewDtoSchema,
    signal,
  });
}

export const overviewQueries = {
  counts: () =>
    queryOptions({
      queryKey: overviewKeys.all,
      queryFn: ({ signal }) => fetchOverview(signal, false),
      refetchInterval: OVERVIEW_REFRESH_MS,
      staleTime: 5_000,
    }),
};

/**
 * The operator's Refresh: the same cache entry, but counts the BFF keeps between reads (the registrations) are
 * read anew, as on a page load; the background refresh takes them as kept (docs/fleet-overview.md).
 */
export function refreshOverview(client: QueryClient) {
  return client.fetchQuery({
    queryKey: overviewKeys.all,
    queryFn: ({ signal }) => fetchOverview(signal, true),
    staleTime: 0,
  });
}
