/** One keyboard shortcut: a key (`]`) or a sequence of keys separated by spaces (`g r`). */
export interface Shortcut {
  /** Unique among the shortcuts in force. */
  id: string;
  keys: string;
  /** What it does, as the help dialog lists it. */
  label: string;
  /** Heading in the help dialog ("Go to", "This device"). */
  section: string;
  run: () => void;
}

/** How long the second key of a sequence (`g` … `r`) may wait. */
export const SEQUENCE_TIMEOUT_MS = 1500;

export type KeyOutcome =
  /** A shortcut matched: run it (and swallow the key). */
  | { kind: "run"; shortcut: Shortcut }
  /** The key starts a sequence: swallow it and wait for the next. */
  | { kind: "pending" }
  /** Not a shortcut key. */
  | { kind: "none" };

/**
 * Matches key presses against shortcuts, sequences included. Time comes from `now` so tests drive it by hand: a
 * sequence left unfinished for longer than the timeout starts over.
 */
export function createKeyMatcher(now: () => number, timeoutMs = SEQUENCE_TIMEOUT_MS) {
  let typed: string[] = [];
  let lastAt = 0;
  return function press(key: string, shortcuts: readonly Shortcut[]): KeyOutcome {
    if (typed.length > 0 && now() - lastAt > timeoutMs) typed = [];
    const attempt = [...typed, key];
    lastAt = now();
    for (const candidate of [attempt, [key]]) {
      const text = candidate.join(" ");
      const exact = shortcuts.find((s) => s.keys === text);
      if (exact) {
        typed = [];
        return { kind: "run", shortcut: exact };
      }
      if (shortcuts.some((s) => s.keys.startsWith(`${text} `))) {
        typed = candidate;
        return { kind: "pending" };
      }
    }
    typed = [];
    return { kind: "none" };
  };
}

/** How a key sequence is shown: `g r` → ["g", "r"]. */
export const keysOf = (shortcut: Pick<Shortcut, "keys">) => shortcut.keys.split(" ");
