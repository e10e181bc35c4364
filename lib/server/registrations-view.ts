import "server-only";
import { createHash } from "node:crypto";
import { registrationStatusSchema, type RegistrationStatus } from "@/lib/schemas/registrations";
import type { RegistrationChange } from "@/lib/schemas/events";
import { UpstreamError } from "./errors";
import { systemClock, type Clock } from "./realtime/clock";
import type { SessionData, UpstreamAuth } from "./session";
import { body, createPlatformClient, type PlatformClient } from "./upstream/client";

/**
 * One server-side view of a credential's registration requests, shared by every list call and the live hub's
 * poller of that credential (docs/registrations-cost.md). The platform has no status filter, no order and no
 * push channel for these requests, so the list must be read whole; this view reads it whole rarely:
 *
 * - concurrent callers share one upstream read (and one change check);
 * - a list of at most `smallList` requests is one small page: reading it is the check, every `checkMs`;
 * - a larger list is checked every `checkMs` with `pageSize=1&withTotalPages=true` (the count of requests, a few
 *   hundred bytes), plus a look at the few requests registered lately that still wait for their device, and read
 *   whole when the count moved, when it is `fullMs` old, or after a write the view could not follow;
 * - the BFF's own writes patch it at once (register, accept, delete) or mark it for a read (bulk).
 *
 * Every difference between two states (a read, a patch) goes to the listeners: that is the live hub's
 * `registration.changed`. The first state is the baseline and announces nothing.
 */

/** A registration request as the view keeps it (statuses this console does not know are left out). */
export interface ViewEntry {
  id: string;
  status: RegistrationStatus;
  owner: string | null;
  creationTime: string | null;
  groupId: string | null;
  type: string | null;
}

export interface ViewSettings {
  clock: Clock;
  /** Least time between two change checks. */
  checkMs: number;
  /** Oldest a state may be before the next caller reads the list whole (status changes leave the count alone). */
  fullMs: number;
  /** A list this long or shorter is read whole at every check: one small page. */
  smallList: number;
  /** Requests registered within this time that still wait for their device are looked at one by one... */
  watchMs: number;
  /** ...at most this many, the newest first. */
  watchMax: number;
  /** A view nobody used for this long is dropped. */
  idleMs: number;
  /** Replaces fetch for the view's platform calls (tests). */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * `direct`: every caller reads the whole list itself, nothing shared or kept, as before this view existed.
   * Only the benchmark's baseline sets it (REGISTRATIONS_VIEW=direct, bench/registrations-cost.ts).
   */
  mode: "shared" | "direct";
}

export const DEFAULT_VIEW_SETTINGS: ViewSettings = {
  clock: systemClock,
  checkMs: 2_000,
  fullMs: 10_000,
  smallList: 100,
  watchMs: 10 * 60_000,
  watchMax: 5,
  idleMs: 5 * 60_000,
  mode: process.env.REGISTRATIONS_VIEW === "direct" ? "direct" : "shared",
};

/** The platform's largest page (docs/platform-api.md §2.5). */
const PAGE_SIZE = 2000;
/** 100,000 requests; a guard against an endless list. */
const MAX_PAGES = 50;
/** Newly seen waiting requests remembered for the watch list. */
const MAX_FIRST_SEEN = 1000;

export type ViewListener = (changes: RegistrationChange[]) => void;

/** What the view did upstream, for tests and the benchmark. */
export interface ViewCounters {
  fullReads: number;
  checks: number;
  watchReads: number;
  requests: number;
}

interface State {
  byId: Map<string, ViewEntry>;
  /** Requests on the platform, unknown statuses included: what the count check compares with. */
  total: number;
}

/** A write of the BFF, replayed on a read that started before it. */
type Patch = (state: State) => void;

function toEntry(r: {
  id: string;
  status?: string;
  owner?: string;
  creationTime?: string;
  groupId?: string;
  type?: string;
}): ViewEntry | undefined {
  const status = registrationStatusSchema.safeParse(r.status);
  if (!status.success) return undefined;
  return {
    id: r.id,
    status: status.data,
    owner: r.owner ?? null,
    creationTime: r.creationTime ?? null,
    groupId: r.groupId ?? null,
    type: r.type ?? null,
  };
}

/** Differences between two states; a request registered again (other creationTime) is one too. */
function diff(before: Map<string, ViewEntry>, after: Map<string, ViewEntry>): RegistrationChange[] {
  const changes: RegistrationChange[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (was?.status !== now.status || was.creationTime !== now.creationTime)
      changes.push({ id, status: now.status });
  }
  for (const id of before.keys()) if (!after.has(id)) changes.push({ id, status: null });
  return changes;
}

