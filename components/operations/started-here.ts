"use client";

import { useSyncExternalStore } from "react";

/**
 * Operations this browser tab started (sent or re-ran), so the tab can tell the operator when they finish. Kept
 * in sessionStorage: a reload of the tab still notifies, another tab does not.
 */

const STORAGE_KEY = "c8y-console.started-operations";
/** Far more than anyone starts in one sitting; the oldest are forgotten first. */
const LIMIT = 200;

interface Started {
  id: string;
  /** Its device, whose operations the tab then follows live. */
  deviceId: string;
  /** What the toast calls it: "Restart on Gateway 1". */
  label: string;
}

let started: Started[] | null = null;
const listeners = new Set<() => void>();
const EMPTY: Started[] = [];

function load(): Started[] {
  if (started) return started;
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "[]");
    started = Array.isArray(raw)
      ? raw.filter((x): x is Started => {
          const item = x as Partial<Record<keyof Started, unknown>> | null;
          return (
            typeof item?.id === "string" &&
            typeof item.deviceId === "string" &&
            typeof item.label === "string"
          );
        })
      : [];
  } catch {
    started = [];
  }
  return started;
}

function save(next: Started[]) {
  started = next.slice(-LIMIT);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(started));
  } catch {
    // Storage full or disabled: the notification still works until the tab reloads.
  }
  for (const l of listeners) l();
}

export function markStarted(op: { id: string; deviceId: string }, label: string) {
  if (load().some((s) => s.id === op.id)) return;
  save([...load(), { id: op.id, deviceId: op.deviceId, label }]);
}

/** Forgets an operation; true when it was there (so exactly one caller notifies). */
export function takeStarted(id: string): boolean {
  const all = load();
  if (!all.some((s) => s.id === id)) return false;
  save(all.filter((s) => s.id !== id));
  return true;
}

export function useStartedOperations(): Started[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load,
    () => EMPTY,
  );
}
