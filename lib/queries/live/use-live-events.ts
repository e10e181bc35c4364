"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { LiveResource, LiveTopic } from "@/lib/schemas/events";
import { apiFetch, loginUrlForHere } from "../api-client";
import { signOut } from "../session";
import { bulkCacheSink } from "../bulk-operations";
import { InvalidationBatch, RESOURCE_KEYS, applyLiveEvent, watchLateData } from "./apply-event";
import { BulkCoalescer } from "./bulk-coalescer";
import { LiveConnection, type LiveConnectionOptions } from "./connection";
import { isLiveFor, liveStatus, type LiveState, type LiveStatus } from "./status";

/**
 * React side of the live updates: the hook that owns the tab's connection (used once, by the provider in the
 * console layout), the hook views use to ask for extra topics, and the hooks freshness indicators read.
 */

/** Views add topics through this; the provider unions them with the page's own. */
export const LiveTopicsContext = createContext<((topics: readonly LiveTopic[]) => () => void) | null>(null);

/**
 * Opens the tab's event stream for `topics` and applies every event to the React Query cache. When the platform
 * refuses the operator's credential, the session is ended and the browser goes to the sign-in page.
 */
export function useLiveEvents(
  topics: readonly LiveTopic[],
  options: Pick<LiveConnectionOptions, "createEventSource"> = {},
): void {
  const queryClient = useQueryClient();
  const connection = useRef<LiveConnection | null>(null);
  const createEventSource = useRef(options.createEventSource);

  useEffect(() => {
    const batch = new InvalidationBatch(queryClient);
    const bulk = new BulkCoalescer(bulkCacheSink(queryClient));
    const conn = new LiveConnection({
      createEventSource: createEventSource.current,
      onEvent: (event) => applyLiveEvent(queryClient, event, batch, bulk),
      onSessionEnded: () => void endSession(queryClient),
      // An EventSource that got an HTTP error stops; a 401 here means the session is gone (apiFetch redirects).
      onClosed: () => void apiFetch("/api/auth/session").catch(() => undefined),
      log: (message) => console.warn(message),
    });
    const unwatch = watchLateData(queryClient, (r) => isLiveFor(liveStatus.get(), r), batch);
    const online = () => conn.setOnline(true);
    const offline = () => conn.setOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    connection.current = conn;
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      unwatch();
      conn.close();
      batch.cancel();
      bulk.cancel();
      connection.current = null;
    };
  }, [queryClient]);

  // Declared after the effect above, so it runs after it (also when both re-run).
  const key = [...topics].sort().join(",");
  useEffect(() => {
    connection.current?.setTopics(key ? (key.split(",") as LiveTopic[]) : []);
  }, [queryClient, key]);
}

async function endSession(queryClient: QueryClient) {
  try {
    await signOut();
  } catch {
    // The cookie is cleared by any later request that meets the refused credential anyway.
  }
  queryClient.clear();
  window.location.assign(loginUrlForHere());
}

/** Asks the tab's stream to follow `topics` too, while the calling component is mounted. */
export function useLiveTopics(topics: readonly LiveTopic[]): void {
  const register = useContext(LiveTopicsContext);
  const key = [...topics].sort().join(",");
  useEffect(() => {
    if (!register || !key) return;
    return register(key.split(",") as LiveTopic[]);
  }, [register, key]);
}

const serverStatus: LiveStatus = { state: "connecting", since: 0, topics: [], confirmedAt: {} };

/** The tab's live status (re-renders when it changes). */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(liveStatus.subscribe, liveStatus.get, () => serverStatus);
}

export interface Freshness {
  /** Whether this page follows any of the resources live at all. */
  followed: boolean;
  state: LiveState;
  /** Since when what is shown may be out of date (epoch ms): the oldest of the resources' newest fetch or live
   * confirmation; null when nothing is known. While live it is `now`. */
  updatedAt: number | null;
  now: number;
}

/** What a freshness indicator shows for some resources; re-evaluated every `tickMs`. */
export function useFreshness(resources: readonly LiveResource[], tickMs = 1000): Freshness {
  const status = useLiveStatus();
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  const followedResources = resources.filter((r) =>
    status.topics.some((t) => t === r || t.startsWith(`${r}:`)),
  );
  let oldest: number | null = null;
  for (const resource of followedResources) {
    // While events flow, what is shown is current as of now.
    let newest = isLiveFor(status, resource) ? now : (status.confirmedAt[resource] ?? null);
    for (const queryKey of RESOURCE_KEYS[resource]) {
      for (const query of queryClient.getQueryCache().findAll({ queryKey, type: "active" })) {
        const at = query.state.dataUpdatedAt;
        if (at > 0 && (newest === null || at > newest)) newest = at;
      }
    }
    if (newest !== null && (oldest === null || newest < oldest)) oldest = newest;
  }
  return { followed: followedResources.length > 0, state: status.state, updatedAt: oldest, now };
}
