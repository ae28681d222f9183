// The login screen: server address, email, password, "remember me", and clear errors.

import { el } from "../format";
import type { LoginState } from "../store";

/** What the login screen asks of the app. */
export interface LoginActions {
  login(serverUrl: string, email: string, password: string, remember: boolean): void;
}

/** The login screen; `update` refreshes it from the state without losing what was typed. */
export class LoginView {
  readonly root = el("form", "login", undefined, "login-screen");
  private serverUrl = input("url", "server-url", "https://chat.example.com");
  private email = input("email", "email", "you@example.com");
  private password = input("password", "password", "");
  private remember = el("input");
  private notice = el("p", "login-notice", "", "login-notice");
  private error = el("p", "login-error", "", "login-error");
  private submit = el("button", "primary", "Log in", "login-submit");
  private prefilled = false;

  constructor(actions: LoginActions) {
    this.remember.type = "checkbox";
    this.remember.id = "remember";
    this.remember.checked = true;
    this.remember.dataset.testid = "remember";
    this.error.setAttribute("role", "alert");
    this.submit.type = "submit";
    this.serverUrl.type = "text";

    const title = el("h1", "login-title", "Switchboard");
    const subtitle = el("p", "login-subtitle", "Log in to take chats");
    const rememberLabel = el("label", "check");
    rememberLabel.append(this.remember, document.createTextNode(" Remember me on this computer"));
    this.root.append(
      title,
      subtitle,
      this.notice,
      field("Server", this.serverUrl),
      field("Email", this.email),
      field("Password", this.password),
      rememberLabel,
      this.error,
      this.submit,
    );
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      actions.login(this.serverUrl.value, this.email.value, this.password.value, this.remember.checked);
    });
  }

  update(state: LoginState): void {
    if (!this.prefilled) {
      this.serverUrl.value ||= state.serverUrl;
      this.email.value ||= state.email;
      this.prefilled = true;
    }
    this.notice.textContent = state.notice ?? "";
    this.notice.hidden = !state.notice;
    this.error.textContent = state.error ?? "";
    this.error.hidden = !state.error;
    this.submit.disabled = state.busy;
    this.submit.textContent = state.busy ? "Logging in…" : "Log in";
  }

  /** Clears the password and lets the next state prefill the fields again. */
  reset(): void {
    this.password.value = "";
    this.prefilled = false;
  }

  focus(): void {
    (this.serverUrl.value ? (this.email.value ? this.password : this.email) : this.serverUrl).focus();
  }
}

function input(type: string, name: string, placeholder: string): HTMLInputElement {
  const element = el("input", undefined, undefined, name);
  element.type = type;
  element.name = name;
  element.id = name;
  element.placeholder = placeholder;
  element.required = true;
  element.autocomplete = type === "password" ? "current-password" : "on";
  return element;
}

function field(label: string, control: HTMLInputElement): HTMLElement {
  const wrapper = el("label", "field");
  wrapper.append(el("span", undefined, label), control);
  return wrapper;
}
