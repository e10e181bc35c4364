"use client";

import { useCallback, useLayoutEffect, useSyncExternalStore } from "react";
import { THEME_CHANGE_EVENT, THEME_STORAGE_KEY, isThemeChoice, type ThemeChoice } from "./theme";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(stored) ? stored : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(choice: ThemeChoice) {
  const dark = choice === "dark" || (choice === "system" && window.matchMedia(DARK_QUERY).matches);
  document.documentElement.classList.toggle("dark", dark);
}

function subscribe(onChange: () => void) {
  const media = window.matchMedia(DARK_QUERY);
  window.addEventListener("storage", onChange);
  window.addEventListener(THEME_CHANGE_EVENT, onChange);
  media.addEventListener("change", onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(THEME_CHANGE_EVENT, onChange);
    media.removeEventListener("change", onChange);
  };
}

/** The stored choice and a setter; keeps <html class="dark"> in step with it and with the OS setting. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  // The server cannot know the choice: it renders "system" and the client corrects it after hydration.
  const choice = useSyncExternalStore(subscribe, readChoice, () => "system" as const);

  // Also re-applies after React's development remount, which resets the <html> attributes.
  useLayoutEffect(() => applyTheme(choice), [choice]);

  const setChoice = useCallback((next: ThemeChoice) => {
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Not persisted (private mode): still applied for this page.
    }
    applyTheme(next);
    window.dispatchEvent(new Event(THEME_CHANGE_EVENT));
  }, []);
  return [choice, setChoice];
}
