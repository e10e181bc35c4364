import "server-only";
import { createHash } from "node:crypto";
import type { SessionData } from "../session";
import { systemClock, type Timer } from "./clock";
import { LiveHub, type HubSettings } from "./hub";
import type { LiveSink } from "./sse";

/**
 * The live hubs of this server process, one per platform credential: created when the first stream of that
 * credential opens, stopped `idleMs` after its last stream closed (a page navigation or reload comes back within
 * that time and finds the hub, its session and its replay buffer still there). A credential the platform refused
 * is remembered for `refusedCooldownMs`: streams with it are answered 401 at once instead of trying again.
 */

export interface RegistrySettings extends HubSettings {
  idleMs: number;
  refusedCooldownMs: number;
  /** A client leaving more than this unread is dropped. */
  maxQueuedBytes: number;
}

export const DEFAULT_SETTINGS: RegistrySettings = {
  clock: systemClock,
  bayeux: {},
  replayEvents: 2_000,
  replayMaxAgeMs: 10 * 60_000,
  heartbeatMs: 15_000,
  retryMs: 2_000,
  registrationsPollMs: 3_000,
  lingerMs: 30_000,
  idleMs: 30_000,
  refusedCooldownMs: 60_000,
  maxQueuedBytes: 1024 * 1024,
  log: (line) => console.warn(line),
};

interface Entry {
  hub: LiveHub;
  idle: Timer | undefined;
}

export class LiveHubRegistry {
  readonly settings: RegistrySettings;
  private readonly hubs = new Map<string, Entry>();
  private readonly refusedUntil = new Map<string, number>();
  /** Hubs being stopped (idle or refused): `settled()` and `close()` wait for them. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(settings: Partial<RegistrySettings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** The hub for a session's credential, or "refused" while that credential is known to be refused. */
  acquire(session: SessionData): LiveHub | "refused" {
    const key = credentialKey(session);
    const now = this.settings.clock.now();
    for (const [k, until] of this.refusedUntil) if (until <= now) this.refusedUntil.delete(k);
    if (this.refusedUntil.has(key)) return "refused";
    let entry = this.hubs.get(key);
    if (!entry) {
      const hub: LiveHub = new LiveHub({
        ...this.settings,
        label: key.slice(0, 8),
        auth: session.auth,
        platformUrl: session.platformUrl,
        tenant: session.tenant,
        onRefused: (h) => this.onRefused(key, h),
      });
      entry = { hub, idle: undefined };
      this.hubs.set(key, entry);
    }
    entry.idle?.cancel();
    entry.idle = undefined;
    return entry.hub;
  }

  /** A stream of `hub` ended: detach it; the last one starts the idle countdown. */
  release(hub: LiveHub, sink: LiveSink): void {
    hub.detach(sink);
    const key = this.keyOf(hub);
    if (key === undefined) return;
    const entry = this.hubs.get(key)!;
    if (hub.streamCount > 0 || entry.idle) return;
    entry.idle = this.settings.clock.setTimeout(() => {
      if (this.hubs.get(key) !== entry || hub.streamCount > 0) return;
      this.hubs.delete(key);
      this.stopHub(hub);
    }, this.settings.idleMs);
  }

  /** Hubs, their streams and upstream sessions, for tests, health checks and the benchmark. */
  stats() {
    return [...this.hubs.values()].map(({ hub, idle }) => ({
      label: hub.epoch,
      streams: hub.streamCount,
      idle: idle !== undefined,
      bayeux: hub.bayeuxStats,
      counters: { ...hub.counters },
    }));
  }

  /** Resolves once the hubs being stopped right now are stopped. */
  async settled(): Promise<void> {
    await Promise.all(this.stopping);
  }

  /** Stops every hub (tests, shutdown). */
  async close(): Promise<void> {
    const entries = [...this.hubs.values()];
    this.hubs.clear();
    for (const e of entries) e.idle?.cancel();
    await Promise.all([...entries.map((e) => e.hub.stop()), this.settled()]);
  }

  private stopHub(hub: LiveHub) {
    const done = hub.stop().finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }

  private keyOf(hub: LiveHub): string | undefined {
    for (const [key, entry] of this.hubs) if (entry.hub === hub) return key;
    return undefined;
  }

  private onRefused(key: string, hub: LiveHub) {
    this.refusedUntil.set(key, this.settings.clock.now() + this.settings.refusedCooldownMs);
    const entry = this.hubs.get(key);
    if (entry?.hub === hub) {
      entry.idle?.cancel();
      this.hubs.delete(key);
    }
    this.stopHub(hub);
  }
}

/** A digest of the platform and the credential: the secret itself is never a map key or a log line. */
export function credentialKey(session: Pick<SessionData, "auth" | "platformUrl">): string {
  const secret = session.auth.scheme === "bearer" ? session.auth.token : session.auth.credentials;
  return createHash("sha256")
    .update(`${session.platformUrl}\n${session.auth.scheme}\n${secret}`)
    .digest("hex");
}

const GLOBAL_KEY = Symbol.for("c8y-console.live-hubs");
type GlobalWithHubs = typeof globalThis & { [GLOBAL_KEY]?: LiveHubRegistry };

/**
 * The process-wide registry. Kept on globalThis so that Next.js loading route modules more than once (dev mode,
 * separate route bundles) still gives one subscriber per credential per process.
 */
export function liveHubs(): LiveHubRegistry {
  const g = globalThis as GlobalWithHubs;
  return (g[GLOBAL_KEY] ??= new LiveHubRegistry());
}

/** Replaces the process-wide registry (tests and the benchmark tune clocks and limits); returns the old one. */
export function setLiveHubs(registry: LiveHubRegistry): LiveHubRegistry | undefined {
  const g = globalThis as GlobalWithHubs;
  const previous = g[GLOBAL_KEY];
  g[GLOBAL_KEY] = registry;
  return previous;
}
