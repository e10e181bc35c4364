import { THEME_SCRIPT } from "./theme";

/** Put in the root layout's <head>: sets the theme class while the HTML is parsed, before paint. */
export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />;
}
