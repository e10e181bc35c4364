import { describe, expect, it } from "vitest";
import { SEQUENCE_TIMEOUT_MS, createKeyMatcher, type Shortcut } from "../key-sequences";

const shortcut = (keys: string): Shortcut => ({
  id: keys,
  keys,
  label: keys,
  section: "Test",
  run: () => {},
});
const shortcuts = [shortcut("g r"), shortcut("g d"), shortcut("]")];

describe("createKeyMatcher (manual clock)", () => {
  it("runs a single key and a two-key sequence", () => {
    let now = 0;
    const press = createKeyMatcher(() => now);
    expect(press("]", shortcuts)).toMatchObject({ kind: "run", shortcut: { keys: "]" } });
    expect(press("g", shortcuts)).toEqual({ kind: "pending" });
    now += 300;
    expect(press("d", shortcuts)).toMatchObject({ kind: "run", shortcut: { keys: "g d" } });
  });

  it("forgets a sequence left unfinished beyond the timeout", () => {
    let now = 0;
    const press = createKeyMatcher(() => now);
    expect(press("g", shortcuts).kind).toBe("pending");
    now += SEQUENCE_TIMEOUT_MS + 1;
    expect(press("r", shortcuts)).toEqual({ kind: "none" });
    // …and a key that is no second key starts over on its own.
    expect(press("g", shortcuts).kind).toBe("pending");
    expect(press("]", shortcuts)).toMatchObject({ kind: "run", shortcut: { keys: "]" } });
  });

  it("lets other keys through", () => {
    const press = createKeyMatcher(() => 0);
    expect(press("x", shortcuts)).toEqual({ kind: "none" });
    expect(press("r", shortcuts)).toEqual({ kind: "none" });
  });
});
