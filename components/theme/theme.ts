/** The operator's colour theme choice, kept in localStorage and applied as the `.dark` class on <html>. */
export type ThemeChoice = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "c8y-console-theme";
/** Fired on window when the choice changes in this tab (the `storage` event covers other tabs). */
export const THEME_CHANGE_EVENT = "c8y-console-theme-change";

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === "light" || value === "dark" || value === "system";
}

/**
 * Runs in <head> before the first paint, so a dark-mode operator never sees a white flash. Kept in ES5 and
 * wrapped in try/catch: localStorage throws in some privacy modes, and then the system preference decides.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;
