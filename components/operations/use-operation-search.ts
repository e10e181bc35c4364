"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { operationSearchString, parseOperationSearch } from "@/lib/queries/operations";
import type { OperationListQuery } from "@/lib/schemas/operations";

const KEYS = ["status", "device", "type", "page", "pageSize"] as const;
const prefixed = (prefix: string, key: string) =>
  prefix ? `${prefix}${key[0]!.toUpperCase()}${key.slice(1)}` : key;

/**
 * The list's filters live in the address bar, so a filtered view can be bookmarked, shared and restored with
 * Back. On the device page they carry a prefix (`opStatus`, …) next to the page's own parameters (`tab`), and the
 * device is the page's. Other parameters are left as they are.
 */
export function useOperationSearch(options: { prefix?: string; deviceId?: string } = {}) {
  const { prefix = "", deviceId } = options;
  const params = useSearchParams();
  const pathname = usePathname();
  const query = useMemo(() => {
    const own: Record<string, string> = {};
    for (const key of KEYS) {
      const value = params.get(prefixed(prefix, key));
      if (value !== null) own[key] = value;
    }
    const parsed = parseOperationSearch(own);
    return deviceId ? { ...parsed, deviceId } : parsed;
  }, [params, prefix, deviceId]);

  const update = useCallback(
    (patch: Partial<OperationListQuery>, options: { replace?: boolean } = {}) => {
      // Any change other than the page itself starts again at page 1.
      const next = { ...query, page: 1, ...patch };
      const search = new URLSearchParams(window.location.search);
      for (const key of KEYS) search.delete(prefixed(prefix, key));
      for (const [key, value] of new URLSearchParams(operationSearchString(next, { omitDevice: !!deviceId })))
        search.set(prefixed(prefix, key), value);
      const text = search.toString();
      const url = `${pathname}${text ? `?${text}` : ""}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [query, pathname, prefix, deviceId],
  );
  return [query, update] as const;
}
