import { inventoryService, type InventoryService, type PresenceHook } from "../api/inventory/service.js";
import type { PlatformContext } from "../context.js";
import type { ChangeEvent } from "../events.js";
import type { Scheduler } from "../scheduler.js";
import {
  AVAILABILITY,
  CONNECTION,
  maintainedChanges,
  REQUIRED,
  requiredInterval,
  statusesFor,
  storedOf,
  type Facts,
  type Stored,
} from "./rules.js";

export interface PresenceSettings {
  /** How often the periodic check runs, ms. */
  checkIntervalMs: number;
  /** How long after an agent's last push connection ended it becomes DISCONNECTED (unless it reconnects), ms. */
  disconnectGraceMs: number;
  /** A device's lastMessage is written at most once per this period; newer messages wait in memory, ms. */
  lastMessageResolutionMs: number;
  /** Added to responseInterval before a silent device becomes UNAVAILABLE (the vendor: 180 s), ms. */
  availabilityGraceMs: number;
}

export const DEFAULT_PRESENCE_SETTINGS: Readonly<PresenceSettings> = {
  checkIntervalMs: 10_000,
  disconnectGraceMs: 30_000,
  lastMessageResolutionMs: 60_000,
  availabilityGraceMs: 180_000,
};

/** What the platform keeps per monitored device: its interval and the maintained fragments as stored. */
interface Entry {
  interval: number;
  stored: Stored;
}

/**
 * Maintains c8y_Availability and c8y_Connection on monitored devices (docs/emulator-presence.md). It learns about
 * messages (heartbeats) from the inventory routes and about push connections from the realtime endpoint, keeps an
 * in-memory index of the monitored devices (loaded at start, kept current from the change feed), and writes through
 * the inventory service only when a status changes or a stored lastMessage is older than the resolution.
 */
