// Presence across a platform restart on the same data: no push connection survives it, and no message is lost.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualTime } from "../../../../tests/support/manual-time.js";
import { RawClient } from "../../realtime/__tests__/support.js";
import { agent, get, heartbeat, SETTINGS, startPresencePlatform, statusesOf, Watcher } from "./support.js";

const dataDir = mkdtempSync(join(tmpdir(), "emu-presence-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const iso = (ms: number) => new Date(ms).toISOString();
const listen = (p: Parameters<typeof agent>[0], id: string) =>
  new RawClient(p, "/notification/operations").open([`/${id}`]);

describe("a platform restart", () => {
  it("keeps the last message held in memory, and ends every push connection after the grace unless it is back", async () => {
    const first = await startPresencePlatform(new ManualTime(), { dataDir });
    const back = await agent(first.p);
    const gone = await agent(first.p);
    for (const id of [back, gone]) {
      await listen(first.p, id);
      await heartbeat(first.p, id);
    }
    // Within the resolution this message is only held in memory; stopping the platform writes it.
    first.time.advance(30_000);
    const lastHeard = first.time.now();
    await heartbeat(first.p, back);
    await first.p.close();

    const second = await startPresencePlatform(new ManualTime(lastHeard + 60_000), { dataDir });
    const { p, time } = second;
    try {
      const watcher = await Watcher.open(p);
      // Straight after the start the stored state stands: the devices may reconnect within the grace.
      expect(statusesOf([await get(p, back), await get(p, gone)])).toEqual([
        { availability: "AVAILABLE", connection: "CONNECTED" },
        { availability: "AVAILABLE", connection: "CONNECTED" },
      ]);
      expect((await get(p, back)).c8y_Availability.lastMessage).toBe(iso(lastHeard));
      await listen(p, back);
      time.advance(SETTINGS.disconnectGraceMs + SETTINGS.checkIntervalMs);
      expect(statusesOf([await get(p, back), await get(p, gone)])).toEqual([
        { availability: "AVAILABLE", connection: "CONNECTED" },
        { availability: "AVAILABLE", connection: "DISCONNECTED" },
      ]);
      expect(await watcher.updates(back)).toEqual([]);
      expect(statusesOf(await watcher.updates(gone))).toEqual([
        { availability: "AVAILABLE", connection: "DISCONNECTED" },
      ]);
      // Availability counts on from the restored last message.
      time.advance(
        lastHeard + 10 * 60_000 + SETTINGS.availabilityGraceMs + SETTINGS.checkIntervalMs - time.now(),
      );
      expect((await get(p, back)).c8y_Availability).toEqual({
        lastMessage: iso(lastHeard),
        status: "UNAVAILABLE",
      });
    } finally {
      await p.close();
    }
  });
});
