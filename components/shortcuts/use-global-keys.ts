"use client";

import { useEffect, useRef } from "react";
import type { Contributions } from "@/components/palette/contributions";
import { createKeyMatcher, type Shortcut } from "./key-sequences";
import { isTypingTarget } from "./typing-guard";

/** Another modal dialog is open (a confirmation, a form): its keys are its own. */
const otherModalOpen = () =>
  document.querySelector('[aria-modal="true"]:not([data-command-palette])') !== null;

/**
 * The console's one keyboard listener: Ctrl-K / ⌘-K toggles the palette from anywhere, also from a field (the
 * chord types nothing); `/`, `?` and the registered shortcuts only when the operator is not typing and no other
 * dialog is open. `now` is the clock of key sequences (tests pass their own).
 */
export function useGlobalKeys(options: {
  shortcuts: Contributions<Shortcut>;
  onPalette: () => void;
  onHelp: () => void;
  now?: () => number;
}) {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const press = createKeyMatcher(() => (latest.current.now ?? Date.now)());
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const { shortcuts, onPalette, onHelp } = latest.current;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        if (otherModalOpen()) return;
        e.preventDefault();
        onPalette();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTypingTarget(e.target) || document.querySelector('[aria-modal="true"]')) return;
      if (e.key === "/" || e.key === "?") {
        e.preventDefault();
        (e.key === "/" ? onPalette : onHelp)();
        return;
      }
      const outcome = press(e.key, shortcuts.getSnapshot());
      if (outcome.kind === "none") return;
      e.preventDefault();
      if (outcome.kind === "run") outcome.shortcut.run();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
