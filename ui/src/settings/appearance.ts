// Applies the operator's colours: light or dark, or the system's, followed live. They are CSS
// variables chosen by `data-theme` on the root element. (The text size is the window's zoom,
// set by the core.)

import type { Theme } from "../bindings/Theme";

const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
let chosen: Theme = "system";
systemDark.addEventListener("change", () => applyTheme(chosen));

/** Shows `theme`; "system" follows the operating system, also when it changes later. */
export function applyTheme(theme: Theme): void {
  chosen = theme;
  const dark = theme === "dark" || (theme === "system" && systemDark.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}
