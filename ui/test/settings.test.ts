import { describe, expect, it } from "vitest";

import type { Preferences } from "../src/bindings/Preferences";
import { SettingsPage, shortcutOf } from "../src/settings/page";

const defaults: Preferences = {
  ring_mode: "sound",
  ring_sound: "chime",
  repeat_ring: true,
  snip_shortcut: "Ctrl+Shift+S",
  start_at_login: false,
  close_to_tray: true,
  theme: "system",
  text_scale: 100,
};

const key = (code: string, mods: Partial<Record<"ctrlKey" | "altKey" | "shiftKey" | "metaKey", boolean>>, key = code) => ({
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  key,
  code,
  ...mods,
});

function setup(fail?: string) {
  const saved: Preferences[] = [];
  const shortcuts: string[] = [];
  const page = new SettingsPage({
    savePreferences: (preferences) => (saved.push(preferences), Promise.resolve()),
    setSnipShortcut: (shortcut) => (shortcuts.push(shortcut), fail ? Promise.reject(new Error(fail)) : Promise.resolve()),
    playSound: () => undefined,
  });
  document.body.replaceChildren(page.root);
  page.show(defaults, null);
  const $ = <T extends HTMLElement>(id: string) => page.root.querySelector<T>(`[data-testid=${id}]`)!;
  return { page, saved, shortcuts, $ };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("shortcut recording", () => {
  it("names a combination with a modifier by its physical key", () => {
    expect(shortcutOf(key("KeyK", { ctrlKey: true, altKey: true }, "k"))).toBe("Ctrl+Alt+K");
    expect(shortcutOf(key("Digit5", { metaKey: true, shiftKey: true }, "%"))).toBe("Shift+Super+5");
    expect(shortcutOf(key("F7", { ctrlKey: true }))).toBe("Ctrl+F7");
  });

  it("leaves plain typing, Shift alone and lone modifiers to the field", () => {
    expect(shortcutOf(key("KeyK", {}, "k"))).toBeNull();
    expect(shortcutOf(key("KeyK", { shiftKey: true }, "K"))).toBeNull();
    expect(shortcutOf(key("ControlLeft", { ctrlKey: true }, "Control"))).toBeNull();
  });
});

describe("the Settings page", () => {
  it("keeps every change at once, with the shortcut kept apart", async () => {
    const { page, saved, $ } = setup();
    const visual = $<HTMLInputElement>("ring-mode-visual");
    visual.checked = true;
    visual.dispatchEvent(new Event("change"));
    expect($<HTMLSelectElement>("pref-ring-sound").disabled).toBe(true);
    const theme = $<HTMLSelectElement>("pref-theme");
    theme.value = "dark";
    theme.dispatchEvent(new Event("change"));
    await settle();
    expect(saved.at(-1)).toEqual({ ...defaults, ring_mode: "visual", theme: "dark" });
    expect(page.root.dataset.saved).toBe("saved");
  });

  it("shows why a shortcut was refused, as an alert", async () => {
    const { shortcuts, $ } = setup("Ctrl+C is already used by Switchboard for copying.");
    const field = $<HTMLInputElement>("pref-snip-shortcut");
    field.value = " Ctrl+C ";
    $("apply-snip-shortcut").click();
    await settle();
    expect(shortcuts).toEqual(["Ctrl+C"]);
    const status = $("shortcut-status");
    expect(status.getAttribute("role")).toBe("alert");
    expect(status.dataset.state).toBe("error");
    expect(status.textContent).toContain("already used by Switchboard");
  });
});
