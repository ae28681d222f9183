// The Account section's operator management, for administrators: add an operator (email, name,
// initial password, administrator or not), set a new password for one, disable or enable one,
// give one a cap on concurrent chats of their own, or remove one. The server checks everything
// and the team list follows.

import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";
import { el } from "../format";
import { parseCap } from "./state";

/** What operator management asks of the app; each resolves once the server agreed. */
export interface OperatorActions {
  addOperator(email: string, name: string, password: string, admin: boolean): Promise<void>;
  resetPassword(operatorId: string, password: string): Promise<void>;
  removeOperator(operatorId: string): Promise<void>;
  setOperatorDisabled(operatorId: string, disabled: boolean): Promise<void>;
  /** `null`: the account's cap. */
  setOperatorCap(operatorId: string, maxChats: number | null): Promise<void>;
}

/** Add / reset password / disable / cap / remove operators. */
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
    li.append(password, reset, ...this.capControls(member));
    if (member.operator.id !== selfId) {
      const name = member.operator.name;
      const toggle = el("button", undefined, member.disabled ? "Enable" : "Disable", "toggle-operator-disabled");
      toggle.setAttribute("aria-label", `${member.disabled ? "Enable" : "Disable"} ${name}`);
      toggle.title = member.disabled
        ? `Let ${name} log in again`
        : `Log ${name} out everywhere and stop them logging in; their chats go back to the queue`;
      toggle.addEventListener("click", () =>
        this.run(
          member.disabled ? `Enabling ${name}…` : `Disabling ${name}…`,
          member.disabled ? `Enabled ${name}` : `Disabled ${name}`,
          () => this.actions.setOperatorDisabled(member.operator.id, !member.disabled),
        ),
      );
      li.append(toggle);
    }
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

  /** The per-operator chat cap: a number field (empty: the account's cap) and "Set cap". */
  private capControls(member: TeamMember): HTMLElement[] {
    const name = member.operator.name;
    const cap = el("input", "operator-cap", undefined, "operator-cap");
    cap.type = "number";
    cap.min = "1";
    cap.placeholder = "Account cap";
    cap.value = member.max_chats === null ? "" : String(member.max_chats);
    cap.setAttribute("aria-label", `Most chats at once for ${name} (empty: the account's cap)`);
    const set = el("button", undefined, "Set cap", "set-operator-cap");
    set.addEventListener("click", () => {
      const parsed = parseCap(cap.value);
      if ("error" in parsed) {
        this.status.textContent = parsed.error;
        return;
      }
      const shown = parsed.cap === null ? "the account's cap" : `${parsed.cap} chats at once`;
      this.run(`Setting ${name}'s cap…`, `${name}: ${shown}`, () =>
        this.actions.setOperatorCap(member.operator.id, parsed.cap),
      );
    });
    return [cap, set];
  }

  /** Runs one change and reports how it went. */
  private run(pending: string, done: string, change: () => Promise<unknown>): void {
    this.status.textContent = pending;
    change()
      .then(() => (this.status.textContent = done))
      .catch((error: unknown) => (this.status.textContent = error instanceof Error ? error.message : String(error)));
  }
}