export class RegistrationsView {
  private state: State | undefined;
  /** When the state was last read whole, and last checked (read or count), by the start of that call. */
  private readAt = 0;
  private checkedAt = 0;
  /** Counts the view's writes and check results; a read knows which ones it may miss. */
  private generation = 0;
  /** The generation at which the list must be read whole again (a write the view cannot follow, a moved count). */
  private staleGen = 0;
  /** The generation at which the last whole read that landed started. */
  private readGen = 0;
  private reading: { promise: Promise<void>; generation: number } | undefined;
  private checking: Promise<void> | undefined;
  private patches: { generation: number; apply: Patch }[] = [];
  /** When this view first saw each request still waiting for its device (for the watch list). */
  private readonly firstSeen = new Map<string, number>();
  private readonly listeners = new Set<ViewListener>();
  /** The state's requests in creation order, newest first, made once per state (a list call only filters it). */
  private order: { of: Map<string, ViewEntry>; newest: ViewEntry[]; oldest?: ViewEntry[] } | undefined;
  /** Devices of ACCEPTED requests found by their c8y_Serial identity; a miss is asked again after `fullMs`. */
  private readonly devices = new Map<
    string,
    { creationTime: string | null; deviceId: string | null; at: number }
  >();
  private calls = 0;
  lastUsed: number;
  readonly counters: ViewCounters = { fullReads: 0, checks: 0, watchReads: 0, requests: 0 };

  constructor(
    private readonly settings: ViewSettings,
    private readonly auth: UpstreamAuth,
    private readonly label: string,
  ) {
    this.lastUsed = settings.clock.now();
  }

  /** Listens to differences (the live hub); returns the unsubscribe. */
  subscribe(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * The requests, fresh as the settings say: from memory, after a count check, or after a whole read, each
   * shared with whoever asks at the same time. Throws the platform's error (a 401 ends the caller's session).
   */
  async entries(): Promise<ReadonlyMap<string, ViewEntry>> {
    const { clock, checkMs, fullMs, smallList } = this.settings;
    this.lastUsed = clock.now();
    if (this.settings.mode === "direct") {
      const state = await this.fetchAll();
      this.replace(state);
      return state.byId;
    }
    // A write or a moved count during a read or check asks for one more; writes without end get the last state.
    for (let round = 0; ; round++) {
      const now = clock.now();
      const state = this.state;
      if (!state || this.staleGen > this.readGen || now - this.readAt >= fullMs) {
        await this.readWhole();
      } else if (now - this.checkedAt >= checkMs) {
        if (state.total <= smallList) await this.readWhole();
        else await this.check();
      }
      if (this.state && (this.staleGen <= this.readGen || round >= 2)) return this.state.byId;
    }
  }

  /** The requests sorted by creation time (ties by id), as `entries()` would give them. */
  async sorted(sort: "newest" | "oldest", fresh = false): Promise<readonly ViewEntry[]> {
    const byId = await (fresh ? this.current() : this.entries());
    if (this.order?.of !== byId) {
      const newest = [...byId.values()].sort((a, b) => {
        const byTime = (b.creationTime ?? "").localeCompare(a.creationTime ?? "");
        return byTime !== 0 ? byTime : a.id.localeCompare(b.id);
      });
      this.order = { of: byId as Map<string, ViewEntry>, newest };
    }
    if (sort === "newest") return this.order.newest;
    if (this.order.oldest) return this.order.oldest;
    // Oldest first keeps ties by id, as newest first does.
    const oldest = [...this.order.newest].reverse();
    for (let i = 0; i < oldest.length;) {
      let j = i + 1;
      while (j < oldest.length && oldest[j]!.creationTime === oldest[i]!.creationTime) j++;
      if (j - i > 1) oldest.splice(i, j - i, ...oldest.slice(i, j).reverse());
      i = j;
    }
    this.order.oldest = oldest;
    return oldest;
  }

  /** A device found earlier for this ACCEPTED request: its id, null for "none", undefined for "ask". */
  knownDevice(e: ViewEntry): string | null | undefined {
    const hit = this.devices.get(e.id);
    if (!hit || hit.creationTime !== e.creationTime) return undefined;
    if (hit.deviceId === null && this.settings.clock.now() - hit.at >= this.settings.fullMs) return undefined;
    return hit.deviceId;
  }

  rememberDevice(e: ViewEntry, deviceId: string | null): void {
    if (this.devices.size > 10_000) this.devices.clear();
    this.devices.set(e.id, { creationTime: e.creationTime, deviceId, at: this.settings.clock.now() });
  }

