// Applies the operator's look: light or dark colours (or the system's, followed live) and the
// text size. The colours are CSS variables chosen by `data-theme` on the root element.

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

/** Scales the text (and the layout with it) to `percent` of the normal size. */
export function applyTextScale(percent: number): void {
  document.documentElement.style.setProperty("zoom", String(percent / 100));
  document.documentElement.dataset.textScale = String(percent);
}
