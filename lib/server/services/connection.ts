import "server-only";
import {
  availabilityStatusSchema,
  connectionStatusSchema,
  type AvailabilityStatus,
  type ConnectionDto,
  type ConnectionFilter,
  type ConnectionStatus,
} from "@/lib/schemas/device";

/**
 * A device's presence as the platform computes it (docs/emulator-presence.md; docs/platform-api.md §4.10):
 * `c8y_Connection {status}` says whether the device holds a push connection (it can receive operations now),
 * `c8y_Availability {status, lastMessage}` whether it sent anything within its `c8y_RequiredAvailability`
 * interval. Both are read-only and written by the platform only for monitored devices. This file is the one place
 * they become the console's `ConnectionDto` (docs/style.md rule 4): the tree, the search, the device page and the
 * live events all go through `toConnection`.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function statusOf<T extends string>(fragment: unknown, known: readonly T[]): T | "UNKNOWN" | null {
  if (!isObject(fragment)) return null;
  const status = fragment.status;
  if (typeof status !== "string" || status === "") return "UNKNOWN";
  return (known as readonly string[]).includes(status) ? (status as T) : "UNKNOWN";
}

const CONNECTION: readonly ConnectionStatus[] = connectionStatusSchema.options;
const AVAILABILITY: readonly AvailabilityStatus[] = availabilityStatusSchema.options;

/**
 * The presence of one managed object, or null when the platform does not monitor it (none of the three
 * fragments: a group, an asset, a device without `c8y_RequiredAvailability`). A monitored device whose statuses
 * have not been written yet, or carry a value this console does not know, is UNKNOWN rather than guessed.
 */
export function toConnection(mo: Json): ConnectionDto | null {
  const required = mo.c8y_RequiredAvailability;
  const connectionFragment = mo.c8y_Connection;
  const availabilityFragment = mo.c8y_Availability;
  if (!isObject(required) && !isObject(connectionFragment) && !isObject(availabilityFragment)) return null;
  const interval = isObject(required) ? required.responseInterval : undefined;
  const responseInterval = typeof interval === "number" && Number.isFinite(interval) ? interval : null;
  let connection = statusOf(connectionFragment, CONNECTION);
  let availability = statusOf(availabilityFragment, AVAILABILITY);
  // Monitored, but the platform has not said anything yet ("it may take some minutes", docs/emulator-presence.md).
  if (isObject(required) && connection === null && availability === null) {
    connection = "UNKNOWN";
    availability = "UNKNOWN";
  }
  const lastMessage = isObject(availabilityFragment) ? availabilityFragment.lastMessage : undefined;
  return {
    connection,
    availability,
    lastMessage: typeof lastMessage === "string" && lastMessage !== "" ? lastMessage : null,
    responseInterval,
  };
}

/**
 * The inventory query selecting the devices in one presence state: the fragments' statuses are ordinary
 * properties for the query language (`c8y_Availability.status eq 'UNAVAILABLE'`, docs/platform-api.md §4.3).
 */
export function connectionFilter(filter: ConnectionFilter): string {
  const condition =
    filter === "UNAVAILABLE"
      ? "c8y_Availability.status eq 'UNAVAILABLE'"
      : `c8y_Connection.status eq '${filter}'`;
  return `$filter=(has(c8y_IsDevice) and ${condition})`;
}
