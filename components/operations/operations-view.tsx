"use client";

import { OperationsList } from "./operations-list";
import { useOperationSearch } from "./use-operation-search";

/** The fleet-wide operations page: every device's operations, newest first, filters in the address bar. */
export function OperationsView() {
  const [query, setQuery] = useOperationSearch();
  return <OperationsList query={query} onQueryChange={setQuery} />;
}
