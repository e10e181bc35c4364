import { queryOptions } from "@tanstack/react-query";
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

export const overviewQueries = {
  counts: () =>
    queryOptions({
      queryKey: overviewKeys.all,
      queryFn: ({ signal }) => apiFetch("/api/overview", { schema: overviewDtoSchema, signal }),
      refetchInterval: OVERVIEW_REFRESH_MS,
      staleTime: 5_000,
    }),
};
