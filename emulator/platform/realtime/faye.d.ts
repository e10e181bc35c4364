// faye 1.4.3 ships no types. Only what realtime/ uses is declared; the members marked "internal" are not part of
// faye's documented API (see docs/realtime-server.md, "What we rely on inside faye").
declare module "faye" {
  import type { IncomingMessage } from "node:http";
  import type { Duplex } from "node:stream";

  /** A Bayeux message as faye passes it around: plain JSON. */
  type FayeMessage = Record<string, unknown>;

  interface FayeExtension {
    incoming?(message: FayeMessage, request: unknown, callback: (message: FayeMessage) => void): void;
    outgoing?(message: FayeMessage, request: unknown, callback: (message: FayeMessage) => void): void;
  }

  /** internal: the engine proxy (session registry, connections, queues). */
  interface FayeEngine {
    destroyClient(clientId: string): void;
    clientExists(clientId: string, callback: (exists: boolean) => void): void;
  }

  /** internal: the protocol server behind a NodeAdapter. */
  interface FayeProtocolServer {
    process(
      messages: FayeMessage | FayeMessage[],
      request: unknown,
      callback: (replies: FayeMessage[]) => void,
    ): void;
    /** Completes the held connect of a client (faye's name for it: flushConnection via closeSocket). */
    closeSocket(clientId: string, close?: boolean): void;
    readonly _engine: FayeEngine;
  }

  class NodeAdapter {
    constructor(options: { mount?: string; timeout?: number; ping?: number });
    addExtension(extension: FayeExtension): void;
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
    bind(event: "handshake" | "disconnect", listener: (clientId: string) => void): void;
    bind(event: "subscribe" | "unsubscribe", listener: (clientId: string, channel: string) => void): void;
    close(): void;
    /** internal */
    readonly _server: FayeProtocolServer;
  }

  const Faye: { NodeAdapter: typeof NodeAdapter; VERSION: string };
  export default Faye;
  export type { FayeMessage, FayeExtension, FayeProtocolServer, NodeAdapter };
}
