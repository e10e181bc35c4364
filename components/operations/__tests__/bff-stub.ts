import { vi } from "vitest";

/**
 * The network edge of a component test: `fetch` answers what the test says, one request at a time, so each state
 * (loading, answered, failed) can be looked at. Answers are the BFF's own shapes, checked by the shared schemas
 * where the component reads them.
 */
export interface StubbedRequest {
  path: string;
  answer: (body: unknown, status?: number) => void;
}

export function stubBff() {
  const requests: StubbedRequest[] = [];
  const fetch = vi.fn((input: string | URL | Request) => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.pathname : input.url;
    return new Promise<Response>((resolve) =>
      requests.push({
        path,
        answer: (body, status = 200) =>
          resolve(
            new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
          ),
      }),
    );
  });
  vi.stubGlobal("fetch", fetch);
  return {
    requests,
    /** The request not answered yet (there must be exactly one). */
    open(): StubbedRequest {
      const waiting = requests.filter((r) => !answered.has(r));
      if (waiting.length !== 1) throw new Error(`expected one open request, found ${waiting.length}`);
      answered.add(waiting[0]!);
      return waiting[0]!;
    },
  };
}
const answered = new WeakSet<StubbedRequest>();
