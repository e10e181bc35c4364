import type { EventEmitter } from "node:events";
import { isId } from "../store/hierarchy.js";
import type { RealtimeEvents } from "./bayeux.js";

/** Where the push connections of devices are reported: the platform's availability model. */
export interface ConnectionSink {
  connectionOpened(id: number): void;
  connectionClosed(id: number): void;
}

/**
 * Push connections per device, from the lifecycle of the agent endpoint's sessions (/notification/operations and
 * /devicecontrol/notifications): a session subscribed to `/<id>` is a push connection of device <id> until the
 * subscription or the session ends. The sink hears only the edges: the first connection of a device opening and the
 * last one closing. The realtime endpoint (/notification/realtime) carries no operations for a device to act on and
 * does not count; nor does the admin's `/*`, which names no device.
 */
export function trackConnections(events: EventEmitter<RealtimeEvents>, sink: ConnectionSink): () => void {
  const sessionsOf = new Map<number, Set<string>>();
  const devicesOf = new Map<string, Set<number>>();

  const end = (clientId: string, id: number) => {
    devicesOf.get(clientId)?.delete(id);
    const sessions = sessionsOf.get(id);
    if (!sessions?.delete(clientId) || sessions.size > 0) return;
    sessionsOf.delete(id);
    sink.connectionClosed(id);
  };
  const onSubscribed = ({ family, clientId, channel }: RealtimeEvents["subscribed"][0]) => {
    const id = deviceOf(family, channel);
    if (id === undefined) return;
    let sessions = sessionsOf.get(id);
    if (!sessions) sessionsOf.set(id, (sessions = new Set()));
    let devices = devicesOf.get(clientId);
    if (!devices) devicesOf.set(clientId, (devices = new Set()));
    devices.add(id);
    const first = sessions.size === 0;
    sessions.add(clientId);
    if (first) sink.connectionOpened(id);
  };
  const onUnsubscribed = ({ family, clientId, channel }: RealtimeEvents["unsubscribed"][0]) => {
    const id = deviceOf(family, channel);
    if (id !== undefined) end(clientId, id);
  };
  // faye reports every subscription of an ending session as unsubscribed first; this also covers a session whose
  // end it did not report that way.
  const onClosed = ({ family, clientId }: RealtimeEvents["session-closed"][0]) => {
    if (family !== "operations") return;
    for (const id of devicesOf.get(clientId) ?? []) end(clientId, id);
    devicesOf.delete(clientId);
  };

  events.on("subscribed", onSubscribed);
  events.on("unsubscribed", onUnsubscribed);
  events.on("session-closed", onClosed);
  return () => {
    events.off("subscribed", onSubscribed);
    events.off("unsubscribed", onUnsubscribed);
    events.off("session-closed", onClosed);
  };
}

function deviceOf(family: string, channel: string): number | undefined {
  if (family !== "operations" || !channel.startsWith("/")) return undefined;
  const id = channel.slice(1);
  return isId(id) ? Number(id) : undefined;
}
