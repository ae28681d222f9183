// A small floating panel anchored above the composer's toolbar: opens and closes, closes on
// Escape and on a click outside it, and gives focus back to the message input.

import { el } from "../format";

/** A popover with a root element the caller fills. */
export class Popover {
  readonly root: HTMLDivElement;
  private onOutside = (event: MouseEvent) => {
    if (!this.root.contains(event.target as Node) && !this.anchor.contains(event.target as Node)) this.close();
  };

  constructor(
    className: string,
    testId: string,
    private anchor: HTMLElement,
    private onClose: () => void,
  ) {
    this.root = el("div", `popover ${className}`, undefined, testId);
    this.root.hidden = true;
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  open(): void {
    this.root.hidden = false;
    document.addEventListener("mousedown", this.onOutside);
  }

  close(): void {
    if (this.root.hidden) return;
    this.root.hidden = true;
    document.removeEventListener("mousedown", this.onOutside);
    this.onClose();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }
}
