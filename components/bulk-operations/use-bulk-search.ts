"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { bulkSearchString, parseBulkSearch } from "@/lib/queries/bulk-operations";
import type { BulkListQuery } from "@/lib/schemas/bulk-operations";

/** The bulk operation list's filters live in the address bar (bookmarkable, restored with Back). */
export function useBulkSearch() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = useMemo(() => parseBulkSearch(params), [params]);
  const update = useCallback(
    (patch: Partial<BulkListQuery>) => {
      // Any change other than the page itself starts again at page 1.
      const next = { ...query, page: 1, ...patch };
      window.history.pushState(null, "", `${pathname}${bulkSearchString(next)}`);
    },
    [query, pathname],
  );
  return [query, update] as const;
}
