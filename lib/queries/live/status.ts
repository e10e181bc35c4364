import { topicResource, type LiveResource, type LiveTopic } from "@/lib/schemas/events";

/**
 * How this tab's live connection is doing. Connection state only: the data itself lives in the React Query cache
 * (docs/style.md rule 10). One store per tab, written by the live connection, read by freshness indicators and by
 * queries that poll only while live updates are not flowing.
 *
 * - `connecting`: the stream is opening, or the server is still setting up its subscription;
 * - `live`: events are flowing for the topics of this page;
 * - `reconnecting`: the stream or the server's subscription broke and is being restored;
 * - `offline`: that has taken too long, or the browser is offline; pages fall back to polling.
 */
export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveStatus {
  state: LiveState;
  /** When `state` was entered (epoch ms). */
  since: number;
  /** Topics the current stream follows. */
  topics: readonly LiveTopic[];
  /** Per resource, when the stream last told this tab something about it (an event, or going live). */
  confirmedAt: Partial<Record<LiveResource, number>>;
}

type Listener = () => void;

export class LiveStatusStore {
  private status: LiveStatus = { state: "connecting", since: Date.now(), topics: [], confirmedAt: {} };
  private readonly listeners = new Set<Listener>();

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = (): LiveStatus => this.status;

  update(patch: Partial<LiveStatus>): void {
    const next = { ...this.status, ...patch };
    if (patch.state !== undefined && patch.state !== this.status.state && patch.since === undefined)
      next.since = Date.now();
    this.status = next;
    for (const l of this.listeners) l();
  }

  /** Marks resources as confirmed current now. */
  confirm(resources: Iterable<LiveResource>, at = Date.now()): void {
    const confirmedAt = { ...this.status.confirmedAt };
    for (const r of resources) confirmedAt[r] = at;
    this.update({ confirmedAt });
  }
}

/** The tab's store. */
export const liveStatus = new LiveStatusStore();

/** Whether events for `resource` are flowing right now. */
export function isLiveFor(status: LiveStatus, resource: LiveResource): boolean {
  return status.state === "live" && status.topics.some((t) => topicResource(t) === resource);
}

/**
 * A `refetchInterval` for queries that live events keep current: `whileLive` while they flow (a slow safety net,
 * or false), `fallbackMs` otherwise. React Query asks again after every fetch, so a change of state takes
 * effect within one fallback period.
 */
export function liveAwareInterval(
  resource: LiveResource,
  fallbackMs: number,
  whileLive: number | false,
  store: LiveStatusStore = liveStatus,
): () => number | false {
  return () => (isLiveFor(store.get(), resource) ? whileLive : fallbackMs);
}
