"use client";

import { useEffect, useState } from "react";

/** The current time, moving every `intervalMs`: running durations and the stale badge follow the clock. */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
