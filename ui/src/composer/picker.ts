// The canned responses picker: a search field over every response the operator can use, with
// instant results (best matches first), Insert and Send buttons per row, and the keyboard:
// arrows move, Enter inserts, Ctrl+Enter sends as is, Escape closes.

import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";
import { el } from "../format";
import { groupCanned, searchCanned } from "./canned";
import { Popover } from "./popover";

/** What the picker does with a chosen response. */
export interface PickerActions {
  insert(response: CannedResponse): void;
  send(response: CannedResponse): void;
  manage(): void;
}

/** Longest preview of a response's text in a row. */
const PREVIEW_CHARS = 90;

/** The searchable list of canned responses. */
export class CannedPicker {
  readonly popover: Popover;
  private search = el("input", "picker-search", undefined, "canned-search");
  private list = el("ul", "picker-list", undefined, "canned-list");
  private responses: readonly CannedResponse[] = [];
  private shown: CannedResponse[] = [];
  private active = 0;

  constructor(
    anchor: HTMLElement,
    private actions: PickerActions,
    onClose: () => void,
  ) {
    this.popover = new Popover("canned-picker", "canned-picker", anchor, onClose);
    this.search.type = "search";
    this.search.placeholder = "Search canned responses";
    this.search.setAttribute("aria-label", "Search canned responses");
    this.search.addEventListener("input", () => {
      this.active = 0;
      this.render();
    });
    this.search.addEventListener("keydown", (event) => this.onKey(event));
    const manage = el("button", "link-button", "Manage…", "manage-canned");
    manage.type = "button";
    manage.addEventListener("click", () => {
      this.popover.close();
      this.actions.manage();
    });
    const head = el("div", "picker-head");
    head.append(this.search, manage);
    this.list.setAttribute("role", "listbox");
    this.popover.root.append(head, this.list);
  }

  /** The responses to pick from. */
  setResponses(responses: readonly CannedResponse[]): void {
    this.responses = responses;
    if (this.popover.isOpen) this.render();
  }

  /** Opens with an empty search, focused. */
  open(): void {
    this.search.value = "";
    this.active = 0;
    this.render();
    this.popover.open();
    this.search.focus();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const count = this.shown.length;
      if (count > 0) this.active = (this.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      this.render();
    } else if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      const response = this.shown[this.active];
      if (response) this.choose(response, event.ctrlKey || event.metaKey);
    }
  }

  private choose(response: CannedResponse, send: boolean): void {
    this.popover.close();
    if (send) this.actions.send(response);
    else this.actions.insert(response);
  }

  private render(): void {
    const query = this.search.value.trim();
    this.shown = searchCanned(this.responses, query);
    if (this.responses.length === 0) {
      this.list.replaceChildren(el("li", "picker-empty", "No canned responses yet. Use Manage… to add some."));
      return;
    }
    if (this.shown.length === 0) {
      this.list.replaceChildren(el("li", "picker-empty", "Nothing matches."));
      return;
    }
    const rows: HTMLElement[] = [];
    const groups = query ? [{ label: "", responses: this.shown }] : groupCanned(this.shown);
    let index = 0;
    for (const group of groups) {
      if (group.label) rows.push(el("li", "picker-group", group.label));
      for (const response of group.responses) rows.push(this.row(response, index++));
    }
    this.list.replaceChildren(...rows);
    rows.find((row) => row.classList.contains("active"))?.scrollIntoView?.({ block: "nearest" });
  }

  private row(response: CannedResponse, index: number): HTMLElement {
    const row = el("li", "picker-row", undefined, "canned-item");
    row.setAttribute("role", "option");
    row.classList.toggle("active", index === this.active);
    row.setAttribute("aria-selected", String(index === this.active));
    row.dataset.id = response.id;
    const label = el("div", "picker-label");
    const title = el("span", "picker-title", response.title, "canned-title");
    label.append(title);
    if (response.shortcut) label.append(el("span", "picker-shortcut", `#${response.shortcut}`));
    const preview = el("div", "picker-preview", response.text.slice(0, PREVIEW_CHARS));
    preview.dir = "auto";
    const text = el("div", "picker-text");
    text.append(label, preview);
    text.addEventListener("click", () => this.choose(response, false));
    const insert = el("button", undefined, "Insert", "canned-insert");
    insert.type = "button";
    insert.title = "Insert into the message (Enter)";
    insert.addEventListener("click", () => this.choose(response, false));
    const send = el("button", "primary", "Send", "canned-send");
    send.type = "button";
    send.title = "Send as is (Ctrl+Enter)";
    send.addEventListener("click", () => this.choose(response, true));
    row.append(text, insert, send);
    return row;
  }
}
