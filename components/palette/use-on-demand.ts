"use client";

import { useEffect, useRef, useState } from "react";

/**
 * A module fetched the first time it is `wanted`, and kept. Not `next/dynamic`: that suspends, and React holds back
 * a suspended boundary's content for about 300 ms after its fallback, which every first Ctrl-K on a page would
 * wait for even with the code in the browser's cache (docs/command-palette.md). If the fetch fails (the console
 * was redeployed and the chunk is gone, the network dropped), `onError` runs, and the next time it is wanted the
 * fetch is tried again.
 */
export function useOnDemand<T>(load: () => Promise<T>, wanted: boolean, onError: () => void): T | null {
  const [loaded, setLoaded] = useState<T | null>(null);
  const failed = useRef(onError);
  useEffect(() => {
    failed.current = onError;
  });
  useEffect(() => {
    if (!wanted || loaded) return;
    let current = true;
    load().then(
      (m) => current && setLoaded(m),
      () => current && failed.current(),
    );
    return () => {
      current = false;
    };
  }, [load, wanted, loaded]);
  return loaded;
}
