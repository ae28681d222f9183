// The Settings page: how calls ring (sound, which sound, repeat; or a visual-only flash), the
// snipping shortcut (typed or recorded, refused with the reason when it conflicts or the system
// will not have it), start at login, close to tray, theme and text size. Every change is kept
// at once; the page says when it is kept or why not.

import type { Preferences } from "../bindings/Preferences";
import type { RingMode } from "../bindings/RingMode";
import type { RingSound } from "../bindings/RingSound";
import type { Theme } from "../bindings/Theme";
import { el } from "../format";
import "./settings.css";

/** What the Settings page asks of the app. */
export interface SettingsActions {
  /** Applies and keeps the preferences (the shortcut excepted); rejects with a message. */
  savePreferences(preferences: Preferences): Promise<void>;
  /** Makes `shortcut` the snipping shortcut; rejects with the reason it was refused. */
  setSnipShortcut(shortcut: string): Promise<void>;
  /** Plays a ring sound once. */
  playSound(sound: RingSound): void;
}

const RING_MODES: [RingMode, string][] = [
  ["sound", "Play a sound"],
  ["visual", "Visual only: no sound, the window flashes"],
  ["silent", "Silent: notification only"],
];
const SOUNDS: [RingSound, string][] = [
  ["chime", "Chime"],
  ["bell", "Bell"],
  ["beeps", "Beeps"],
];
const THEMES: [Theme, string][] = [
  ["system", "Follow the system"],
  ["light", "Light"],
  ["dark", "Dark"],
];
const TEXT_SCALES: [number, string][] = [
  [90, "Small"],
  [100, "Normal"],
  [115, "Large"],
  [130, "Larger"],
  [150, "Largest"],
];

/** The Settings page. */
export class SettingsPage {
  readonly root = el("section", "settings-page", undefined, "settings-page");
  private preferences: Preferences | null = null;
  private ringModes = new Map<RingMode, HTMLInputElement>();
  private sound = el("select", undefined, undefined, "pref-ring-sound");
  private repeat = el("input", undefined, undefined, "pref-repeat-ring");
  private shortcut = el("input", "shortcut-input", undefined, "pref-snip-shortcut");
  private shortcutStatus = el("p", "settings-note", "", "shortcut-status");
  private startAtLogin = el("input", undefined, undefined, "pref-start-at-login");
  private closeToTray = el("input", undefined, undefined, "pref-close-to-tray");
  private theme = el("select", undefined, undefined, "pref-theme");
  private textScale = el("select", undefined, undefined, "pref-text-scale");
  private saveStatus = el("p", "settings-note", "", "settings-status");

  constructor(private actions: SettingsActions) {
    this.root.setAttribute("aria-labelledby", "settings-title");
    const title = el("h2", "settings-title", "Settings");
    title.id = "settings-title";
    this.saveStatus.setAttribute("role", "status");
    this.root.append(
      title,
      this.callsSection(),
      this.shortcutSection(),
      this.windowSection(),
      this.appearanceSection(),
      this.saveStatus,
    );
  }

  /** Shows the preferences in effect and, when the shortcut is not, why. */
  show(preferences: Preferences, shortcutProblem: string | null): void {
    this.preferences = preferences;
    this.ringModes.get(preferences.ring_mode)!.checked = true;
    this.sound.value = preferences.ring_sound;
    this.repeat.checked = preferences.repeat_ring;
    this.shortcut.value = preferences.snip_shortcut;
    this.startAtLogin.checked = preferences.start_at_login;
    this.closeToTray.checked = preferences.close_to_tray;
    this.theme.value = preferences.theme;
    this.textScale.value = String(preferences.text_scale);
    this.enableSoundChoices();
    if (shortcutProblem) this.shortcutResult("error", shortcutProblem);
  }

  private callsSection(): HTMLElement {
    const modes = fieldset("When a call rings");
    for (const [mode, label] of RING_MODES) {
      const radio = el("input", undefined, undefined, `ring-mode-${mode}`);
      radio.type = "radio";
      radio.name = "ring-mode";
      radio.value = mode;
      radio.addEventListener("change", () => {
        for (const [other, input] of this.ringModes) input.checked = other === mode;
        this.enableSoundChoices();
        this.save();
      });
      this.ringModes.set(mode, radio);
      modes.append(labelled(radio, label));
    }
    options(this.sound, SOUNDS);
    this.sound.addEventListener("change", () => this.save());
    const play = el("button", undefined, "Play", "play-ring-sound");
    play.type = "button";
    play.setAttribute("aria-label", "Play the ring sound");
    play.addEventListener("click", () => this.actions.playSound(this.sound.value as RingSound));
    const soundRow = el("div", "settings-row");
    soundRow.append(field("Sound", this.sound), play);
    this.repeat.type = "checkbox";
    this.repeat.addEventListener("change", () => this.save());
    modes.append(soundRow, labelled(this.repeat, "Repeat until the call is handled"));
    return modes;
  }

