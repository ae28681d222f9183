// Managing canned responses in the app: the company's list (admins change it) and the
// operator's own, each in its order; create, edit, delete, and move up or down. Changes go to
// the server; the lists shown are the ones the server sends back.

import type { CannedDraft } from "../../../crates/protocol/bindings/CannedDraft";
import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";
import type { CannedScope } from "../../../crates/protocol/bindings/CannedScope";
import { el } from "../format";
import { PLACEHOLDERS } from "./canned";

/** What the manager asks of the app; each promise fails with a message to show. */
export interface ManagerActions {
  save(id: string | null, draft: CannedDraft): Promise<void>;
  remove(id: string): Promise<void>;
  reorder(scope: CannedScope, ids: string[]): Promise<void>;
}

/** The canned responses dialog. */
export class CannedManager {
  readonly root = el("div", "dialog-backdrop", undefined, "canned-manager");
  private lists = el("div", "manager-lists");
  private form = el("form", "manager-form", undefined, "canned-form");
  private scope = el("select", undefined, undefined, "canned-scope");
  private group = el("input", undefined, undefined, "canned-group");
  private shortcut = el("input", undefined, undefined, "canned-shortcut");
  private title = el("input", undefined, undefined, "canned-title-input");
  private text = el("textarea", undefined, undefined, "canned-text");
  private error = el("p", "form-error", "", "canned-error");
  private heading = el("h3", "manager-form-title", "New canned response");
  private editing: string | null = null;
  private responses: readonly CannedResponse[] = [];
  private admin = false;

  constructor(private actions: ManagerActions) {
    this.root.hidden = true;
    const box = el("div", "dialog manager");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Canned responses");
    const close = el("button", undefined, "Close", "close-canned-manager");
    close.type = "button";
    close.addEventListener("click", () => this.close());
    const head = el("div", "manager-head");
    head.append(el("h2", undefined, "Canned responses"), close);
    this.buildForm();
    const body = el("div", "manager-body");
    body.append(this.lists, this.form);
    box.append(head, body);
    this.root.append(box);
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
  }

  /** The lists to show, and whether this operator may change the company's. */
  update(responses: readonly CannedResponse[], admin: boolean): void {
    this.responses = responses;
    if (admin !== this.admin) {
      this.admin = admin;
      this.fillScopes();
    }
    if (!this.root.hidden) this.renderLists();
  }

  open(): void {
    this.root.hidden = false;
    this.startNew();
    this.renderLists();
    this.title.focus();
  }

  close(): void {
    this.root.hidden = true;
  }

  private buildForm(): void {
    this.fillScopes();
    this.shortcut.placeholder = "e.g. thanks (then type #thanks and Tab)";
    this.text.rows = 5;
    this.text.dir = "auto";
    this.text.placeholder = `Text. Placeholders: ${PLACEHOLDERS.join(" ")}`;
    const field = (label: string, input: HTMLElement) => {
      const wrap = el("label", "field");
      wrap.append(label, input);
      return wrap;
    };
    const save = el("button", "primary", "Save", "canned-save");
    save.type = "submit";
    const fresh = el("button", undefined, "New", "canned-new");
    fresh.type = "button";
    fresh.addEventListener("click", () => this.startNew());
    const buttons = el("div", "dialog-buttons");
    buttons.append(fresh, save);
    this.error.hidden = true;
    this.error.setAttribute("role", "alert");
    this.form.append(
      this.heading,
      field("List", this.scope),
      field("Group", this.group),
      field("Shortcut", this.shortcut),
      field("Title", this.title),
      field("Text", this.text),
      this.error,
      buttons,
    );
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  private fillScopes(): void {
    const options: [CannedScope, string][] = [["personal", "Mine"]];
    if (this.admin) options.push(["company", "Company (everyone)"]);
    this.scope.replaceChildren(
      ...options.map(([value, label]) => {
        const option = el("option", undefined, label);
        option.value = value;
        return option;
      }),
    );
  }

  private startNew(): void {
    this.editing = null;
    this.heading.textContent = "New canned response";
    this.scope.disabled = false;
    this.scope.value = "personal";
    for (const input of [this.group, this.shortcut, this.title, this.text]) input.value = "";
    this.showError(null);
  }

  private startEdit(response: CannedResponse): void {
    this.editing = response.id;
    this.heading.textContent = `Edit “${response.title}”`;
    this.scope.value = response.scope;
    this.scope.disabled = true;
    this.group.value = response.group;
    this.shortcut.value = response.shortcut ?? "";
    this.title.value = response.title;
    this.text.value = response.text;
    this.showError(null);
    this.text.focus();
  }

  private submit(): void {
    const draft: CannedDraft = {
      scope: this.scope.value as CannedScope,
      group: this.group.value,
      shortcut: this.shortcut.value.trim() || null,
      title: this.title.value,
      text: this.text.value,
    };
    this.actions
      .save(this.editing, draft)
      .then(() => this.startNew())
      .catch((error: unknown) => this.showError(error instanceof Error ? error.message : String(error)));
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? "";
    this.error.hidden = message === null;
  }

  private renderLists(): void {
    const sections: HTMLElement[] = [];
    for (const [scope, label] of [
      ["company", "Company"],
      ["personal", "Mine"],
    ] as const) {
      const list = this.responses.filter((r) => r.scope === scope);
      const mayChange = scope === "personal" || this.admin;
      const ul = el("ul", "manager-list", undefined, `canned-list-${scope}`);
      ul.append(
        ...list.map((response, index) => {
          const row = el("li", "manager-row", undefined, "canned-row");
          row.dataset.id = response.id;
          const label = el("span", "manager-label");
          label.append(
            el("strong", undefined, response.title),
            response.shortcut ? el("span", "picker-shortcut", ` #${response.shortcut}`) : "",
            response.group ? el("span", "manager-group", ` · ${response.group}`) : "",
          );
          row.append(label);
          if (mayChange) {
            const ids = list.map((r) => r.id);
            const move = (by: number) => {
              const next = [...ids];
              [next[index], next[index + by]] = [next[index + by], next[index]];
              this.actions.reorder(scope, next).catch((error: unknown) => this.showError(String(error)));
            };
            row.append(
              this.rowButton("↑", "canned-up", "Move up", index === 0, () => move(-1)),
              this.rowButton("↓", "canned-down", "Move down", index === list.length - 1, () => move(1)),
              this.rowButton("Edit", "canned-edit", "Edit", false, () => this.startEdit(response)),
              this.rowButton("Delete", "canned-delete", "Delete", false, () => {
                this.actions.remove(response.id).catch((error: unknown) => this.showError(String(error)));
              }),
            );
          }
          return row;
        }),
      );
      if (list.length === 0) ul.append(el("li", "picker-empty", "None yet."));
      const section = el("section", "manager-section");
      section.append(el("h3", undefined, label), ul);
      sections.push(section);
    }
    this.lists.replaceChildren(...sections);
  }

  private rowButton(label: string, testId: string, title: string, disabled: boolean, run: () => void): HTMLButtonElement {
    const button = el("button", "tool", label, testId);
    button.type = "button";
    button.title = title;
    button.setAttribute("aria-label", title);
    button.disabled = disabled;
    button.addEventListener("click", run);
    return button;
  }
}
