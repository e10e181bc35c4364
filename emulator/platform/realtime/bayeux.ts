import type { EventEmitter } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import faye, { type FayeMessage, type NodeAdapter } from "faye";
import { parseCookies } from "../auth/authenticate.js";
import type { Principal } from "../auth/principal.js";
import type { PlatformContext } from "../context.js";
import { isPlainObject } from "../http/body.js";
import { PlatformError } from "../http/errors.js";
import { subscriptionError, type Delivery, type Family } from "./channels.js";

export interface BayeuxSettings {
  /** Default hold of a connect, ms (the platform: 90 minutes). */
  holdMs: number;
  /** Longest hold a client may ask for, ms (the platform: 2 hours). */
  maxHoldMs: number;
  /** How long after a connect reply the next connect may take before the session is dropped, ms. */
  sessionWindowMs: number;
  websocket: boolean;
}

/** What the transport knows about the HTTP request (or websocket upgrade) that carried some messages. */
export interface Carrier {
  /** Verified from the Authorization header by the transport; undefined when the request had none. */
  principal: Principal | undefined;
  headers: IncomingHttpHeaders;
}

interface Session {
  principal: Principal;
  holdMs: number;
  intervalMs: number;
  /** Connects accepted and not yet answered; the session can only expire when this is 0. */
  inFlight: number;
  expiry: NodeJS.Timeout | undefined;
}

export type SessionEndReason = "disconnected" | "expired" | "dropped";

export interface RealtimeEvents {
  "session-opened": [{ family: Family; clientId: string; username: string }];
  /** A connect was accepted and registered with the engine: it is now held unless something was queued. */
  connect: [{ family: Family; clientId: string }];
  /** A connect reply left (successful or not), possibly into a connection the client already closed. */
  "connect-answered": [{ family: Family; clientId: string | undefined; successful: boolean }];
  "session-closed": [{ family: Family; clientId: string; reason: SessionEndReason }];
  /** A data message left for a session: in a long-poll reply or as a websocket frame. */
  "data-sent": [{ family: Family; channel: string; data: unknown }];
  /** A session's subscription took effect (the policy allowed it). */
  subscribed: [{ family: Family; clientId: string; channel: string }];
  /** A subscription ended: unsubscribed, or its session ended (these come before "session-closed"). */
  unsubscribed: [{ family: Family; clientId: string; channel: string }];
}

const CONNECTION_TYPES = ["long-polling", "callback-polling", "websocket"];
const HANDSHAKE_DENIED = "403::Handshake denied";
const UNKNOWN_CLIENT = "402::Unknown client";

/**
 * One Bayeux endpoint family on top of faye's protocol server. faye keeps the sessions, subscriptions, wildcard
 * matching, per-client queues and held connects; this class adds what Cumulocity does differently: authentication,
 * channel policy, CometD error strings and advice, hold limits and the ~10 s session window.
 */
export class BayeuxEndpoint {
  private readonly adapter: NodeAdapter;
  private readonly sessions = new Map<string, Session>();
  private readonly carriers = new WeakMap<object, Carrier>();
  private readonly sockets = new Set<Duplex>();
  /** Held long-polling connects by clientId, so a newer connect can complete the older one. */
  private readonly heldHttp = new Map<string, symbol>();
  private readonly endReasons = new Map<string, SessionEndReason>();
  /**
   * The session being created right now. faye creates the client and emits the handshake reply synchronously
   * inside the call that hands it the handshake, so the authenticated principal is parked here for that call.
   */
  private handshaking: Session | undefined;
  private deliveryId = 0;
  private closed = false;

  constructor(
    readonly family: Family,
    private readonly ctx: PlatformContext,
    private readonly settings: BayeuxSettings,
    private readonly emitter: EventEmitter<RealtimeEvents>,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.adapter = new faye.NodeAdapter({ timeout: settings.holdMs / 1000 });
    this.adapter.addExtension({
      incoming: (message, request, callback) => this.incoming(message, request, callback),
      outgoing: (message, _request, callback) => callback(this.outgoing(message)),
    });
    this.adapter.bind("disconnect", (clientId) => this.forget(clientId));
    this.adapter.bind("subscribe", (clientId, channel) =>
      this.emitter.emit("subscribed", { family, clientId, channel }),
    );
    this.adapter.bind("unsubscribe", (clientId, channel) =>
      this.emitter.emit("unsubscribed", { family, clientId, channel }),
    );
  }

