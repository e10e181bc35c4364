"use client";

import { searchResultsQuery } from "@/lib/schemas/bulk-create";
import type { SearchResultDto } from "@/lib/schemas/device-tree";
import { BulkStartButton } from "./bulk-start-button";
import { isCheckable } from "./selection";
import type { StartTarget } from "./start-target";

/**
 * "Run on these N results": the devices the search found, as a query (their name matches, or they matched by id
 * or external id), so the hidden group holds the search rather than a list. When more names match than were
 * listed, the dialog counts them all.
 */
export function SearchRunButton({
  q,
  data,
  onRun,
}: {
  q: string;
  data: SearchResultDto;
  onRun: (start: StartTarget) => void;
}) {
  const devices = data.items.filter(isCheckable);
  if (devices.length === 0) return null;
  const exact = devices.filter((d) => d.match !== "name").map((d) => d.id);
  const label = data.moreByName ? `all devices matching “${q}”` : `these ${devices.length} results`;
  return (
    <BulkStartButton
      target="selection"
      size="sm"
      onClick={() =>
        onRun({ kind: "query", query: searchResultsQuery(q, exact), label: `the devices matching “${q}”` })
      }
    >
      Run on {label}
    </BulkStartButton>
  );
}
