import { describe, expect, it } from "vitest";
import { runInChunks, splitIntoChunks, type ChunkProgress } from "../run-in-chunks";

interface Row {
  id: string;
  ok: boolean;
  error?: string;
}

/** A chunk call the test resolves or rejects by hand, to control exactly what is in flight. */
function controlledRunner() {
  const calls: { chunk: string[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (chunk: string[]) =>
    new Promise<Row[]>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push({
        chunk,
        resolve: () => {
          inFlight--;
          resolve(chunk.map((id) => ({ id, ok: true })));
        },
        reject: (e) => {
          inFlight--;
          reject(e);
        },
      });
    });
  return { calls, run, max: () => maxInFlight };
}

/** Lets pending promise callbacks run (no timers involved). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);
const failRows = (chunk: string[], e: unknown): Row[] =>
  chunk.map((id) => ({ id, ok: false, error: (e as Error).message }));

describe("splitIntoChunks", () => {
  it("splits into chunks of the given size with a shorter last one", () => {
    expect(splitIntoChunks(ids(5), 2)).toEqual([["d1", "d2"], ["d3", "d4"], ["d5"]]);
    expect(splitIntoChunks([], 50)).toEqual([]);
    expect(() => splitIntoChunks(ids(1), 0)).toThrow(RangeError);
  });
});

describe("runInChunks", () => {
  it("keeps at most `concurrency` chunks in flight and reports progress as chunks complete", async () => {
    const runner = controlledRunner();
    const progress: ChunkProgress<Row>[] = [];
    const outcome = runInChunks(ids(5), {
      chunkSize: 2,
      concurrency: 2,
      run: runner.run,
      onChunkError: failRows,
      onProgress: (p) => progress.push(p),
    });
    await settle();
    expect(runner.calls.map((c) => c.chunk)).toEqual([
      ["d1", "d2"],
      ["d3", "d4"],
    ]);

    // The second chunk finishes first: a new one starts, results stay in input order.
    runner.calls[1]!.resolve();
    await settle();
    expect(runner.calls).toHaveLength(3);
    expect(progress.at(-1)).toMatchObject({ done: 2, total: 5 });
    expect(progress.at(-1)?.results.map((r) => r.id)).toEqual(["d3", "d4"]);

    runner.calls[0]!.resolve();
    runner.calls[2]!.resolve();
    const result = await outcome;
    expect(runner.max()).toBe(2);
    expect(progress.map((p) => p.done)).toEqual([2, 4, 5]);
    expect(result).toEqual({
      done: 5,
      total: 5,
      results: ids(5).map((id) => ({ id, ok: true })),
      notSent: [],
      stoppedBy: null,
    });
  });

  it("stops sending after cancel but keeps the results of chunks already sent", async () => {
    const runner = controlledRunner();
    const controller = new AbortController();
    const outcome = runInChunks(ids(7), {
      chunkSize: 2,
      concurrency: 2,
      signal: controller.signal,
      run: runner.run,
      onChunkError: failRows,
    });
    await settle();
    controller.abort();
    runner.calls[0]!.resolve();
    runner.calls[1]!.resolve();
    const result = await outcome;
    expect(runner.calls).toHaveLength(2);
    expect(result.stoppedBy).toBe("cancel");
    expect(result.results.map((r) => r.id)).toEqual(["d1", "d2", "d3", "d4"]);
    expect(result.notSent).toEqual(["d5", "d6", "d7"]);
    expect(result.done).toBe(4);
  });

  it("turns a failed chunk into failed rows and carries on", async () => {
    const runner = controlledRunner();
    const outcome = runInChunks(ids(3), {
      chunkSize: 1,
      concurrency: 1,
      run: runner.run,
      onChunkError: failRows,
    });
    await settle();
    runner.calls[0]!.reject(new Error("conflict"));
    await settle();
    runner.calls[1]!.resolve();
    await settle();
    runner.calls[2]!.resolve();
    const result = await outcome;
    expect(result.results).toEqual([
      { id: "d1", ok: false, error: "conflict" },
      { id: "d2", ok: true },
      { id: "d3", ok: true },
    ]);
    expect(result.stoppedBy).toBeNull();
  });

  it("stops after a fatal error and lists what was not sent", async () => {
    const runner = controlledRunner();
    const outcome = runInChunks(ids(4), {
      chunkSize: 1,
      concurrency: 2,
      run: runner.run,
      onChunkError: failRows,
      isFatal: (e) => (e as Error).message === "signed out",
    });
    await settle();
    runner.calls[0]!.reject(new Error("signed out"));
    await settle();
    runner.calls[1]!.resolve();
    const result = await outcome;
    expect(runner.calls).toHaveLength(2);
    expect(result.stoppedBy).toBe("error");
    expect(result.notSent).toEqual(["d3", "d4"]);
    expect(result.results.map((r) => r.ok)).toEqual([false, true]);
  });

  it("finishes at once for an empty list", async () => {
    const result = await runInChunks<string, Row>([], {
      chunkSize: 50,
      concurrency: 2,
      run: () => Promise.reject(new Error("never called")),
      onChunkError: failRows,
    });
    expect(result).toEqual({ done: 0, total: 0, results: [], notSent: [], stoppedBy: null });
  });
});
