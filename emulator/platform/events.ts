import { EventEmitter } from "node:events";

/**
 * A change made through REST, published after its transaction committed. The realtime endpoints turn these into
 * Bayeux deliveries: `/managedobjects/<id>`, `/operations/<deviceId>` and `/bulkOperations/<id>` on the realtime
 * endpoint, and new operations on `/<agentId>` of the operations endpoint.
 */
export type ChangeEvent =
  | { api: "managedobjects"; action: "CREATE" | "UPDATE"; id: string; data: Record<string, unknown> }
  | { api: "managedobjects"; action: "DELETE"; id: string }
  | {
      api: "operations";
      action: "CREATE" | "UPDATE";
      id: string;
      deviceId: string;
      agentId: string | undefined;
      data: Record<string, unknown>;
    }
  | { api: "operations"; action: "DELETE"; id: string; deviceId: string; agentId: string | undefined }
  | { api: "bulkoperations"; action: "CREATE" | "UPDATE"; id: string; data: Record<string, unknown> }
  | { api: "bulkoperations"; action: "DELETE"; id: string };

export class PlatformEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: ChangeEvent): void {
    this.emitter.emit("change", event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  /**
   * The operations endpoint handed a data message (an operation's representation) to a subscribed session: a
   * long-poll reply or a websocket frame. The operations module records it as the operation's delivery.
   */
  handedOver(data: unknown): void {
    this.emitter.emit("handover", data);
  }

  onHandover(listener: (data: unknown) => void): () => void {
    this.emitter.on("handover", listener);
    return () => this.emitter.off("handover", listener);
  }
}