  private shortcutSection(): HTMLElement {
    const section = fieldset("Snipping tool");
    this.shortcut.type = "text";
    this.shortcut.spellcheck = false;
    this.shortcut.autocomplete = "off";
    const help = el(
      "p",
      "settings-note",
      "Press the key combination in the field, or type it (like Ctrl+Shift+S), then Apply. It works in every program.",
    );
    help.id = "shortcut-help";
    this.shortcut.setAttribute("aria-describedby", "shortcut-help shortcut-status");
    this.shortcut.addEventListener("keydown", (event) => this.record(event));
    this.shortcut.addEventListener("keyup", (event) => {
      if (event.key === "Enter") this.applyShortcut();
    });
    const apply = el("button", "primary", "Apply", "apply-snip-shortcut");
    apply.type = "button";
    apply.addEventListener("click", () => this.applyShortcut());
    const row = el("div", "settings-row");
    row.append(field("Global shortcut", this.shortcut), apply);
    section.append(row, help, this.shortcutStatus);
    return section;
  }

  private windowSection(): HTMLElement {
    const section = fieldset("Window");
    for (const box of [this.startAtLogin, this.closeToTray]) {
      box.type = "checkbox";
      box.addEventListener("change", () => this.save());
    }
    section.append(
      labelled(this.startAtLogin, "Start Switchboard when I log in to this computer"),
      labelled(this.closeToTray, "Closing the window keeps Switchboard running in the tray"),
    );
    return section;
  }

  private appearanceSection(): HTMLElement {
    const section = fieldset("Appearance");
    options(this.theme, THEMES);
    options(
      this.textScale,
      TEXT_SCALES.map(([value, label]) => [String(value), `${label} (${value}%)`]),
    );
    this.theme.addEventListener("change", () => this.save());
    this.textScale.addEventListener("change", () => this.save());
    section.append(field("Theme", this.theme), field("Text size", this.textScale));
    return section;
  }

  /** A key combination pressed in the shortcut field becomes its text (Tab still moves on). */
  private record(event: KeyboardEvent): void {
    const named = shortcutOf(event);
    if (!named) return;
    event.preventDefault();
    this.shortcut.value = named;
  }

  private enableSoundChoices(): void {
    const sound = this.ringModes.get("sound")!.checked;
    this.sound.disabled = !sound;
    this.repeat.disabled = !sound;
  }

  private current(): Preferences | null {
    if (!this.preferences) return null;
    const mode = [...this.ringModes].find(([, radio]) => radio.checked)?.[0] ?? this.preferences.ring_mode;
    return {
      ...this.preferences,
      ring_mode: mode,
      ring_sound: this.sound.value as RingSound,
      repeat_ring: this.repeat.checked,
      start_at_login: this.startAtLogin.checked,
      close_to_tray: this.closeToTray.checked,
      theme: this.theme.value as Theme,
      text_scale: Number(this.textScale.value),
    };
  }

  private save(): void {
    const next = this.current();
    if (!next) return;
    this.root.dataset.saved = "saving";
    this.actions.savePreferences(next).then(
      () => {
        this.preferences = next;
        this.root.dataset.saved = "saved";
        this.saveStatus.textContent = "Saved.";
      },
      (error: unknown) => {
        this.root.dataset.saved = "error";
        this.saveStatus.textContent = messageOf(error);
        if (this.preferences) this.show(this.preferences, null);
      },
    );
  }

  private applyShortcut(): void {
    const text = this.shortcut.value.trim();
    this.shortcutStatus.dataset.state = "saving";
    this.actions.setSnipShortcut(text).then(
      () => {
        if (this.preferences) this.preferences = { ...this.preferences, snip_shortcut: text };
        this.shortcutResult("saved", `${text} now starts the snipping tool.`);
      },
      (error: unknown) => this.shortcutResult("error", messageOf(error)),
    );
  }

  private shortcutResult(state: "saved" | "error", text: string): void {
    this.shortcutStatus.dataset.state = state;
    this.shortcutStatus.setAttribute("role", state === "error" ? "alert" : "status");
    this.shortcutStatus.textContent = text;
  }
}

/** The text of a key combination with Ctrl, Alt or Super (`Ctrl+Alt+K`), or null. */
export function shortcutOf(event: Pick<KeyboardEvent, "ctrlKey" | "altKey" | "metaKey" | "shiftKey" | "key" | "code">): string | null {
  if (!(event.ctrlKey || event.altKey || event.metaKey)) return null;
  if (["Control", "Alt", "Shift", "Meta", "AltGraph"].includes(event.key)) return null;
  const key = keyName(event.code);
  if (!key) return null;
  const parts = [event.ctrlKey && "Ctrl", event.altKey && "Alt", event.shiftKey && "Shift", event.metaKey && "Super"];
  return [...parts.filter((part): part is string => Boolean(part)), key].join("+");
}

/** A physical key's name as the shortcut parser reads it: `KeyK` → `K`, `Digit5` → `5`. */
function keyName(code: string): string | null {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  const named: Record<string, string> = {
    Space: "Space",
    PrintScreen: "PrintScreen",
    Insert: "Insert",
    Home: "Home",
    End: "End",
    PageUp: "PageUp",
    PageDown: "PageDown",
  };
  return named[code] ?? null;
}

function fieldset(legend: string): HTMLFieldSetElement {
  const set = el("fieldset", "settings-group");
  set.append(el("legend", undefined, legend));
  return set;
}

function labelled(input: HTMLInputElement, text: string): HTMLLabelElement {
  const label = el("label", "check");
  label.append(input, text);
  return label;
}

function field(text: string, control: HTMLElement): HTMLLabelElement {
  const label = el("label", "field");
  label.append(text, control);
  return label;
}

function options(select: HTMLSelectElement, choices: readonly (readonly [string, string])[]): void {
  for (const [value, label] of choices) {
    const option = el("option", undefined, label);
    option.value = value;
    select.append(option);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
