// The replay log: event numbering, the buffer bounded by count and by age, replay after an id for a stream's own
// topics, and the resyncs when replay cannot be enough (a page load, an id past the buffer, an id of another hub,
// topics that were not followed yet). Time moves only by the manual clock.
import { describe, expect, it } from "vitest";
import type { LiveTopic } from "@/lib/schemas/events";
import { ReplayLog } from "../replay-log";
import { ManualClock } from "./support";

const MAX_AGE_MS = 60_000;
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c));

function log(maxEvents = 100) {
  const clock = new ManualClock();
  const l = new ReplayLog({ clock, maxEvents, maxAgeMs: MAX_AGE_MS });
  const append = (topic: LiveTopic) => {
    l.append(topic, (id) => new TextEncoder().encode(`${id} ${topic}`));
    return l.headId;
  };
  return { clock, l, append };
}

describe("ReplayLog", () => {
  it("numbers events <epoch>.<sequence> from 1, and encodes each with its own id", () => {
    const { l, append } = log();
    expect(l.headId).toBe(`${l.epoch}.0`);
    expect(l.epoch).toMatch(/^[0-9a-f]{8}$/);
    expect([append("devices:1"), append("devices:1")]).toEqual([`${l.epoch}.1`, `${l.epoch}.2`]);
    expect(new ReplayLog({ clock: new ManualClock(), maxEvents: 1, maxAgeMs: 1 }).epoch).not.toBe(l.epoch);
  });

  it("replays what came after an id, for the stream's own topics only", () => {
    const { l, append } = log();
    l.markLive("operations:*");
    l.markLive("devices:*");
    const start = l.headId;
    append("operations:42");
    append("devices:42");
    append("operations:7");
    expect(l.resume(start, ["operations:42"])).toEqual({
      replay: [new TextEncoder().encode(`${l.epoch}.1 operations:42`)],
      resync: undefined,
    });
    expect(text(l.resume(start, ["operations:*"]).replay)).toEqual([
      `${l.epoch}.1 operations:42`,
      `${l.epoch}.3 operations:7`,
    ]);
    expect(l.resume(l.headId, ["operations:*"])).toEqual({ replay: [], resync: undefined });
  });

  it("sends a page load (no id) a resync, and nothing for a stream without topics", () => {
    const { l } = log();
    expect(l.resume(undefined, ["devices:*", "registrations"])).toEqual({
      replay: [],
      resync: { reason: "initial", topics: ["devices:*", "registrations"] },
    });
    expect(l.resume(undefined, [])).toEqual({ replay: [], resync: undefined });
  });

  it("answers an id past the buffer (by count) with a gap resync instead of a partial replay", () => {
    const { l, append } = log(3);
    l.markLive("devices:*");
    const ids = [l.headId];
    for (let i = 0; i < 5; i++) ids.push(append("devices:1"));
    // Kept: 3, 4, 5. Resuming after 2 needs nothing older; after 1 would need event 2, which is gone.
    expect(text(l.resume(ids[2], ["devices:*"]).replay)).toHaveLength(3);
    expect(l.resume(ids[1], ["devices:*"])).toEqual({
      replay: [],
      resync: { reason: "gap", topics: ["devices:*"] },
    });
  });

  it("forgets events older than the age limit", () => {
    const { clock, l, append } = log();
    l.markLive("devices:*");
    const start = l.headId;
    append("devices:1");
    clock.advance(MAX_AGE_MS);
    expect(text(l.resume(start, ["devices:*"]).replay)).toHaveLength(1);
    clock.advance(1);
    expect(l.resume(start, ["devices:*"]).resync).toEqual({ reason: "gap", topics: ["devices:*"] });
    // With nothing kept, the newest id still resumes cleanly.
    expect(l.resume(l.headId, ["devices:*"])).toEqual({ replay: [], resync: undefined });
  });

  it("answers an id of another hub, a malformed one or one from the future with a restart resync", () => {
    const { l, append } = log();
    append("devices:1");
    for (const id of ["0badcafe.1", "nonsense", `${l.epoch}.x`, `${l.epoch}.2`, `${l.epoch}.-1`])
      expect(l.resume(id, ["devices:*"]).resync).toEqual({ reason: "restart", topics: ["devices:*"] });
  });

  it("replays what it has but resyncs topics that were not followed at the resume point", () => {
    const { l, append } = log();
    l.markLive("devices:*");
    const start = l.headId;
    append("devices:1");
    l.markLive("operations:42"); // followed only from now on
    append("operations:42");
    const resumed = l.resume(start, ["devices:*", "operations:42"]);
    expect(text(resumed.replay)).toEqual([`${l.epoch}.1 devices:1`, `${l.epoch}.2 operations:42`]);
    expect(resumed.resync).toEqual({ reason: "initial", topics: ["operations:42"] });
    // A wider topic live since before covers a narrower one; a forgotten topic is complete no more.
    l.markLive("operations:*");
    expect(l.resume(l.headId, ["operations:7"]).resync).toBeUndefined();
    l.forget("operations:*");
    l.forget("operations:42");
    expect(l.resume(l.headId, ["operations:7"]).resync).toEqual({
      reason: "initial",
      topics: ["operations:7"],
    });
  });
});
