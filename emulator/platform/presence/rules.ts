import { isPlainObject } from "../http/body.js";

/**
 * The availability and connection model of the platform (docs/platform-api.md §4.10, docs/emulator-presence.md):
 * pure functions from a device's fragments and what the platform knows about its traffic to the two fragments the
 * platform maintains on it.
 */

export const REQUIRED = "c8y_RequiredAvailability";
export const AVAILABILITY = "c8y_Availability";
export const CONNECTION = "c8y_Connection";
/** The fragments the platform computes itself; a client's value for them is ignored. */
export const MAINTAINED = [AVAILABILITY, CONNECTION] as const;

export type AvailabilityStatus = "AVAILABLE" | "UNAVAILABLE" | "MAINTENANCE";
export type ConnectionStatus = "CONNECTED" | "DISCONNECTED" | "MAINTENANCE";

/** The vendor stores the interval as a 16-bit integer and clamps values outside it. */
const MIN_INTERVAL = -32768;
const MAX_INTERVAL = 32767;

/**
 * `responseInterval` in whole minutes, clamped to the vendor's range; undefined when the device is not monitored
 * (no fragment, or no numeric interval in it).
 */
export function requiredInterval(fragments: Record<string, unknown>): number | undefined {
  const required = fragments[REQUIRED];
  if (!isPlainObject(required)) return undefined;
  const minutes = required.responseInterval;
  if (typeof minutes !== "number" || !Number.isFinite(minutes)) return undefined;
  return Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, Math.trunc(minutes)));
}

/** What the platform knows about a device's traffic, besides its fragments. */
export interface Facts {
  /** The last message (heartbeat) from the device, ms since the epoch; undefined when none is known. */
  lastMessageMs: number | undefined;
  /** A push connection for its operations is open (or ended less than the disconnect grace ago). */
  connected: boolean;
}

export interface Statuses {
  availability: AvailabilityStatus;
  connection: ConnectionStatus;
}

/**
 * The statuses of a monitored device: MAINTENANCE for an interval ≤ 0; otherwise AVAILABLE while its last message
 * is at most interval + grace old, and CONNECTED while a push connection is open. The two are independent: a device
 * may be AVAILABLE and DISCONNECTED (it sends data but does not listen for operations), or the other way round.
 */
export function statusesFor(intervalMin: number, facts: Facts, nowMs: number, graceMs: number): Statuses {
  if (intervalMin <= 0) return { availability: "MAINTENANCE", connection: "MAINTENANCE" };
  const fresh =
    facts.lastMessageMs !== undefined && nowMs - facts.lastMessageMs <= intervalMin * 60_000 + graceMs;
  return {
    availability: fresh ? "AVAILABLE" : "UNAVAILABLE",
    connection: facts.connected ? "CONNECTED" : "DISCONNECTED",
  };
}

/** The maintained fragments as stored: `status` of each and the last message time, when known. */
export interface Stored {
  availability: string | undefined;
  connection: string | undefined;
  lastMessageMs: number | undefined;
}

export function storedOf(fragments: Record<string, unknown>): Stored {
  const a = fragments[AVAILABILITY];
  const c = fragments[CONNECTION];
  const last = isPlainObject(a) && typeof a.lastMessage === "string" ? Date.parse(a.lastMessage) : NaN;
  return {
    availability: isPlainObject(a) && typeof a.status === "string" ? a.status : undefined,
    connection: isPlainObject(c) && typeof c.status === "string" ? c.status : undefined,
    lastMessageMs: Number.isNaN(last) ? undefined : last,
  };
}

/**
 * The changes (value, or null to remove) that bring the maintained fragments of an object in line with the model;
 * empty when they already are. An object that is not monitored carries neither fragment.
 */
export function maintainedChanges(
  fragments: Record<string, unknown>,
  facts: Facts,
  nowMs: number,
  graceMs: number,
): Map<string, unknown> {
  const changes = new Map<string, unknown>();
  const interval = requiredInterval(fragments);
  if (interval === undefined) {
    for (const key of MAINTAINED) if (Object.hasOwn(fragments, key)) changes.set(key, null);
    return changes;
  }
  const { availability, connection } = statusesFor(interval, facts, nowMs, graceMs);
  const wanted: Record<string, unknown> = {
    [AVAILABILITY]:
      facts.lastMessageMs === undefined
        ? { status: availability }
        : { lastMessage: new Date(facts.lastMessageMs).toISOString(), status: availability },
    [CONNECTION]: { status: connection },
  };
  for (const key of MAINTAINED) {
    if (JSON.stringify(fragments[key]) !== JSON.stringify(wanted[key])) changes.set(key, wanted[key]);
  }
  return changes;
}