  /** Runs the messages of one long-polling request; resolves with faye's replies (connect reply first). */
  process(messages: FayeMessage[], carrier: Carrier): Promise<FayeMessage[]> {
    this.carriers.set(carrier, carrier);
    return new Promise((resolve) => this.adapter._server.process(messages, carrier, resolve));
  }

  /** Hands a websocket upgrade to faye; `principal` is what the upgrade's Authorization header proved, if any. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal | undefined): void {
    this.carriers.set(req, { principal, headers: req.headers });
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    this.adapter.handleUpgrade(req, socket, head);
  }

  /** A long-polling connect now waits for `clientId`; the token identifies it for `releaseHeld`. */
  trackHeld(clientId: string): symbol {
    const token = Symbol(clientId);
    this.heldHttp.set(clientId, token);
    return token;
  }

  untrackHeld(clientId: string, token: symbol): void {
    if (this.heldHttp.get(clientId) === token) this.heldHttp.delete(clientId);
  }

  /**
   * Answers the connect a long-polling client left waiting (Bayeux allows one outstanding connect per client).
   * With `token`, only when that particular request still holds it (used when its HTTP connection went away).
   */
  releaseHeld(clientId: string, token?: symbol): void {
    const held = this.heldHttp.get(clientId);
    if (!held || (token && held !== token)) return;
    this.heldHttp.delete(clientId);
    // faye completes the waiting connect with whatever is in its inbox and forgets the connection; later
    // deliveries queue for the client until its next connect.
    this.adapter._server.closeSocket(clientId);
  }

  publish(delivery: Delivery): void {
    if (this.closed) return;
    const message = { channel: delivery.channel, data: delivery.data, id: String(++this.deliveryId) };
    // A request of null marks the message as server-side: it bypasses the publish ban in `incoming`.
    this.adapter._server.process(message, null, () => undefined);
  }

