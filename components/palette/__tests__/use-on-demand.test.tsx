// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "@/components/ui/__tests__/render";
import { useOnDemand } from "../use-on-demand";

afterEach(() => {
  document.body.innerHTML = "";
});

/** A chunk fetch the test settles by hand. */
function chunk() {
  const fetches: { resolve: (m: { name: string }) => void; reject: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<{ name: string }>((resolve, reject) => {
      fetches.push({ resolve, reject });
    });
  return { fetches, load };
}

function setup() {
  const { fetches, load } = chunk();
  const onError = vi.fn();
  const seen: ({ name: string } | null)[] = [];
  function Harness({ wanted }: { wanted: boolean }) {
    seen.push(useOnDemand(load, wanted, onError));
    return null;
  }
  const view = render(<Harness wanted={false} />);
  return {
    fetches,
    onError,
    last: () => seen.at(-1),
    want: (wanted: boolean) => view.rerender(<Harness wanted={wanted} />),
  };
}

describe("useOnDemand", () => {
  it("fetches nothing until wanted, then gives the module and keeps it", async () => {
    const { fetches, last, want } = setup();
    expect(fetches).toHaveLength(0);
    want(true);
    expect(fetches).toHaveLength(1);
    expect(last()).toBeNull();
    await act(async () => {
      fetches[0]!.resolve({ name: "palette" });
      await Promise.resolve();
    });
    expect(last()).toEqual({ name: "palette" });
    want(false);
    want(true);
    expect(fetches).toHaveLength(1);
    expect(last()).toEqual({ name: "palette" });
  });

  it("reports a failed fetch and tries again the next time it is wanted", async () => {
    const { fetches, onError, last, want } = setup();
    want(true);
    await act(async () => {
      fetches[0]!.reject(new Error("ChunkLoadError"));
      await Promise.resolve();
    });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(last()).toBeNull();
    want(false);
    want(true);
    expect(fetches).toHaveLength(2);
    await act(async () => {
      fetches[1]!.resolve({ name: "palette" });
      await Promise.resolve();
    });
    expect(last()).toEqual({ name: "palette" });
  });

  it("ignores an answer that arrives after it stopped being wanted", async () => {
    const { fetches, onError, want } = setup();
    want(true);
    want(false);
    await act(async () => {
      fetches[0]!.reject(new Error("late"));
      await Promise.resolve();
    });
    expect(onError).not.toHaveBeenCalled();
  });
});
