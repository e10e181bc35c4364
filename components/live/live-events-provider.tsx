"use client";

import { usePathname } from "next/navigation";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { topicResource, type LiveResource, type LiveTopic } from "@/lib/schemas/events";
import { allowedTopics, topicsForPath } from "@/lib/queries/live/topics";
import { LiveTopicsContext, useLiveEvents } from "@/lib/queries/live/use-live-events";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { FreshnessIndicator } from "./freshness-indicator";

/**
 * Opens the tab's one event stream (mounted once, in the console layout): the page's topics come from its path
 * (lib/queries/live/topics.ts), views add more with `useLiveTopics`. Every event lands in the React Query cache.
 * A small indicator in the corner says whether the page is live.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const user = useSessionUser();
  const pathname = usePathname();
  const counts = useRef(new Map<LiveTopic, number>());
  const [extra, setExtra] = useState<readonly LiveTopic[]>([]);

  const register = useCallback((topics: readonly LiveTopic[]) => {
    const map = counts.current;
    for (const t of topics) map.set(t, (map.get(t) ?? 0) + 1);
    setExtra([...map.keys()]);
    return () => {
      for (const t of topics) {
        const n = (map.get(t) ?? 1) - 1;
        if (n > 0) map.set(t, n);
        else map.delete(t);
      }
      setExtra([...map.keys()]);
    };
  }, []);

  const topics = useMemo(
    () => [...new Set([...topicsForPath(pathname, user.can), ...allowedTopics(extra, user.can)])].sort(),
    [pathname, user.can, extra],
  );
  useLiveEvents(topics);
  const resources = useMemo(() => [...new Set(topics.map(topicResource))] as LiveResource[], [topics]);

  return (
    <LiveTopicsContext.Provider value={register}>
      {children}
      {resources.length > 0 && (
        <div className="pointer-events-none fixed bottom-4 left-4 z-40 print:hidden">
          <FreshnessIndicator resources={resources} className="pointer-events-auto shadow-sm" />
        </div>
      )}
    </LiveTopicsContext.Provider>
  );
}
