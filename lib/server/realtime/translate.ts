import "server-only";
import {
  liveDeviceSchema,
  liveOperationSchema,
  operationStatusSchema,
  type LiveDataEvent,
  type LiveDevice,
  type LiveOperation,
  type LiveTopic,
} from "@/lib/schemas/events";
import { OPERATION_BASE_FIELDS } from "@/lib/schemas/operations";

/**
 * Platform shapes → live event payloads, in one place (style.md rule 4). The realtime endpoint wraps every change
 * as `{realtimeAction, data}`; some reference pages draw a one-element array of those, so both are read
 * (realtime.md §1.3). A deletion's `data` is the bare id.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const idOf = (v: unknown): string | null =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null;

/** An operation as the platform sends it (REST or realtime) → the live payload; null when it is not one. */
export function toLiveOperation(raw: unknown): LiveOperation | null {
  if (!isObject(raw)) return null;
  const status = operationStatusSchema.safeParse(raw.status);
  const id = idOf(raw.id);
  const deviceId = idOf(raw.deviceId);
  if (!status.success || !id || !deviceId) return null;
  const fragments: Json = {};
  for (const [key, value] of Object.entries(raw)) if (!OPERATION_BASE_FIELDS.has(key)) fragments[key] = value;
  const op: LiveOperation = {
    id,
    deviceId,
    deviceName: str(raw.deviceName),
    status: status.data,
    description: str(raw.description),
    failureReason: str(raw.failureReason),
    creationTime: str(raw.creationTime),
    fragments,
  };
  return liveOperationSchema.parse(op);
}

export function toLiveDevice(raw: unknown): LiveDevice | null {
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
  });
}

/** The Bayeux channel a topic listens on (the realtime endpoint); undefined for polled topics. */
export function channelForTopic(topic: LiveTopic): string | undefined {
  if (topic === "registrations") return undefined;
  const [resource, id] = topic.split(":") as [string, string];
  return resource === "operations" ? `/operations/${id}` : `/managedobjects/${id}`;
}

/** One Bayeux delivery on the realtime endpoint → live events (possibly none when it is not understood). */
export function translateDelivery(channel: string, data: unknown): LiveDataEvent[] {
  const [, api, channelId] = channel.split("/");
  const envelopes = Array.isArray(data) ? data : [data];
  const out: LiveDataEvent[] = [];
  for (const envelope of envelopes) {
    if (!isObject(envelope)) continue;
    const action = envelope.realtimeAction;
    const inner = envelope.data;
    if (api === "operations") {
      if (action === "DELETE") {
        const id = idOf(inner);
        if (id && channelId) out.push({ type: "operation.deleted", data: { id, deviceId: channelId } });
        continue;
      }
      const operation = toLiveOperation(inner);
      if (!operation) continue;
      if (action === "CREATE") out.push({ type: "operation.created", data: { operation } });
      else if (action === "UPDATE") out.push({ type: "operation.updated", data: { operation } });
    } else if (api === "managedobjects") {
      if (action === "DELETE") {
        const id = idOf(inner) ?? channelId;
        if (id) out.push({ type: "device.deleted", data: { id } });
        continue;
      }
      const device = toLiveDevice(inner);
      if (!device) continue;
      if (action === "CREATE") out.push({ type: "device.created", data: { device } });
      else if (action === "UPDATE") out.push({ type: "device.updated", data: { device } });
    }
  }
  return out;
}
