// A bare Bayeux-over-WebSocket client (RFC 6455 framing by hand, text frames only) whose socket a test can cut,
// as a device that loses power would. Node 20 has no WebSocket client of its own.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Duplex } from "node:stream";
import type { Message } from "../../realtime/__tests__/support.js";

export class RawWebSocket {
  private buffer = Buffer.alloc(0);
  private readonly frames: string[] = [];
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: Duplex) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
  }

  /** Upgrades `path` on `url`; `authorization` is sent on the upgrade request. */
  static open(url: string, path: string, authorization: string): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": randomBytes(16).toString("base64"),
          "sec-websocket-version": "13",
          authorization,
        },
      });
      req.once("upgrade", (_res, socket, head) => {
        const ws = new RawWebSocket(socket);
        if (head.length > 0) socket.unshift(head);
        resolve(ws);
      });
      req.once("response", (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
      req.once("error", reject);
      req.end();
    });
  }

  /** Sends a batch of Bayeux messages as one masked text frame. */
  send(messages: Message[]): void {
    const payload = Buffer.from(JSON.stringify(messages));
    const mask = randomBytes(4);
    const header =
      payload.length < 126
        ? Buffer.from([0x81, 0x80 | payload.length])
        : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** The next text frame from the server, as the Bayeux messages it holds. */
  async next(): Promise<Message[]> {
    while (this.frames.length === 0) await new Promise<void>((resolve) => (this.waiter = resolve));
    return JSON.parse(this.frames.shift()!) as Message[];
  }

  /** Sends the messages and returns the next frame (the reply when nothing else is queued). */
  async exchange(messages: Message[]): Promise<Message[]> {
    this.send(messages);
    return this.next();
  }

  /** Cuts the connection without a closing handshake. */
  destroy(): void {
    this.socket.destroy();
  }

  private parse(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 1) {
        this.frames.push(payload.toString("utf8"));
        this.waiter?.();
        this.waiter = undefined;
      }
    }
  }
}
