import { z } from "zod";
import { bulkOperationDtoSchema } from "./bulk-operations";
import { connectionDtoSchema } from "./device";
import { operationDtoSchema } from "./operations";
import { registrationStatusSchema } from "./registrations";

/**
 * The live event stream (`GET /api/events`, server-sent events): what a browser tab subscribes to (topics) and the
 * events it receives. Shared by the BFF (which builds the events) and the browser (which validates every event
 * before it touches the React Query cache). docs/live-updates.md describes the protocol.
 */

// ---------------------------------------------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------------------------------------------

/** Ids in topics end up in Bayeux channel names, so only characters a channel segment allows. */
const TOPIC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What a stream wants to hear about:
 * - `operations:*` / `operations:<deviceId>`: operations of every device / of one device (Bayeux `/operations/…`)
 * - `devices:*` / `devices:<id>`: managed objects, all or one (Bayeux `/managedobjects/…`)
 * - `registrations`: device registration requests (polled by the server: the platform has no channel for them)
 * - `bulkOperations:*` / `bulkOperations:<id>`: bulk operations, all or one (Bayeux `/bulkOperations/…`,
 *   docs/platform-fleet.md §1); their single operations come as ordinary operation events
 */
export type LiveTopic =
  `operations:${string}` | `devices:${string}` | `bulkOperations:${string}` | "registrations";
export type LiveResource = "operations" | "devices" | "registrations" | "bulkOperations";

export const liveTopicSchema = z.custom<LiveTopic>(
  (value) => typeof value === "string" && parseTopic(value) !== null,
  {
    message: "Expected operations:<id|*>, devices:<id|*>, bulkOperations:<id|*> or registrations",
  },
);

/** At most this many topics per stream (a device page needs two or three). */
export const MAX_TOPICS = 50;

/** `?topics=a,b,c` of the stream URL; empty values are ignored, duplicates removed, the order kept stable. */
export const liveTopicsParamSchema = z
  .string()
  .max(4096)
  .transform((raw) =>
    [
      ...new Set(
        raw
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ].sort(),
  )
  .pipe(z.array(liveTopicSchema).max(MAX_TOPICS));

export interface ParsedTopic {
  resource: LiveResource;
  /** `*` for all; undefined for registrations. */
  id: string | undefined;
}

export function parseTopic(value: string): ParsedTopic | null {
  if (value === "registrations") return { resource: "registrations", id: undefined };
  const colon = value.indexOf(":");
  if (colon < 0) return null;
  const resource = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (resource !== "operations" && resource !== "devices" && resource !== "bulkOperations") return null;
  if (id !== "*" && !TOPIC_ID.test(id)) return null;
  return { resource, id };
}

/** Whether an event about `eventTopic` (always a concrete id, or `registrations`) is wanted by `topic`. */
export function topicCovers(topic: LiveTopic, eventTopic: LiveTopic): boolean {
  if (topic === eventTopic) return true;
  const t = parseTopic(topic);
  const e = parseTopic(eventTopic);
  return t !== null && e !== null && t.resource === e.resource && t.id === "*";
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------------------------

/** A managed object as live events carry it: enough to patch a tree row; details are refetched. */
export const liveDeviceSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  owner: z.string().nullable(),
  lastUpdated: z.string().nullable(),
  isDevice: z.boolean(),
  isGroup: z.boolean(),
  isAgent: z.boolean(),
  /** Presence (toConnection): the platform writes it without moving lastUpdated (docs/emulator-presence.md). */
  connection: connectionDtoSchema.nullable(),
});
export type LiveDevice = z.infer<typeof liveDeviceSchema>;

export const registrationChangeSchema = z.object({
  id: z.string(),
  /** null: the request is gone (deleted, or its device picked up its credentials). */
  status: registrationStatusSchema.nullable(),
});
export type RegistrationChange = z.infer<typeof registrationChangeSchema>;

