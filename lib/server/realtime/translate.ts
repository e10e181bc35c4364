import "server-only";
import { toConnection } from "../services/connection";
import { liveDeviceSchema, type LiveDataEvent, type LiveDevice, type LiveTopic } from "@/lib/schemas/events";
import { readUpstreamBulkOperation, toBulkOperationDto } from "../services/bulk-operations";

/**
 * Bayeux deliveries on the realtime endpoint → what the hub does with them. The endpoint wraps every change as
 * `{realtimeAction, data}`; some reference pages draw a one-element array of those, so both are read
 * (docs/realtime.md §1.3). A deletion's `data` is the bare id. Managed objects become device events here; an
 * operation is handed on as the platform sent it, because the reconciler orders it and the operations service
 * maps it (`toOperationDto`, the one mapper of operations).
 */

export type Delivery =
  /** An operation created or updated, as the platform pushed it (unchecked JSON). */
  | { kind: "operation"; created: boolean; operation: unknown }
  | { kind: "operation-deleted"; id: string; deviceId: string }
  | { kind: "event"; event: LiveDataEvent };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const idOf = (v: unknown): string | null =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;

function toLiveDevice(raw: unknown): LiveDevice | null {
  if (!isObject(raw)) return null;
  const id = idOf(raw.id);
  if (!id) return null;
  return liveDeviceSchema.parse({
    id,
    name: str(raw.name),
    type: str(raw.type),
    owner: str(raw.owner),
    lastUpdated: str(raw.lastUpdated),
    isDevice: "c8y_IsDevice" in raw,
    isGroup: "c8y_IsDeviceGroup" in raw,
    isAgent: "com_cumulocity_model_Agent" in raw,
    connection: toConnection(raw),
  });
}

/** The Bayeux channel a topic listens on (the realtime endpoint); undefined for polled topics. */
export function channelForTopic(topic: LiveTopic): string | undefined {
  if (topic === "registrations") return undefined;
  const [resource, id] = topic.split(":") as [string, string];
  if (resource === "bulkOperations") return `/bulkOperations/${id}`;
  return resource === "operations" ? `/operations/${id}` : `/managedobjects/${id}`;
}

/** One Bayeux delivery on the realtime endpoint → deliveries (possibly none when it is not understood). */
export function translateDelivery(channel: string, data: unknown): Delivery[] {
  const [, api, channelId] = channel.split("/");
  const envelopes = Array.isArray(data) ? data : [data];
  const out: Delivery[] = [];
  for (const envelope of envelopes) {
    if (!isObject(envelope)) continue;
    const action = envelope.realtimeAction;
    const inner = envelope.data;
    if (api === "operations") {
      const id = action === "DELETE" ? idOf(inner) : null;
      if (id && channelId) out.push({ kind: "operation-deleted", id, deviceId: channelId });
      else if (action === "CREATE" || action === "UPDATE")
        out.push({ kind: "operation", created: action === "CREATE", operation: inner });
    } else if (api === "bulkOperations") {
      // A bulk operation's DELETE is its cancellation; `data` is the id (docs/emulator-bulk-operations.md).
      if (action === "DELETE") {
        const id = idOf(inner) ?? channelId;
        if (id) out.push({ kind: "event", event: { type: "bulkOperation.deleted", data: { id } } });
        continue;
      }
      const upstream = readUpstreamBulkOperation(inner);
      if (!upstream || (action !== "CREATE" && action !== "UPDATE")) continue;
      const bulkOperation = toBulkOperationDto(upstream);
      out.push({
        kind: "event",
        event: {
          type: action === "CREATE" ? "bulkOperation.created" : "bulkOperation.updated",
          data: { bulkOperation },
        },
      });
    } else if (api === "managedobjects") {
      if (action === "DELETE") {
        const id = idOf(inner) ?? channelId;
        if (id) out.push({ kind: "event", event: { type: "device.deleted", data: { id } } });
        continue;
      }
      const device = toLiveDevice(inner);
      if (!device) continue;
      if (action === "CREATE")
        out.push({ kind: "event", event: { type: "device.created", data: { device } } });
      else if (action === "UPDATE")
        out.push({ kind: "event", event: { type: "device.updated", data: { device } } });
    }
  }
  return out;
}
