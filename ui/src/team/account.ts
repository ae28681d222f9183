// The Team page's Account section, for administrators only: operator management, and every
// account setting (call distribution, ring timeout, chat cap, reconnect grace, pre-chat survey,
// file limits, ...) with what it means, editable one at a time; the server checks each value.

import type { AccountSetting } from "../../../crates/protocol/bindings/AccountSetting";
import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";
import { el } from "../format";
import { OperatorsManager, type OperatorActions } from "./operators";

/** What the Account section asks of the app. */
export interface AccountActions extends OperatorActions {
  /** Asks for the settings (they arrive as a server event). */
  readAccount(): void;
  /** Resolves once the server kept the value; rejects with a readable message. */
  setAccountSetting(key: string, value: string): Promise<void>;
}

/** Settings whose value is long (JSON): edited in a text area. */
const LONG_VALUES = new Set(["survey"]);

/** The Account section. */
export class AccountSection {
  readonly root = el("section", "account-section", undefined, "account-section");
  private rows = el("div", "account-rows");
  private shown: AccountSetting[] | null | undefined = undefined;
  private asked = false;
  /** The last outcome per setting; kept when the list is redrawn with fresh values. */
  private statuses = new Map<string, string>();
  private operators: OperatorsManager;

  constructor(private actions: AccountActions) {
    this.operators = new OperatorsManager(actions);
    this.root.append(el("h2", "page-title", "Account"), this.operators.root, el("h3", undefined, "Settings"), this.rows);
  }

  /** Shows operators and settings to administrators (asking for the settings the first time). */
  update(
    settings: AccountSetting[] | null,
    members: readonly TeamMember[],
    selfId: string,
    admin: boolean,
    visible: boolean,
  ): void {
    this.root.hidden = !admin;
    if (!admin || !visible) return;
    this.operators.update(members, selfId);
    if (settings === null && !this.asked) {
      this.asked = true;
      this.actions.readAccount();
    }
    if (settings === this.shown) return;
    this.shown = settings;
    this.rows.replaceChildren(
      ...(settings === null ? [el("p", "empty", "Loading the account settings…")] : settings.map((s) => this.row(s))),
    );
  }

  /** Shows the outcome of saving one setting (in whichever row shows it now). */
  private setStatus(key: string, text: string): void {
    this.statuses.set(key, text);
    for (const row of Array.from(this.rows.children)) {
      if (row instanceof HTMLElement && row.dataset.key === key) {
        const status = row.querySelector(".account-status");
        if (status) status.textContent = text;
      }
    }
  }

  private row(setting: AccountSetting): HTMLElement {
    const row = el("form", "account-row", undefined, "account-setting");
    row.dataset.key = setting.key;
    const input = LONG_VALUES.has(setting.key)
      ? el("textarea", "account-value", undefined, "account-value")
      : el("input", "account-value", undefined, "account-value");
    input.value = setting.value;
    input.setAttribute("aria-label", setting.key);
    const save = el("button", undefined, "Save", "save-account-setting");
    save.type = "submit";
    const status = el("span", "account-status", this.statuses.get(setting.key) ?? "", "account-status");
    status.setAttribute("role", "status");
    row.addEventListener("submit", (event) => {
      event.preventDefault();
      this.setStatus(setting.key, "Saving…");
      this.actions
        .setAccountSetting(setting.key, input.value)
        .then(() => this.setStatus(setting.key, "Saved"))
        .catch((error: unknown) => this.setStatus(setting.key, error instanceof Error ? error.message : String(error)));
    });
    const label = el("label", "account-key", setting.key);
    row.append(label, el("p", "account-about", setting.about), input, save, status);
    return row;
  }
}