export class Presence implements PresenceHook {
  private readonly svc: InventoryService;
  private readonly index = new Map<number, Entry>();
  /** Newest message per device, also for devices that are not monitored (monitoring may start later). */
  private readonly lastMessage = new Map<number, number>();
  /** Devices with at least one live push connection. */
  private readonly connected = new Set<number>();
  /** When the last push connection of a device ended; its CONNECTED stands until the grace has passed. */
  private readonly lapsed = new Map<number, number>();
  private readonly unsubscribe: () => void;
  private baseUrl: string | undefined;
  private stopChecks: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly ctx: PlatformContext,
    readonly settings: Readonly<PresenceSettings>,
    private readonly scheduler: Scheduler,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.svc = inventoryService(ctx);
    const started = ctx.now();
    for (const row of this.svc.store.monitored()) {
      this.remember(row.id, {
        [REQUIRED]: parseJson(row.required),
        [AVAILABILITY]: parseJson(row.availability),
        [CONNECTION]: parseJson(row.connection),
      });
      // No push connection survives a restart: one that was open gets the same grace as any connection lost.
      if (this.index.get(row.id)?.stored.connection === "CONNECTED") this.lapsed.set(row.id, started);
    }
    this.unsubscribe = ctx.events.subscribe((event) => this.onChange(event));
    this.svc.attachPresence(this);
  }

  /** Starts the periodic check; `baseUrl` renders the objects of the updates it announces. */
  start(baseUrl: string): void {
    if (this.closed || this.stopChecks) return;
    this.baseUrl = baseUrl;
    this.stopChecks = this.scheduler.every(this.settings.checkIntervalMs, () => {
      try {
        this.check();
      } catch (err) {
        this.log("presence: periodic check failed", err);
      }
    });
  }

  /** Stops the check and writes the last messages still held in memory. Call before the database closes. */
  close(): void {
    if (this.closed) return;
    this.stopChecks?.();
    const pending = [...this.index].filter(
      ([id, e]) => (this.lastMessage.get(id) ?? -1) > (e.stored.lastMessageMs ?? -1),
    );
    this.reconcile(
      pending.map(([id]) => id),
      this.baseUrl,
    );
    this.closed = true;
    this.unsubscribe();
  }

  changesFor(id: number, fragments: Record<string, unknown>): Map<string, unknown> {
    const now = this.ctx.now();
    return maintainedChanges(
      fragments,
      this.facts(id, storedOf(fragments), now),
      now,
      this.settings.availabilityGraceMs,
    );
  }

  heartbeat(id: number, baseUrl: string): void {
    const now = this.ctx.now();
    this.lastMessage.set(id, now);
    const entry = this.index.get(id);
    if (!entry) return;
    const { lastMessageMs } = entry.stored;
    const stale = lastMessageMs === undefined || now - lastMessageMs >= this.settings.lastMessageResolutionMs;
    if (stale || this.differs(id, entry, now)) this.reconcile([id], baseUrl);
  }

  /** A push connection for the device's operations opened (the first one, when there are several). */
  connectionOpened(id: number): void {
    this.connected.add(id);
    this.lapsed.delete(id);
    const entry = this.index.get(id);
    if (entry && this.differs(id, entry, this.ctx.now())) this.reconcile([id], this.baseUrl);
  }

  /** The last push connection for the device's operations ended; DISCONNECTED follows after the grace. */
  connectionClosed(id: number): void {
    this.connected.delete(id);
    this.lapsed.set(id, this.ctx.now());
  }

  /** One pass of the periodic check: every monitored device whose status is due to change is written. */
  check(): void {
    if (this.closed) return;
    const now = this.ctx.now();
    for (const [id, at] of this.lapsed)
      if (now - at >= this.settings.disconnectGraceMs) this.lapsed.delete(id);
    const due: number[] = [];
    for (const [id, entry] of this.index) if (this.differs(id, entry, now)) due.push(id);
    this.reconcile(due, this.baseUrl);
  }

  private facts(id: number, stored: Stored, now: number): Facts {
    const heard = this.lastMessage.get(id);
    const lapsedAt = this.lapsed.get(id);
    return {
      lastMessageMs:
        heard === undefined || (stored.lastMessageMs !== undefined && stored.lastMessageMs > heard)
          ? stored.lastMessageMs
          : heard,
      connected:
        this.connected.has(id) ||
        (lapsedAt !== undefined &&
          now - lapsedAt < this.settings.disconnectGraceMs &&
          stored.connection === "CONNECTED"),
    };
  }

  private differs(id: number, entry: Entry, now: number): boolean {
    const wanted = statusesFor(
      entry.interval,
      this.facts(id, entry.stored, now),
      now,
      this.settings.availabilityGraceMs,
    );
    return wanted.availability !== entry.stored.availability || wanted.connection !== entry.stored.connection;
  }

  /** Brings the devices in line in one transaction and announces each object that changed. */
  private reconcile(ids: readonly number[], baseUrl: string | undefined): void {
    if (ids.length === 0 || baseUrl === undefined || this.closed) return;
    const { store } = this.svc;
    const written = this.ctx.db.transaction(() =>
      ids.filter((id) => {
        const row = store.get(id);
        return (
          row &&
          this.svc.applyMaintainedInTx(
            row,
            this.changesFor(id, JSON.parse(row.fragments) as Record<string, unknown>),
          )
        );
      }),
    )();
    // The UPDATE events also bring the index up to date (onChange).
    this.svc.publishUpdated(written, baseUrl);
  }

  private onChange(event: ChangeEvent): void {
    if (event.api !== "managedobjects") return;
    const id = Number(event.id);
    if (event.action === "DELETE") {
      this.index.delete(id);
      this.lastMessage.delete(id);
      this.lapsed.delete(id);
      return;
    }
    this.remember(id, event.data);
  }

  private remember(id: number, fragments: Record<string, unknown>): void {
    const interval = requiredInterval(fragments);
    if (interval === undefined) this.index.delete(id);
    else this.index.set(id, { interval, stored: storedOf(fragments) });
  }
}

function parseJson(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}
