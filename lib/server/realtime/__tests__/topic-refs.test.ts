// Topic reference counts over a hub's streams: a source starts with the first stream and stops a linger time after
// the last one left, unless a stream came back meanwhile. Time moves only by the manual clock.
import { describe, expect, it } from "vitest";
import type { LiveTopic } from "@/lib/schemas/events";
import { TopicRefs } from "../topic-refs";
import { ManualClock } from "./support";

const LINGER_MS = 10_000;

function refs() {
  const clock = new ManualClock();
  const calls: string[] = [];
  const r = new TopicRefs({
    clock,
    lingerMs: LINGER_MS,
    onFirst: (t) => calls.push(`start ${t}`),
    onDrop: (t) => calls.push(`stop ${t}`),
  });
  return { clock, calls, r };
}
const A: LiveTopic = "operations:*";
const B: LiveTopic = "devices:7";

describe("TopicRefs", () => {
  it("starts a topic's source once however many streams want it", () => {
    const { calls, r } = refs();
    r.add(A);
    r.add(A);
    r.add(B);
    expect(calls).toEqual([`start ${A}`, `start ${B}`]);
    expect(r.count(A)).toBe(2);
    expect(r.topics).toEqual([A, B]);
  });

  it("stops it a linger time after the last stream left", () => {
    const { clock, calls, r } = refs();
    r.add(A);
    r.add(A);
    r.remove(A);
    expect(clock.pending()).toEqual([]);
    r.remove(A);
    expect(r.topics).toEqual([A]);
    clock.advance(LINGER_MS - 1);
    expect(calls).toEqual([`start ${A}`]);
    clock.advance(1);
    expect(calls).toEqual([`start ${A}`, `stop ${A}`]);
    expect(r.topics).toEqual([]);
    // A later stream starts it again.
    r.add(A);
    expect(calls.at(-1)).toBe(`start ${A}`);
  });

  it("keeps the source when a stream comes back while the topic lingers", () => {
    const { clock, calls, r } = refs();
    r.add(A);
    r.remove(A);
    clock.advance(LINGER_MS - 1);
    r.add(A);
    expect(clock.pending()).toEqual([]);
    clock.advance(LINGER_MS);
    expect(calls).toEqual([`start ${A}`]);
    expect(r.count(A)).toBe(1);
  });

  it("forgets everything on close, leaving no timer and stopping nothing itself", () => {
    const { clock, calls, r } = refs();
    r.add(A);
    r.remove(A);
    r.close();
    expect(clock.pending()).toEqual([]);
    expect(r.topics).toEqual([]);
    r.add(B);
    expect(calls).toEqual([`start ${A}`]);
  });
});
