"use client";

import { useState } from "react";
import { BulkStartButton } from "@/components/bulk-start/bulk-start-button";
import { BulkStartDialog } from "@/components/bulk-start/bulk-start-dialog";
import { OperationsList } from "./operations-list";
import { useOperationSearch } from "./use-operation-search";

/** The fleet-wide operations page: every device's operations, newest first, filters in the address bar. */
export function OperationsView() {
  const [query, setQuery] = useOperationSearch();
  const [bulk, setBulk] = useState(false);
  return (
    <>
      <div className="mb-4 flex justify-end">
        <BulkStartButton target="group" onClick={() => setBulk(true)}>
          New bulk operation
        </BulkStartButton>
      </div>
      <OperationsList query={query} onQueryChange={setQuery} />
      <BulkStartDialog start={bulk ? { kind: "pick-group" } : null} onClose={() => setBulk(false)} />
    </>
  );
}