  /** The BFF registered these requests (the platform's answers). */
  registered(entries: readonly ViewEntry[]): void {
    if (entries.length === 0) return;
    this.patch((s) => {
      for (const e of entries) {
        if (!s.byId.has(e.id)) s.total += 1;
        s.byId.set(e.id, e);
      }
    });
    const now = this.settings.clock.now();
    for (const e of entries) if (e.status === "WAITING_FOR_CONNECTION") this.firstSeen.set(e.id, now);
  }

  /** The BFF accepted these requests. */
  accepted(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.patch((s) => {
      for (const id of ids) {
        const e = s.byId.get(id);
        if (e) s.byId.set(id, { ...e, status: "ACCEPTED" });
      }
    });
  }

  /** The BFF deleted this request. */
  removed(id: string): void {
    this.patch((s) => {
      if (s.byId.delete(id)) s.total -= 1;
    });
  }

  /**
   * The requests as the platform has them now: a whole read that starts after this call (a page load, where the
   * operator expects a reload to show the truth, whatever happened outside the BFF since the last read).
   */
  async current(): Promise<ReadonlyMap<string, ViewEntry>> {
    this.invalidate();
    return this.entries();
  }

  /** A write whose effect the view cannot tell (a bulk registration): the next caller reads the list whole. */
  invalidate(): void {
    this.staleGen = ++this.generation;
  }

  // ----- reading -------------------------------------------------------------------------------------------------

  private platform(): PlatformClient {
    this.calls += 1;
    return createPlatformClient({
      auth: this.auth,
      requestId: `regview-${this.label}-${this.calls}`,
      ...(this.settings.fetch ? { fetch: this.settings.fetch } : {}),
    });
  }

  /** Reads the whole list, or joins the read under way if it started after the last write it must see. */
  private async readWhole(): Promise<void> {
    const current = this.reading;
    if (current && current.generation >= this.staleGen) return current.promise;
    if (current) await current.promise.catch(() => undefined);
    if (this.reading && this.reading.generation >= this.staleGen) return this.reading.promise;
    const generation = this.generation;
    const startedAt = this.settings.clock.now();
    const promise = this.fetchAll().then((state) => {
      // Writes of the BFF since this read started are not in it yet: replay them.
      for (const p of this.patches) if (p.generation > generation) p.apply(state);
      this.patches = [];
      this.readGen = Math.max(this.readGen, generation);
      this.readAt = Math.max(this.readAt, startedAt);
      this.checkedAt = Math.max(this.checkedAt, startedAt);
      this.replace(state);
    });
    const entry = { promise, generation };
    this.reading = entry;
    try {
      await promise;
    } finally {
      if (this.reading === entry) this.reading = undefined;
    }
  }

  private async fetchAll(): Promise<State> {
    this.counters.fullReads += 1;
    const platform = this.platform();
    const byId = new Map<string, ViewEntry>();
    let total = 0;
    for (let currentPage = 1; currentPage <= MAX_PAGES; currentPage++) {
      this.counters.requests += 1;
      const page = body(
        await platform.GET("/devicecontrol/newDeviceRequests", {
          params: { query: { pageSize: PAGE_SIZE, currentPage } },
        }),
      );
      total += page.newDeviceRequests.length;
      for (const r of page.newDeviceRequests) {
        const e = toEntry(r);
        if (e) byId.set(e.id, e);
      }
      // `next` is no end-of-data signal on this platform; a short page is (§2.5).
      if (page.newDeviceRequests.length < PAGE_SIZE) break;
    }
    return { byId, total };
  }

  /** The cheap check, shared: the count of requests, and the few lately registered requests still waiting. */
  private async check(): Promise<void> {
    if (this.checking) return this.checking;
    const promise = this.checkOnce().finally(() => {
      if (this.checking === promise) this.checking = undefined;
    });
    this.checking = promise;
    return promise;
  }

  private async checkOnce(): Promise<void> {
    const startedAt = this.settings.clock.now();
    const generation = this.generation;
    const platform = this.platform();
    const watched = this.watchList(startedAt);
    this.counters.checks += 1;
    this.counters.requests += 1 + watched.length;
    this.counters.watchReads += watched.length;
    const [count, ...looks] = await Promise.all([
      platform
        .GET("/devicecontrol/newDeviceRequests", {
          params: { query: { pageSize: 1, withTotalPages: true } },
        })
        .then((r) => body(r).statistics.totalPages),
      ...watched.map((id) => this.look(platform, id)),
    ]);
    // A write of the BFF meanwhile moved the count on its own; the next check compares again.
    if (generation !== this.generation || !this.state) return;
    // The count moved (or the platform gave none), or a watched request is gone: read the list whole.
    if (count === undefined || count !== this.state.total || looks.includes(null)) {
      this.staleGen = ++this.generation;
      return;
    }
    const changed = looks.filter((e): e is ViewEntry => !!e);
    if (changed.length > 0) this.patch((s) => changed.forEach((e) => s.byId.set(e.id, e)));
    this.checkedAt = Math.max(this.checkedAt, startedAt);
  }