  /** Ends a session as if its client had vanished; its held connect is answered, later requests get 402. */
  drop(clientId: string): boolean {
    if (!this.sessions.has(clientId)) return false;
    this.endReasons.set(clientId, "dropped");
    this.adapter._server._engine.destroyClient(clientId);
    return true;
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  close(): void {
    this.closed = true;
    for (const session of this.sessions.values()) clearTimeout(session.expiry);
    this.sessions.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    // Answers every held connect (with 402, as the sessions are gone) and stops faye's timers.
    this.adapter.close();
  }

  private incoming(message: FayeMessage, request: unknown, callback: (m: FayeMessage) => void): void {
    if (request === null) return callback(message);
    const carrier = (request && this.carriers.get(request)) || undefined;
    const channel = message.channel;
    const clientId = typeof message.clientId === "string" ? message.clientId : undefined;
    const session = clientId ? this.sessions.get(clientId) : undefined;

    if (channel === "/meta/handshake") {
      this.handshake(message, carrier)
        .then(
          (s) => {
            if (s) this.handshaking = s;
            else message.error = HANDSHAKE_DENIED;
            try {
              callback(message);
            } finally {
              this.handshaking = undefined;
            }
          },
          (err: unknown) => {
            this.log("realtime: handshake failed unexpectedly", err);
            message.error = HANDSHAKE_DENIED;
            callback(message);
          },
        )
        .catch((err: unknown) => this.log("realtime: handshake reply failed", err));
      return;
    }

    if (channel === "/meta/connect") {
      if (session && clientId && typeof message.connectionType === "string") {
        if (CONNECTION_TYPES.includes(message.connectionType)) {
          message.advice = {
            ...(isPlainObject(message.advice) ? message.advice : {}),
            timeout: this.holdFor(message, session),
          };
          session.inFlight += 1;
          clearTimeout(session.expiry);
          session.expiry = undefined;
          callback(message);
          this.emitter.emit("connect", { family: this.family, clientId });
          return;
        }
        message.error = `301:${message.connectionType.replace(/[^A-Za-z0-9-]/g, "")}:Connection types not supported`;
      }
      return callback(message);
    }

    if (channel === "/meta/subscribe") {
      if (session) {
        const wanted: unknown[] = Array.isArray(message.subscription)
          ? message.subscription
          : [message.subscription];
        for (const ch of wanted) {
          const error = subscriptionError(this.family, ch, session.principal, this.ctx.hierarchy);
          if (error) {
            message.error = error;
            break;
          }
        }
      }
      return callback(message);
    }

    if (channel === "/meta/disconnect" && session && clientId) this.endReasons.set(clientId, "disconnected");
    if (typeof channel === "string" && channel.startsWith("/meta/")) return callback(message);
    // Cumulocity's endpoints are subscribe-only: clients never publish.
    message.error = `403:${typeof channel === "string" && /^[\w/*-]{1,200}$/.test(channel) ? channel : ""}:Publish denied`;
    callback(message);
  }

  /** The session a handshake may open, or undefined when it is refused. */
  private async handshake(message: FayeMessage, carrier: Carrier | undefined): Promise<Session | undefined> {
    // Keep faye from negotiating transports we do not serve (eventsource, in-process, …).
    const offered = Array.isArray(message.supportedConnectionTypes) ? message.supportedConnectionTypes : [];
    message.supportedConnectionTypes = offered.filter(
      (t): t is string => typeof t === "string" && this.connectionTypes().includes(t),
    );
    if (this.closed) return undefined;
    const principal = await this.authenticate(message, carrier);
    if (!principal || principal.kind === "bootstrap") return undefined;
    const advice = isPlainObject(message.advice) ? message.advice : {};
    const timeout = advice.timeout;
    const interval = advice.interval;
    return {
      principal,
      holdMs:
        typeof timeout === "number" && timeout > 0
          ? Math.min(timeout, this.settings.maxHoldMs)
          : this.settings.holdMs,
      intervalMs:
        typeof interval === "number" && interval > 0 ? Math.min(interval, this.settings.maxHoldMs) : 0,
      inFlight: 0,
      expiry: undefined,
    };
  }

  /**
   * The Authorization header (already verified by the transport) wins; otherwise the handshake's
   * ext["com.cumulocity.authn"] token (Basic base64 or a JWT), otherwise the authorization cookie with its XSRF
   * value from the header or the ext.
   */
  private async authenticate(
    message: FayeMessage,
    carrier: Carrier | undefined,
  ): Promise<Principal | undefined> {
    if (carrier?.principal) return carrier.principal;
    const ext = isPlainObject(message.ext) ? message.ext : {};
    const authn = isPlainObject(ext["com.cumulocity.authn"]) ? ext["com.cumulocity.authn"] : {};
    try {
      if (typeof authn.token === "string" && authn.token)
        return await this.ctx.auth.fromCredentialToken(authn.token);
      const cookie = parseCookies(carrier?.headers.cookie).get("authorization");
      if (!cookie) return undefined;
      const principal = await this.ctx.auth.fromCredentialToken(cookie);
      const claims = this.ctx.tokens.verify(cookie, this.ctx.now());
      const header = carrier?.headers["x-xsrf-token"];
      const xsrf = typeof header === "string" ? header : authn.xsrfToken;
      return claims?.xsrf && xsrf === claims.xsrf ? principal : undefined;
    } catch (err) {
      if (err instanceof PlatformError) return undefined;
      throw err;
    }
  }

  /** The hold for one connect: the client's advice if it gave one (capped), else the session's. */
  private holdFor(message: FayeMessage, session: Session): number {
    const timeout = isPlainObject(message.advice) ? message.advice.timeout : undefined;
    if (typeof timeout === "number" && Number.isFinite(timeout) && timeout >= 0)
      return Math.min(timeout, this.settings.maxHoldMs);
    return session.holdMs;
  }

  private outgoing(reply: FayeMessage): FayeMessage {
    // Deliveries carry data and no `successful`; replies to (refused) client publishes are the other way round.
    if (typeof reply.channel === "string" && !reply.channel.startsWith("/meta/") && reply.data !== undefined)
      this.emitter.emit("data-sent", { family: this.family, channel: reply.channel, data: reply.data });
    if (typeof reply.error === "string") reply.error = cometdError(reply.error);
    const clientId = typeof reply.clientId === "string" ? reply.clientId : undefined;

    if (reply.channel === "/meta/handshake") {
      const pending = this.handshaking;
      this.handshaking = undefined;
      if (reply.successful && clientId && pending) {
        this.sessions.set(clientId, pending);
        this.arm(clientId, pending);
        reply.minimumVersion = "1.0";
        reply.supportedConnectionTypes = this.connectionTypes();
        reply.advice = { reconnect: "retry", interval: pending.intervalMs, timeout: pending.holdMs };
        this.emitter.emit("session-opened", {
          family: this.family,
          clientId,
          username: pending.principal.username,
        });
      } else {
        if (reply.successful && clientId) {
          // Cannot happen while faye stays synchronous here; refuse rather than open an unauthenticated session.
          this.log("realtime: handshake reply without an authenticated session");
          this.adapter._server._engine.destroyClient(clientId);
          delete reply.clientId;
        }
        reply.successful = false;
        reply.error ??= HANDSHAKE_DENIED;
        // Retrying the same handshake cannot succeed: tell CometD clients to stop instead of looping.
        reply.advice = { reconnect: "none", interval: 0 };
      }
      return reply;
    }

    if (reply.channel === "/meta/connect") {
      this.answerConnect(reply, clientId);
      this.emitter.emit("connect-answered", {
        family: this.family,
        clientId,
        successful: reply.successful === true,
      });
    }
    return reply;
  }

  private answerConnect(reply: FayeMessage, clientId: string | undefined): void {
    const session = clientId ? this.sessions.get(clientId) : undefined;
    if (reply.successful && clientId && session) {
      session.inFlight = Math.max(0, session.inFlight - 1);
      if (session.inFlight === 0) this.arm(clientId, session);
      reply.advice = { reconnect: "retry", interval: session.intervalMs, timeout: session.holdMs };
      return;
    }
    // A connect held while its session ended (disconnect, expiry, drop, shutdown) reports the session gone.
    if (reply.successful) reply.error = UNKNOWN_CLIENT;
    reply.successful = false;
    delete reply.clientId;
    reply.advice = { reconnect: "handshake", interval: 0 };
  }

  private connectionTypes(): string[] {
    return this.settings.websocket ? ["long-polling", "websocket"] : ["long-polling"];
  }

  /** Starts the window in which the next connect must arrive. */
  private arm(clientId: string, session: Session): void {
    clearTimeout(session.expiry);
    session.expiry = setTimeout(() => {
      if (this.sessions.get(clientId) !== session || session.inFlight > 0) return;
      this.endReasons.set(clientId, "expired");
      this.adapter._server._engine.destroyClient(clientId);
    }, session.intervalMs + this.settings.sessionWindowMs);
    session.expiry.unref();
  }

  private forget(clientId: string): void {
    const session = this.sessions.get(clientId);
    // Explicit disconnects and drops are marked beforehand; anything else is faye's own idle sweep.
    const reason = this.endReasons.get(clientId) ?? "expired";
    this.endReasons.delete(clientId);
    this.heldHttp.delete(clientId);
    if (!session) return;
    clearTimeout(session.expiry);
    this.sessions.delete(clientId);
    this.emitter.emit("session-closed", { family: this.family, clientId, reason });
  }
}

/**
 * faye numbers errors after the old Bayeux wiki list; clients of Cumulocity expect CometD's (3.x wording):
 * unknown client is 402, a missing parameter is a bad request.
 */
function cometdError(error: string): string {
  const [code, args = ""] = error.split(":");
  if (code === "401") return UNKNOWN_CLIENT;
  if (code === "402") return args === "clientId" ? UNKNOWN_CLIENT : `400:${args}:Missing required parameter`;
  if (code === "405") return `400:${args}:Invalid channel`;
  return error;
}
