/**
 * Sends a long list of ids to the BFF in fixed-size chunks with a small number in flight, so accepting a
 * thousand devices neither floods the platform nor sits behind one request with no feedback. Universal and
 * framework-free so it can be tested without a DOM.
 */

export interface ChunkRunOptions<T, R> {
  chunkSize: number;
  /** Chunks in flight at once. */
  concurrency: number;
  /** Aborting stops new chunks from starting; chunks already sent are awaited, their results kept. */
  signal?: AbortSignal;
  run: (chunk: T[]) => Promise<R[]>;
  /** Turns a failed chunk into per-item results so the result table still has a row for each item. */
  onChunkError: (chunk: T[], error: unknown) => R[];
  /** True for errors after which more chunks make no sense (signed out, platform unreachable). */
  isFatal?: (error: unknown) => boolean;
  onProgress?: (progress: ChunkProgress<R>) => void;
}

export interface ChunkProgress<R> {
  /** Items whose chunk has completed (successfully or not). */
  done: number;
  total: number;
  /** Results of completed chunks, in the order of the input. */
  results: R[];
}

export interface ChunkRunOutcome<T, R> extends ChunkProgress<R> {
  /** Items never sent because of a cancel or a fatal error. */
  notSent: T[];
  stoppedBy: "cancel" | "error" | null;
}

export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("chunk size must be a positive integer");
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export async function runInChunks<T, R>(
  items: readonly T[],
  options: ChunkRunOptions<T, R>,
): Promise<ChunkRunOutcome<T, R>> {
  const chunks = splitIntoChunks(items, options.chunkSize);
  const resultsByChunk: (R[] | undefined)[] = chunks.map(() => undefined);
  let next = 0;
  let done = 0;
  let stoppedBy: ChunkRunOutcome<T, R>["stoppedBy"] = null;

  const completed = () => resultsByChunk.flatMap((r) => r ?? []);
  const stopRequested = () => {
    if (stoppedBy) return true;
    if (options.signal?.aborted) stoppedBy = "cancel";
    return stoppedBy !== null;
  };

  // Each worker takes the next unsent chunk until none are left or a stop was requested.
  const worker = async () => {
    while (next < chunks.length && !stopRequested()) {
      const index = next++;
      const chunk = chunks[index]!;
      try {
        resultsByChunk[index] = await options.run(chunk);
      } catch (error) {
        resultsByChunk[index] = options.onChunkError(chunk, error);
        if (options.isFatal?.(error)) stoppedBy ??= "error";
      }
      done += chunk.length;
      options.onProgress?.({ done, total: items.length, results: completed() });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, chunks.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const notSent = chunks.flatMap((chunk, i) => (resultsByChunk[i] ? [] : chunk));
  return { done, total: items.length, results: completed(), notSent, stoppedBy };
}