  /** One request as the platform has it now: undefined when the view already has it so, null when it is gone. */
  private async look(platform: PlatformClient, id: string): Promise<ViewEntry | null | undefined> {
    try {
      const r = body(
        await platform.GET("/devicecontrol/newDeviceRequests/{requestId}", {
          params: { path: { requestId: id } },
        }),
      );
      const e = toEntry(r);
      const had = this.state?.byId.get(id);
      if (!e) return null;
      return had?.status === e.status && had.creationTime === e.creationTime ? undefined : e;
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return null;
      throw err;
    }
  }

  /** Requests first seen lately that still wait for their device: the ones an operator is watching knock. */
  private watchList(now: number): string[] {
    const { watchMs, watchMax } = this.settings;
    const out: [string, number][] = [];
    for (const [id, seen] of this.firstSeen) {
      const e = this.state?.byId.get(id);
      if (now - seen > watchMs || e?.status !== "WAITING_FOR_CONNECTION") this.firstSeen.delete(id);
      else out.push([id, seen]);
    }
    return out
      .sort((a, b) => b[1] - a[1])
      .slice(0, watchMax)
      .map(([id]) => id);
  }

  // ----- changing ------------------------------------------------------------------------------------------------

  private patch(apply: Patch): void {
    const generation = ++this.generation;
    if (this.reading) this.patches.push({ generation, apply });
    if (!this.state) return;
    const next: State = { byId: new Map(this.state.byId), total: this.state.total };
    apply(next);
    this.replace(next);
  }

  private replace(next: State): void {
    const before = this.state;
    this.state = next;
    const now = this.settings.clock.now();
    if (!before) {
      // The baseline: waiting requests seen now are not "lately registered".
      return;
    }
    // A bulk file of thousands is not what an operator watches knock one by one: the watch list stays short.
    for (const [id, e] of next.byId) {
      if (this.firstSeen.size >= MAX_FIRST_SEEN) break;
      if (e.status === "WAITING_FOR_CONNECTION" && !before.byId.has(id) && !this.firstSeen.has(id))
        this.firstSeen.set(id, now);
    }
    const changes = diff(before.byId, next.byId);
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
  }
}

/** The view's key: platform, tenant and the credential itself (a digest; the secret is never a key or a log). */
export function viewKey(scope: { platformUrl: string; tenant: string; auth: UpstreamAuth }): string {
  const { auth } = scope;
  const secret = auth.scheme === "bearer" ? auth.token : auth.credentials;
  return createHash("sha256")
    .update(`${scope.platformUrl}\n${scope.tenant}\n${auth.scheme}\n${secret}`)
    .digest("hex");
}

/** The views of this server process, one per credential; a view unused for `idleMs` is dropped. */
export class RegistrationViews {
  readonly settings: ViewSettings;
  private readonly views = new Map<string, RegistrationsView>();

  constructor(settings: Partial<ViewSettings> = {}) {
    this.settings = { ...DEFAULT_VIEW_SETTINGS, ...settings };
  }

  forCredential(scope: { platformUrl: string; tenant: string; auth: UpstreamAuth }): RegistrationsView {
    const now = this.settings.clock.now();
    for (const [k, v] of this.views)
      if (!v.listening && now - v.lastUsed > this.settings.idleMs) this.views.delete(k);
    const key = viewKey(scope);
    let view = this.views.get(key);
    if (!view) {
      view = new RegistrationsView(this.settings, scope.auth, key.slice(0, 8));
      this.views.set(key, view);
    }
    view.lastUsed = now;
    return view;
  }

  get size(): number {
    return this.views.size;
  }
}

const GLOBAL_KEY = Symbol.for("c8y-console.registration-views");
type GlobalWithViews = typeof globalThis & { [GLOBAL_KEY]?: RegistrationViews };

/** The process-wide views (on globalThis: Next.js may load route modules more than once). */
export function registrationViews(): RegistrationViews {
  const g = globalThis as GlobalWithViews;
  return (g[GLOBAL_KEY] ??= new RegistrationViews());
}

/** Replaces the process-wide views (tests and the benchmark); returns the old ones. */
export function setRegistrationViews(views: RegistrationViews): RegistrationViews | undefined {
  const g = globalThis as GlobalWithViews;
  const previous = g[GLOBAL_KEY];
  g[GLOBAL_KEY] = views;
  return previous;
}

/** The view of a signed-in operator's credential. */
export function viewForSession(
  session: Pick<SessionData, "platformUrl" | "tenant" | "auth">,
): RegistrationsView {
  return registrationViews().forCredential(session);
}
