// The quick texts panel beside the chat: every canned response by group, with a filter.
// Clicking one inserts it into the message; its Send button sends it as is.

import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";
import { el } from "../format";
import { groupCanned, searchCanned } from "./canned";

/** What the panel does with a response. */
export interface QuickTextActions {
  insert(response: CannedResponse): void;
  send(response: CannedResponse): void;
}

/** The quick texts side panel. */
export class QuickTexts {
  readonly root = el("aside", "quick-texts", undefined, "quick-texts");
  private filter = el("input", "picker-search", undefined, "quick-texts-filter");
  private list = el("div", "quick-list");
  private responses: readonly CannedResponse[] = [];

  constructor(private actions: QuickTextActions) {
    this.root.setAttribute("aria-label", "Quick texts");
    this.filter.type = "search";
    this.filter.placeholder = "Filter";
    this.filter.setAttribute("aria-label", "Filter quick texts");
    this.filter.addEventListener("input", () => this.render());
    this.root.append(el("h3", "sidebar-title", "Quick texts"), this.filter, this.list);
  }

  /** The responses to list. */
  update(responses: readonly CannedResponse[]): void {
    if (responses === this.responses) return;
    this.responses = responses;
    this.render();
  }

  private render(): void {
    const shown = searchCanned(this.responses, this.filter.value);
    if (shown.length === 0) {
      this.list.replaceChildren(el("p", "picker-empty", this.responses.length ? "Nothing matches." : "No canned responses yet."));
      return;
    }
    this.list.replaceChildren(
      ...groupCanned(shown).map((group) => {
        const section = el("section", "quick-group");
        const ul = el("ul", "quick-items");
        ul.append(
          ...group.responses.map((response) => {
            const li = el("li", "quick-item", undefined, "quick-text");
            li.dataset.id = response.id;
            const insert = el("button", "quick-insert", undefined, "quick-text-insert");
            insert.append(el("span", "quick-title", response.title));
            insert.type = "button";
            insert.title = response.text;
            insert.addEventListener("mousedown", (event) => event.preventDefault());
            insert.addEventListener("click", () => this.actions.insert(response));
            const send = el("button", "tool", "Send", "quick-text-send");
            send.type = "button";
            send.title = "Send as is";
            send.addEventListener("click", () => this.actions.send(response));
            li.append(insert, send);
            return li;
          }),
        );
        section.append(el("h4", "quick-group-title", group.label), ul);
        return section;
      }),
    );
  }
}
