import { queryOptions } from "@tanstack/react-query";
import {
  bulkCreatedDtoSchema,
  bulkDryRunDtoSchema,
  type BulkCreateInput,
  type BulkCreatedDto,
  type BulkDryRunDto,
  type BulkDryRunInput,
  type BulkTarget,
} from "@/lib/schemas/bulk-create";
import { apiFetch } from "./api-client";

/** The browser's side of starting a bulk operation (docs/bulk-start.md): the dry run's query and the create call. */

export const bulkCreateKeys = {
  all: ["bulk-create"] as const,
  /** The counts depend on the target and on the fragment asked for, nothing else of the operation. */
  dryRun: (target: BulkTarget, fragment: string) =>
    [...bulkCreateKeys.all, "dry-run", target, fragment] as const,
};

export function fetchDryRun(input: BulkDryRunInput, signal?: AbortSignal): Promise<BulkDryRunDto> {
  return apiFetch("/api/bulk-operations/dry-run", { body: input, schema: bulkDryRunDtoSchema, signal });
}

export const bulkCreateQueries = {
  /** Counted with the operation's fragment only: the counts do not change while the operator types. */
  dryRun: (target: BulkTarget, fragment: string) =>
    queryOptions({
      queryKey: bulkCreateKeys.dryRun(target, fragment),
      queryFn: ({ signal }) => fetchDryRun({ target, operation: { [fragment]: {} } }, signal),
      staleTime: 15_000,
      retry: false,
    }),
};

export function startBulkOperation(input: BulkCreateInput): Promise<BulkCreatedDto> {
  return apiFetch("/api/bulk-operations", { body: input, schema: bulkCreatedDtoSchema });
}
