import { EventEmitter } from "node:events";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Platform } from "../app.js";
import type { Principal } from "../auth/principal.js";
import { PlatformError } from "../http/errors.js";
import { BayeuxEndpoint, type BayeuxSettings, type RealtimeEvents } from "./bayeux.js";
import { deliveriesFor, familyOf, type Family } from "./channels.js";
import { handleLongPolling } from "./long-polling.js";
import { trackConnections } from "./presence.js";

export type { RealtimeEvents, SessionEndReason } from "./bayeux.js";
export { ENDPOINTS, type Family } from "./channels.js";

export interface RealtimeOptions {
  /** Default hold of a connect, ms. Default 5400000 (90 min) as the platform. */
  holdMs?: number;
  /** Cap on a client's requested hold, ms. Default 7200000 (2 h) as the platform. */
  maxHoldMs?: number;
  /** The next connect must arrive this long after a connect reply (plus the session's interval), ms. Default 10000. */
  sessionWindowMs?: number;
  /** Serve the websocket transport on the same paths. Default true. */
  websocket?: boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface RealtimeServer {
  /** Lifecycle events: "session-opened", "connect" (a connect is registered, held unless data was queued), "session-closed". */
  readonly events: EventEmitter<RealtimeEvents>;
  /** Ends a session as a server restart would; its client gets 402 and must handshake again. */
  dropSession(clientId: string): boolean;
  sessionIds(family: Family): string[];
  /** Answers held connects (402: the sessions end), closes websockets, stops listening for changes. */
  close(): Promise<void>;
}

/**
 * Serves the Bayeux endpoints of the platform on its HTTP server: long-polling through the platform's request
 * interceptor, websocket through the server's upgrade event. Deliveries come from the platform's change feed.
 */
export function attachRealtime(
  platform: Platform,
  server: Server,
  options: RealtimeOptions = {},
): RealtimeServer {
  const { ctx } = platform;
  const log = options.log ?? (() => undefined);
  const settings: BayeuxSettings = {
    holdMs: options.holdMs ?? 5_400_000,
    maxHoldMs: options.maxHoldMs ?? 7_200_000,
    sessionWindowMs: options.sessionWindowMs ?? 10_000,
    websocket: options.websocket ?? true,
  };
  settings.holdMs = Math.min(settings.holdMs, settings.maxHoldMs);
  const events = new EventEmitter<RealtimeEvents>();
  const endpoints: Record<Family, BayeuxEndpoint> = {
    operations: new BayeuxEndpoint("operations", ctx, settings, events, log),
    realtime: new BayeuxEndpoint("realtime", ctx, settings, events, log),
  };
  let closed = false;

  platform.intercept((req, res) => {
    const family = closed ? undefined : familyOf(req.url);
    if (!family) return false;
    handleLongPolling(endpoints[family], ctx, req, res).catch((err: unknown) => {
      log(`realtime: ${req.method} ${req.url}: unexpected error`, err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal error");
      else res.destroy();
    });
    return true;
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const family = closed || !settings.websocket ? undefined : familyOf(req.url);
    if (!family) {
      // Nobody else serves upgrades on this server: refuse instead of leaving the socket dangling.
      if (server.listenerCount("upgrade") === 1) socket.destroy();
      return;
    }
    socket.on("error", () => socket.destroy());
    void upgradePrincipal(req).then(
      (principal) => endpoints[family].handleUpgrade(req, socket, head, principal),
      (err: unknown) => {
        if (!(err instanceof PlatformError)) log("realtime: websocket upgrade failed", err);
        const status = err instanceof PlatformError ? err.status : 500;
        socket.end(
          `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : "Error"}\r\nConnection: close\r\n\r\n`,
        );
      },
    );
  };
  server.on("upgrade", onUpgrade);

  // The header is optional on websocket (browsers cannot set it; the handshake ext carries the credentials).
  async function upgradePrincipal(req: IncomingMessage): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    return header ? ctx.auth.fromHeader(header) : undefined;
  }

  // What the agent endpoint hands to a session is an operation: the platform records it as delivered.
  events.on("data-sent", ({ family, data }) => {
    if (family === "operations") ctx.events.handedOver(data);
  });

  // Push connections of agents feed c8y_Connection (docs/emulator-presence.md).
  const stopTracking = trackConnections(events, platform.presence);

  const unsubscribe = ctx.events.subscribe((event) => {
    const deliveries = deliveriesFor(event);
    for (const family of ["operations", "realtime"] as const) {
      for (const delivery of deliveries[family]) endpoints[family].publish(delivery);
    }
  });

  return {
    events,
    dropSession: (clientId) => endpoints.operations.drop(clientId) || endpoints.realtime.drop(clientId),
    sessionIds: (family) => endpoints[family].sessionIds(),
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      stopTracking();
      server.off("upgrade", onUpgrade);
      endpoints.operations.close();
      endpoints.realtime.close();
      // faye answers the held connects from promise callbacks; let those replies reach their sockets.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
