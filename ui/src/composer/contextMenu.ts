// The message input's context menu: Cut, Copy, Paste, Select All and the writing direction.
// Shift+right-click opens the webview's own menu instead (with spelling suggestions).

import { el } from "../format";

/** One entry of the menu. */
export interface MenuEntry {
  label: string;
  testId: string;
  checked?: boolean;
  disabled?: boolean;
  run(): void;
}

/** A menu at the pointer, closed by a choice, Escape or a click elsewhere. */
export class ContextMenu {
  readonly root = el("ul", "context-menu", undefined, "composer-menu");
  private onOutside = (event: MouseEvent) => {
    if (!this.root.contains(event.target as Node)) this.close();
  };

  constructor() {
    this.root.hidden = true;
    this.root.setAttribute("role", "menu");
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
  }

  /** Opens with `entries` (`null` draws a separator) at the pointer of `event`. */
  open(event: MouseEvent, entries: (MenuEntry | null)[]): void {
    this.root.replaceChildren(
      ...entries.map((entry) => {
        if (!entry) return el("li", "menu-separator");
        const item = el("li", "menu-item", undefined, entry.testId);
        item.setAttribute("role", entry.checked === undefined ? "menuitem" : "menuitemcheckbox");
        if (entry.checked !== undefined) item.setAttribute("aria-checked", String(entry.checked));
        const button = el("button", undefined, `${entry.checked ? "✓ " : ""}${entry.label}`);
        button.type = "button";
        button.disabled = entry.disabled ?? false;
        // keep the input's selection: act on mousedown, before focus moves
        button.addEventListener("mousedown", (e) => e.preventDefault());
        button.addEventListener("click", () => {
          this.close();
          entry.run();
        });
        item.append(button);
        return item;
      }),
    );
    this.root.style.left = `${event.clientX}px`;
    this.root.style.top = `${event.clientY}px`;
    this.root.hidden = false;
    document.addEventListener("mousedown", this.onOutside);
  }

  close(): void {
    this.root.hidden = true;
    document.removeEventListener("mousedown", this.onOutside);
  }
}
