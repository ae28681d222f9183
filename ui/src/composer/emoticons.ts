// The emoticon picker: the emoji the server converts to, to click into the message, and at the
// bottom the text shortcuts that become them (the table comes from the protocol crate through
// the core, never copied here).

import type { Emoticon } from "../../../crates/protocol/bindings/Emoticon";
import { el } from "../format";
import { Popover } from "./popover";

/** The emoji grid and the list of shortcuts. */
export class EmoticonPicker {
  readonly popover: Popover;
  private grid = el("div", "emoji-grid");
  private shortcuts = el("p", "emoji-shortcuts", undefined, "emoticon-shortcuts");

  constructor(
    anchor: HTMLElement,
    private insert: (text: string) => void,
    onClose: () => void,
  ) {
    this.popover = new Popover("emoticon-picker", "emoticon-picker", anchor, onClose);
    this.popover.root.append(this.grid, el("p", "emoji-hint", "Or type a shortcut; it is converted when sent:"), this.shortcuts);
  }

  /** Shows the server's table: one button per emoji, every shortcut listed. */
  setEmoticons(emoticons: readonly Emoticon[]): void {
    const byEmoji = new Map<string, string[]>();
    for (const { shortcut, emoji } of emoticons) byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), shortcut]);
    this.grid.replaceChildren(
      ...[...byEmoji].map(([emoji, shortcuts]) => {
        const button = el("button", "emoji", emoji, "emoticon");
        button.type = "button";
        button.title = shortcuts.join("  ");
        button.dataset.shortcut = shortcuts[0];
        button.addEventListener("click", () => {
          this.popover.close();
          this.insert(emoji);
        });
        return button;
      }),
    );
    this.shortcuts.textContent = [...byEmoji].map(([emoji, shortcuts]) => `${shortcuts.join(" ")} ${emoji}`).join("   ");
  }

  open(): void {
    this.popover.open();
    this.grid.querySelector<HTMLButtonElement>("button")?.focus();
  }
}
