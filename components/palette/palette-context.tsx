"use client";

import { createContext, useContext, useEffect, useId } from "react";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import type { Contributions } from "./contributions";

/**
 * An action a page offers in the command palette while it is on screen (docs/command-palette.md). Found by its
 * label and keywords; Enter closes the palette and calls `run`.
 */
export interface PaletteAction {
  /** Unique among the actions in force: `<page>.<action>`, e.g. `bulk-operation.retry-failed`. */
  id: string;
  /** What happens, naming the object: "Send restart to Pump 7". */
  label: string;
  /** The heading it is listed under: "This device", "Registrations". */
  section: string;
  /** Other words that find it ("reboot", the fragment name). */
  keywords?: readonly string[];
  /** A short note shown after the label. */
  hint?: string;
  run: () => void;
}

export interface PaletteRegistry {
  actions: Contributions<PaletteAction>;
  shortcuts: Contributions<Shortcut>;
  openPalette: () => void;
  openHelp: () => void;
}

export const PaletteContext = createContext<PaletteRegistry | null>(null);

/** The palette's registry; null outside the console shell (a component test, the sign-in page). */
export const usePaletteRegistry = () => useContext(PaletteContext);

/**
 * Offers `actions` in the command palette while the calling component is mounted. Pass a memoised array: each
 * new array replaces the previous contribution. Outside the console shell it does nothing.
 */
export function usePaletteActions(actions: readonly PaletteAction[]): void {
  const registry = usePaletteRegistry();
  const key = useId();
  useEffect(() => {
    registry?.actions.set(key, actions);
  }, [registry, key, actions]);
  useEffect(() => () => registry?.actions.delete(key), [registry, key]);
}

/** Adds keyboard shortcuts (listed in the `?` help) while the calling component is mounted; memoise the array. */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const registry = usePaletteRegistry();
  const key = useId();
  useEffect(() => {
    registry?.shortcuts.set(key, shortcuts);
  }, [registry, key, shortcuts]);
  useEffect(() => () => registry?.shortcuts.delete(key), [registry, key]);
}
