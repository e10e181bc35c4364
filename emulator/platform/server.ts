import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPlatform, type Platform, type PlatformOptions } from "./app.js";
import { attachRealtime, type RealtimeOptions, type RealtimeServer } from "./realtime/index.js";
import { openDb } from "./store/db.js";

export interface StartOptions extends Omit<PlatformOptions, "db"> {
  /** Data directory; undefined keeps everything in memory. */
  dataDir?: string;
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** Bayeux knobs (hold times, session window, websocket); tests shorten the session window. */
  realtime?: Omit<RealtimeOptions, "log">;
}

export interface RunningPlatform {
  readonly platform: Platform;
  readonly server: Server;
  readonly realtime: RealtimeServer;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Opens the database, builds the platform and listens on 127.0.0.1 (or `host`). */
export async function startPlatform(options: StartOptions): Promise<RunningPlatform> {
  const db = openDb(options.dataDir);
  const platform = await createPlatform({ ...options, db });
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, platform.handle);
  server.headersTimeout = 66_000;
  const realtime = attachRealtime(platform, server, { ...options.realtime, log: options.log });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost === "0.0.0.0" ? "127.0.0.1" : urlHost}:${port}`;
  platform.presence.start(url);
  platform.bulkOperations.start(url);
  let closed: Promise<void> | undefined;
  return {
    platform,
    server,
    realtime,
    url,
    port,
    close() {
      closed ??= (async () => {
        // First: answers held connects and closes websockets, which server.close() would wait for.
        await realtime.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // Stops creating bulk operations' children; the cursor is in the database.
        platform.bulkOperations.close();
        // Writes the last messages it still holds in memory.
        platform.presence.close();
        db.close();
      })();
      return closed;
    },
  };
}
