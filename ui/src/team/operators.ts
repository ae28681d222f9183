// The Account section's operator management, for administrators: add an operator (email, name,
// initial password, administrator or not), set a new password for one, or remove one. The
// server checks everything and the team list follows.

import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";
import { el } from "../format";

/** What operator management asks of the app; each resolves once the server agreed. */
export interface OperatorActions {
  addOperator(email: string, name: string, password: string, admin: boolean): Promise<void>;
  resetPassword(operatorId: string, password: string): Promise<void>;
  removeOperator(operatorId: string): Promise<void>;
}

/** Add / reset password / remove operators. */
export class OperatorsManager {
  readonly root = el("div", "operators-manager", undefined, "operators-manager");
  private list = el("ul", "operators-list");
  private status = el("p", "account-status", "", "operators-status");
  private shown: readonly TeamMember[] | null = null;

  constructor(private actions: OperatorActions) {
    this.status.setAttribute("role", "status");
    this.root.append(el("h3", undefined, "Operators"), this.list, this.addForm(), this.status);
  }

  /** Follows the team list; `selfId` cannot be removed. */
  update(members: readonly TeamMember[], selfId: string): void {
    if (members === this.shown) return;
    this.shown = members;
    this.list.replaceChildren(...members.map((member) => this.row(member, selfId)));
  }

  private addForm(): HTMLFormElement {
    const form = el("form", "operator-add", undefined, "add-operator");
    const field = (placeholder: string, type: string, testId: string) => {
      const input = el("input", undefined, undefined, testId);
      input.type = type;
      input.placeholder = placeholder;
      input.required = true;
      input.setAttribute("aria-label", placeholder);
      return input;
    };
    const email = field("Email", "email", "new-operator-email");
    const name = field("Name", "text", "new-operator-name");
    const password = field("Initial password (8+ characters)", "password", "new-operator-password");
    const admin = el("input", undefined, undefined, "new-operator-admin");
    admin.type = "checkbox";
    const adminLabel = el("label", "check");
    adminLabel.append(admin, "Administrator");
    const add = el("button", "primary", "Add operator", "add-operator-button");
    add.type = "submit";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(`Adding ${name.value}…`, `Added ${name.value}`, () =>
        this.actions.addOperator(email.value, name.value, password.value, admin.checked).then(() => form.reset()),
      );
    });
    form.append(email, name, password, adminLabel, add);
    return form;
  }

  private row(member: TeamMember, selfId: string): HTMLLIElement {
    const li = el("li", "operator-item", undefined, "operator-item");
    li.dataset.operatorId = member.operator.id;
    li.append(el("span", "operator-item-name", member.operator.name));
    const password = el("input", undefined, undefined, "reset-password-value");
    password.type = "password";
    password.placeholder = "New password";
    password.setAttribute("aria-label", `New password for ${member.operator.name}`);
    const reset = el("button", undefined, "Set password", "reset-password");
    reset.addEventListener("click", () =>
      this.run("Setting the password…", `New password set for ${member.operator.name}`, () =>
        this.actions.resetPassword(member.operator.id, password.value).then(() => (password.value = "")),
      ),
    );
    li.append(password, reset);
    if (member.operator.id !== selfId) {
      const remove = el("button", "danger", "Remove", "remove-operator");
      remove.addEventListener("click", () =>
        this.run(`Removing ${member.operator.name}…`, `Removed ${member.operator.name}`, () =>
          this.actions.removeOperator(member.operator.id),
        ),
      );
      li.append(remove);
    }
    return li;
  }

  /** Runs one change and reports how it went. */
  private run(pending: string, done: string, change: () => Promise<unknown>): void {
    this.status.textContent = pending;
    change()
      .then(() => (this.status.textContent = done))
      .catch((error: unknown) => (this.status.textContent = error instanceof Error ? error.message : String(error)));
  }
}