/** Why the client must refetch instead of relying on events. */
export const resyncReasonSchema = z.enum([
  /** The stream is new: events between the page's fetch and the subscription were not seen. */
  "initial",
  /** Last-Event-ID is older than the replay buffer. */
  "gap",
  /** Last-Event-ID belongs to an earlier server-side subscriber (server restart, subscriber stopped when idle). */
  "restart",
  /** The upstream subscriber lost its session; changes it cannot reconcile precisely may have been missed. */
  "upstream",
]);
export type ResyncReason = z.infer<typeof resyncReasonSchema>;

/** How far the server got with the platform, for this stream's topics. */
export const upstreamStateSchema = z.enum(["connecting", "connected", "reconnecting"]);
export type UpstreamState = z.infer<typeof upstreamStateSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Events: `event:` is the type, `data:` the JSON payload
// ---------------------------------------------------------------------------------------------------------------

const event = <T extends string, S extends z.ZodType>(type: T, data: S) =>
  z.object({ type: z.literal(type), data });

export const liveEventSchema = z.discriminatedUnion("type", [
  /** The operation exactly as the REST routes answer it (`OperationDto`, history included): caches replace theirs. */
  event("operation.created", z.object({ operation: operationDtoSchema })),
  event("operation.updated", z.object({ operation: operationDtoSchema })),
  event("operation.deleted", z.object({ id: z.string(), deviceId: z.string() })),
  event("device.created", z.object({ device: liveDeviceSchema })),
  event("device.updated", z.object({ device: liveDeviceSchema })),
  event("device.deleted", z.object({ id: z.string() })),
  /** A bulk operation as `GET /api/bulk-operations/[id]` answers it (every change of state, schedule or progress). */
  event("bulkOperation.created", z.object({ bulkOperation: bulkOperationDtoSchema })),
  event("bulkOperation.updated", z.object({ bulkOperation: bulkOperationDtoSchema })),
  /** The platform's DELETE: the bulk operation was cancelled (it stays readable, CANCELED). */
  event("bulkOperation.deleted", z.object({ id: z.string() })),
  event(
    "registration.changed",
    z.object({
      changes: z.array(registrationChangeSchema),
      /** More requests changed than the event lists: refetch instead of patching. */
      truncated: z.boolean(),
    }),
  ),
  /** Refetch what these topics feed; the event's id is the position to resume from afterwards. */
  event("resync", z.object({ reason: resyncReasonSchema, topics: z.array(liveTopicSchema) })),
  /** Status only (no id, not replayed): whether the server's subscriber is live for this stream's topics. */
  event("upstream.changed", z.object({ state: upstreamStateSchema })),
  /** The platform refused the operator's credential: sign in again. The server closes the stream after it. */
  event("session.ended", z.object({ reason: z.literal("credentials_refused") })),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
export type LiveEventType = LiveEvent["type"];

export const LIVE_EVENT_TYPES: LiveEventType[] = liveEventSchema.options.map((o) => o.shape.type.value);

/** Events that belong to one topic (data events); they carry ids and are replayed after a reconnect. */
export type LiveDataEvent = Extract<
  LiveEvent,
  { type: `operation.${string}` | `device.${string}` | `bulkOperation.${string}` | "registration.changed" }
>;

/** The concrete topic a data event is about. */
export function eventTopic(e: LiveDataEvent): LiveTopic {
  switch (e.type) {
    case "operation.created":
    case "operation.updated":
      return `operations:${e.data.operation.deviceId}`;
    case "operation.deleted":
      return `operations:${e.data.deviceId}`;
    case "device.created":
    case "device.updated":
      return `devices:${e.data.device.id}`;
    case "device.deleted":
      return `devices:${e.data.id}`;
    case "bulkOperation.created":
    case "bulkOperation.updated":
      return `bulkOperations:${e.data.bulkOperation.id}`;
    case "bulkOperation.deleted":
      return `bulkOperations:${e.data.id}`;
    case "registration.changed":
      return "registrations";
  }
}

/** Which resource a topic feeds (what a browser refetches on `resync`). */
export function topicResource(topic: LiveTopic): LiveResource {
  return parseTopic(topic)?.resource ?? "registrations";
}
