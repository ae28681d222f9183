// The main window: the operator's bar (name, status control, log out), the reconnecting
// banner, one tab per chat (newest first, unread counts, ringing marks) and the chat pane.

import type { Status } from "../../../crates/protocol/bindings/Status";
import type { ConnectionState } from "../../../crates/client/bindings/ConnectionState";
import { el } from "../format";
import { findChat, type Chat, type State } from "../store";
import { ChatPane, type ChatActions } from "./chat";
import { TransferList } from "./files";

/** What the main window asks of the app. */
export interface MainActions extends ChatActions {
  select(conversationId: string): void;
  closeTab(conversationId: string): void;
  confirmClose(conversationId: string): void;
  cancelClose(): void;
  setStatus(status: Status): void;
  logout(): void;
}

const STATUSES: [Status, string][] = [
  ["online", "Online"],
  ["away", "Away"],
  ["offline", "Offline"],
];

/** The main window's content. */
export class MainView {
  readonly root = el("div", "main", undefined, "main-screen");
  private operatorName = el("span", "operator-name", "", "operator-name");
  private status = el("select", "status-select", undefined, "status-select");
  private banner = el("div", "banner", "", "connection-banner");
  private tabs = el("ul", "tabs", undefined, "tabs");
  private pane: ChatPane;
  private transfers: TransferList;
  private dialog = el("div", "dialog-backdrop", undefined, "confirm-close");
  private lastTabs: Chat[] | null = null;
  private lastActive: string | null = null;
  private lastDialog: string | null = null;

  constructor(private actions: MainActions) {
    this.pane = new ChatPane(actions);
    this.transfers = new TransferList(actions);
    for (const [value, label] of STATUSES) {
      const option = el("option", undefined, label);
      option.value = value;
      this.status.append(option);
    }
    this.status.setAttribute("aria-label", "My status");
    this.status.addEventListener("change", () => actions.setStatus(this.status.value as Status));
    const logout = el("button", "link-button", "Log out", "logout");
    logout.addEventListener("click", () => actions.logout());

    const statusDot = el("span", "status-dot");
    const bar = el("header", "topbar");
    const left = el("div", "topbar-left");
    left.append(el("span", "brand", "Switchboard"), this.operatorName);
    const right = el("div", "topbar-right");
    right.append(statusDot, this.status, logout);
    bar.append(left, right);

    this.banner.setAttribute("role", "status");
    const sidebar = el("nav", "sidebar");
    sidebar.setAttribute("aria-label", "Chats");
    sidebar.append(el("h3", "sidebar-title", "Chats"), this.tabs, this.transfers.root);
    const body = el("div", "body");
    body.append(sidebar, this.pane.root);
    this.dialog.hidden = true;
    this.root.append(bar, this.banner, body, this.dialog);
  }

  update(state: State): void {
    const session = state.session;
    if (!session) return;
    this.operatorName.textContent = session.operator.name;
    this.root.dataset.status = session.status;
    if (this.status.value !== session.status) this.status.value = session.status;
    this.renderBanner(session.connection);
    if (state.chats !== this.lastTabs || state.activeId !== this.lastActive) {
      this.renderTabs(state);
      this.lastTabs = state.chats;
      this.lastActive = state.activeId;
    }
    this.pane.update(findChat(state, state.activeId), session.operator.id);
    this.transfers.update(state.transfers);
    this.pane.snip.update(state.snip);
    this.renderDialog(state);
  }

  focusComposer(): void {
    this.pane.focusComposer();
  }

  private renderBanner(connection: ConnectionState): void {
    const text = bannerText(connection);
    this.banner.textContent = text ?? "";
    this.banner.hidden = text === null;
    this.banner.dataset.state = connection.state;
  }

  private renderTabs(state: State): void {
    this.tabs.replaceChildren(
      ...state.chats.map((chat, index) => {
        const { summary } = chat;
        const tab = el("li", "tab", undefined, "chat-tab");
        tab.dataset.conversationId = summary.id;
        tab.dataset.state = chat.closed ? "closed" : summary.state;
        tab.classList.toggle("active", summary.id === state.activeId);
        tab.classList.toggle("ringing", summary.state === "ringing");
        tab.classList.toggle("closed", chat.closed);
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-selected", String(summary.id === state.activeId));
        tab.title = index < 9 ? `Ctrl+${index + 1}` : "";
        const name = el("span", "tab-name", summary.visitor.name, "tab-name");
        const detail = el("span", "tab-detail", tabDetail(chat));
        const label = el("div", "tab-label");
        label.append(name, detail);
        tab.append(label);
        if (chat.unread > 0) tab.append(el("span", "unread", String(chat.unread), "unread-count"));
        const close = el("button", "tab-close", "×", "close-tab");
        close.title = summary.state === "ringing" ? "Decline" : chat.closed ? "Close tab" : "End chat";
        close.setAttribute("aria-label", close.title);
        close.addEventListener("click", (event) => {
          event.stopPropagation();
          this.actions.closeTab(summary.id);
        });
        tab.append(close);
        tab.addEventListener("click", () => this.actions.select(summary.id));
        return tab;
      }),
    );
  }

  private renderDialog(state: State): void {
    if (state.confirmClose === this.lastDialog) return;
    this.lastDialog = state.confirmClose;
    const chat = findChat(state, state.confirmClose);
    this.dialog.hidden = !chat;
    if (!chat) {
      this.dialog.replaceChildren();
      return;
    }
    const box = el("div", "dialog");
    box.setAttribute("role", "alertdialog");
    const text = chat.summary.visitor.connected
      ? `${chat.summary.visitor.name} is still here. End this chat?`
      : `End the chat with ${chat.summary.visitor.name}?`;
    const end = el("button", "danger", "End chat", "confirm-end-chat");
    end.addEventListener("click", () => this.actions.confirmClose(chat.summary.id));
    const cancel = el("button", undefined, "Cancel", "cancel-end-chat");
    cancel.addEventListener("click", () => this.actions.cancelClose());
    const buttons = el("div", "dialog-buttons");
    buttons.append(cancel, end);
    box.append(el("p", undefined, text), buttons);
    this.dialog.replaceChildren(box);
    end.focus();
  }
}

/** The banner's text for a connection state; `null` hides it. */
export function bannerText(connection: ConnectionState): string | null {
  switch (connection.state) {
    case "connected":
      return null;
    case "connecting":
      return "Connecting to the server…";
    case "reconnecting": {
      const seconds = Math.ceil(connection.retry_in_ms / 1000);
      return `Connection lost. Reconnecting${seconds > 0 ? ` in ${seconds} s` : "…"} — messages you send are queued.`;
    }
    case "unauthorized":
      return "The server ended this session. Logging in again…";
    case "closed":
      return "Disconnected.";
  }
}

function tabDetail(chat: Chat): string {
  if (chat.closed) return "Ended";
  if (chat.summary.state === "ringing") return "Incoming call";
  const last = [...chat.items].reverse().find((item) => item.kind === "message");
  if (last?.kind === "message") return last.spans.map((span) => span.text).join("").slice(0, 60);
  return "Chat";
}
