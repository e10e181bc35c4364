// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RowResult } from "@/lib/schemas/registrations";
import { render } from "@/components/ui/__tests__/render";
import { BffError } from "../api-client";
import { CHUNK_SIZE, useChunkedRun, type ChunkedRunState } from "../use-chunked-run";

afterEach(() => {
  document.body.innerHTML = "";
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);

function setup() {
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, "invalidateQueries");
  const hook: { current?: ReturnType<typeof useChunkedRun> } = {};
  function Probe() {
    hook.current = useChunkedRun(["registrations"]);
    return null;
  }
  render(
    <QueryClientProvider client={queryClient}>
      <Probe />
    </QueryClientProvider>,
  );
  // Each chunk waits until the test releases it.
  const pending: { chunk: string[]; settle: (fail?: Error) => void }[] = [];
  const run = (chunk: string[]) =>
    new Promise<RowResult[]>((resolve, reject) =>
      pending.push({
        chunk,
        settle: (fail) => (fail ? reject(fail) : resolve(chunk.map((id) => ({ id, ok: true })))),
      }),
    );
  const state = (): ChunkedRunState => hook.current!.state;
  return { hook, run, pending, state, invalidate };
}

describe("useChunkedRun", () => {
  it("sends 50 ids per request, two at a time, and reports progress per chunk", async () => {
    const { hook, run, pending, state, invalidate } = setup();
    let finished!: Promise<void>;
    act(() => {
      finished = hook.current!.start({ label: "Accepting 120", verb: "accepted", ids: ids(120), run });
    });
    expect(state()).toMatchObject({ phase: "running", total: 120, done: 0 });
    expect(pending.map((p) => p.chunk.length)).toEqual([CHUNK_SIZE, CHUNK_SIZE]);

    await act(async () => {
      pending[0]!.settle();
      await Promise.resolve();
    });
    expect(state().done).toBe(50);
    expect(pending).toHaveLength(3);

    await act(async () => {
      pending[1]!.settle();
      pending[2]!.settle();
      await finished;
    });
    expect(state()).toMatchObject({ phase: "finished", done: 120, notSent: [], stoppedBy: null });
    expect(state().results).toHaveLength(120);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["registrations"] });
  });

  it("cancel stops further chunks; what was sent still reports its result", async () => {
    const { hook, run, pending, state } = setup();
    let finished!: Promise<void>;
    act(() => {
      finished = hook.current!.start({ label: "Accepting", verb: "accepted", ids: ids(200), run });
    });
    act(() => hook.current!.cancel());
    expect(state().cancelRequested).toBe(true);
    await act(async () => {
      pending[0]!.settle();
      pending[1]!.settle(new BffError(409, "conflict", "Already accepted."));
      await finished;
    });
    expect(pending).toHaveLength(2);
    expect(state()).toMatchObject({ phase: "finished", done: 100, stoppedBy: "cancel" });
    expect(state().notSent).toHaveLength(100);
    expect(state().results.filter((r) => !r.ok)).toHaveLength(50);
    expect(state().results.at(-1)).toEqual({
      id: "d100",
      ok: false,
      error: "Already accepted.",
      code: "conflict",
    });
  });

  it("stops after an error that every further chunk would hit too", async () => {
    const { hook, run, pending, state } = setup();
    let finished!: Promise<void>;
    act(() => {
      finished = hook.current!.start({ label: "Registering", verb: "registered", ids: ids(300), run });
    });
    await act(async () => {
      pending[0]!.settle(
        new BffError(502, "upstream_unavailable", "The platform is not available right now."),
      );
      pending[1]!.settle();
      await finished;
    });
    expect(state()).toMatchObject({ stoppedBy: "error", done: 100 });
    expect(state().notSent).toHaveLength(200);
  });

  it("ignores a second start while one runs", async () => {
    const { hook, run, pending } = setup();
    let finished!: Promise<void>;
    act(() => {
      finished = hook.current!.start({ label: "A", verb: "accepted", ids: ids(10), run });
      void hook.current!.start({ label: "B", verb: "accepted", ids: ids(10), run });
    });
    expect(pending).toHaveLength(1);
    await act(async () => {
      pending[0]!.settle();
      await finished;
    });
    expect(hook.current!.state.label).toBe("A");
  });
});
