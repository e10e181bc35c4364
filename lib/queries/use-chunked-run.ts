"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { RowResult } from "@/lib/schemas/registrations";
import { BffError } from "./api-client";
import { runInChunks } from "./run-in-chunks";

/** 50 ids per request and 2 requests in flight: a thousand accepts take 20 calls, never a burst of them. */
export const CHUNK_SIZE = 50;
export const CHUNKS_IN_FLIGHT = 2;

export interface ChunkedRunState {
  phase: "idle" | "running" | "finished";
  /** What is being done, for headings and announcements ("Accepting 120 devices"). */
  label: string;
  /** Past-tense verb for a successful row ("accepted", "registered"). */
  verb: string;
  total: number;
  done: number;
  results: RowResult[];
  /** Ids never sent because the operator cancelled or a request failed in a way that stops the run. */
  notSent: string[];
  stoppedBy: "cancel" | "error" | null;
  /** Cancel was pressed; chunks already sent are still being awaited. */
  cancelRequested: boolean;
}

const IDLE: ChunkedRunState = {
  phase: "idle",
  label: "",
  verb: "",
  total: 0,
  done: 0,
  results: [],
  notSent: [],
  stoppedBy: null,
  cancelRequested: false,
};

/** Stop sending once it is clear every further chunk would fail the same way. */
function isFatal(error: unknown): boolean {
  return (
    error instanceof BffError &&
    (error.status === 0 || [401, 403].includes(error.status) || error.status >= 500)
  );
}

function failedRows(chunk: string[], error: unknown): RowResult[] {
  const message = error instanceof Error ? error.message : "The request failed.";
  const code = error instanceof BffError ? error.code : undefined;
  return chunk.map((id) => ({ id, ok: false, error: message, ...(code ? { code } : {}) }));
}

/**
 * Runs a per-id action (accept, register) over many ids in chunks, with progress, cancel and a result per id.
 * When it ends, everything under `invalidate` is refetched so the tables show the new states.
 */
export function useChunkedRun(invalidate: QueryKey) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ChunkedRunState>(IDLE);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    async (options: {
      label: string;
      verb: string;
      ids: string[];
      run: (chunk: string[]) => Promise<RowResult[]>;
    }) => {
      if (controller.current) return; // one run at a time
      const abort = new AbortController();
      controller.current = abort;
      const { label, verb, ids } = options;
      setState({ ...IDLE, phase: "running", label, verb, total: ids.length });
      const outcome = await runInChunks(ids, {
        chunkSize: CHUNK_SIZE,
        concurrency: CHUNKS_IN_FLIGHT,
        signal: abort.signal,
        run: options.run,
        onChunkError: failedRows,
        isFatal,
        onProgress: ({ done, results }) => setState((s) => ({ ...s, done, results })),
      });
      controller.current = null;
      setState((s) => ({ ...s, phase: "finished", ...outcome }));
      await queryClient.invalidateQueries({ queryKey: invalidate });
    },
    [queryClient, invalidate],
  );

  const cancel = useCallback(() => {
    if (!controller.current) return;
    controller.current.abort();
    setState((s) => ({ ...s, cancelRequested: true }));
  }, []);
  const reset = useCallback(() => {
    if (!controller.current) setState(IDLE);
  }, []);
  return { state, start, cancel, reset };
}
