import type { Principal } from "../auth/principal.js";
import type { ChangeEvent } from "../events.js";
import { isId } from "../store/hierarchy.js";

/**
 * The two Bayeux endpoint families. Each has its own session space: a clientId from one is unknown to the other,
 * as on the platform, where they are separate servlets.
 */
export type Family = "operations" | "realtime";

/** Both spellings of each endpoint: the current one and the one the startup phase's device tutorial uses. */
export const ENDPOINTS: Readonly<Record<string, Family>> = {
  "/notification/operations": "operations",
  "/devicecontrol/notifications": "operations",
  "/notification/realtime": "realtime",
  "/cep/realtime": "realtime",
};

// The CometD JS client appends the message type to the URL; other batches go to "<endpoint>/".
const SUFFIXES = new Set(["", "handshake", "connect", "disconnect", "subscribe", "unsubscribe"]);

/** The family for a request path (query string ignored), or undefined when the path is not a Bayeux endpoint. */
export function familyOf(url: string | undefined): Family | undefined {
  if (!url) return undefined;
  const q = url.indexOf("?");
  let path = q >= 0 ? url.slice(0, q) : url;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const exact = ENDPOINTS[path];
  if (exact) return exact;
  const slash = path.lastIndexOf("/");
  const family = ENDPOINTS[path.slice(0, slash)];
  return family && SUFFIXES.has(path.slice(slash + 1)) ? family : undefined;
}

export interface AccessCheck {
  canAccess(principal: Principal, id: string): boolean;
}

const REALTIME_APIS = new Set(["operations", "managedobjects", "bulkOperations"]);
/** Channels only admins may subscribe to, whatever the id: bulk operations need the bulk operation roles. */
const ADMIN_ONLY_APIS = new Set(["bulkOperations"]);

/**
 * Why `principal` may not subscribe to `channel` on `family` (a Bayeux error string), or undefined when it may.
 * Admins read everything; device users only objects they can access, by id (no wildcards): the agent endpoint's
 * `/<agentId>`, the realtime endpoint's `/operations/<id>` and `/managedobjects/<id>`. `/bulkOperations/*` and
 * `/bulkOperations/<id>` are for admins only. Everything else, meta and service channels included, is refused.
 */
export function subscriptionError(
  family: Family,
  channel: unknown,
  principal: Principal,
  access: AccessCheck,
): string | undefined {
  if (typeof channel !== "string") return "400::Subscription must be a channel name";
  const denied = `403:${channelArg(channel)}:Subscription denied`;
  const unknown = `403:${channelArg(channel)}:Unknown channel`;
  if (channel.startsWith("/meta/") || channel.startsWith("/service/")) return denied;
  const segments = channel.split("/").slice(1);
  let id: string | undefined;
  if (family === "operations") {
    if (segments.length !== 1) return unknown;
    id = segments[0];
  } else {
    if (segments.length !== 2 || !REALTIME_APIS.has(segments[0]!)) return unknown;
    id = segments[1];
    if (ADMIN_ONLY_APIS.has(segments[0]!) && id !== "*" && (id === undefined || !isId(id))) return unknown;
    if (ADMIN_ONLY_APIS.has(segments[0]!)) return principal.kind === "admin" ? undefined : denied;
  }
  if (id === "*") return principal.kind === "admin" ? undefined : denied;
  if (id === undefined || !isId(id)) return unknown;
  return access.canAccess(principal, id) ? undefined : denied;
}

/** Error-string arguments may not contain ':' or ','; anything odd is left out rather than escaped. */
function channelArg(channel: string): string {
  return /^[A-Za-z0-9\-_!~()$@/*.]{1,200}$/.test(channel) ? channel : "";
}

export interface Delivery {
  channel: string;
  data: unknown;
}

/**
 * What one REST change turns into on each family. The agent endpoint carries only new operations, bare, on the
 * agent's channel; the realtime endpoint wraps every change as {realtimeAction, data}, where a deletion's data is
 * just the id.
 */
export function deliveriesFor(event: ChangeEvent): Record<Family, Delivery[]> {
  const realtime: Delivery[] = [];
  const operations: Delivery[] = [];
  const data = event.action === "DELETE" ? event.id : event.data;
  if (event.api === "managedobjects") {
    realtime.push({ channel: `/managedobjects/${event.id}`, data: { realtimeAction: event.action, data } });
  } else if (event.api === "bulkoperations") {
    realtime.push({ channel: `/bulkOperations/${event.id}`, data: { realtimeAction: event.action, data } });
  } else {
    realtime.push({ channel: `/operations/${event.deviceId}`, data: { realtimeAction: event.action, data } });
    if (event.action === "CREATE" && event.agentId) {
      operations.push({ channel: `/${event.agentId}`, data: event.data });
    }
  }
  return { realtime, operations };
}
