"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RegistrationListQuery } from "@/lib/schemas/registrations";
import { parseRegistrationSearch, registrationSearchString } from "@/lib/queries/registrations";

/**
 * The list's filters live in the address bar, so a filtered view can be bookmarked, shared and restored with
 * Back. Native history calls keep Next's useSearchParams in step without a server round trip.
 */
export function useRegistrationSearch() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = useMemo(() => parseRegistrationSearch(params), [params]);

  const update = useCallback(
    (patch: Partial<RegistrationListQuery>, options: { replace?: boolean } = {}) => {
      // Any change other than the page itself starts again at page 1.
      const next = { ...query, page: 1, ...patch };
      const url = `${pathname}${registrationSearchString(next)}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [query, pathname],
  );
  return [query, update] as const;
}
