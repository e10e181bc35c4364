"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export const DEVICE_TABS = ["overview", "fragments", "identity", "children", "operations"] as const;
export type DeviceTab = (typeof DEVICE_TABS)[number];

const isTab = (v: string | null): v is DeviceTab => (DEVICE_TABS as readonly string[]).includes(v ?? "");

/** The open tab lives in the address (?tab=…), so a link or a reload opens the same one. */
export function useDeviceTab(): [DeviceTab, (tab: DeviceTab) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get("tab");
  const tab: DeviceTab = isTab(raw) ? raw : "overview";
  const setTab = useCallback(
    (next: DeviceTab) => {
      const search = new URLSearchParams(params.toString());
      if (next === "overview") search.delete("tab");
      else search.set("tab", next);
      const qs = search.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return [tab, setTab];
}

/** The tab `by` steps away from `tab`, wrapping round (the `]` and `[` shortcuts). */
export function stepTab(tab: DeviceTab, by: 1 | -1): DeviceTab {
  const i = DEVICE_TABS.indexOf(tab);
  return DEVICE_TABS[(i + by + DEVICE_TABS.length) % DEVICE_TABS.length]!;
}
