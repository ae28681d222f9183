// The chat tabs: one tab per chat (newest first) with the visitor's name, the last message or
// what the chat is waiting for, the unread count, ringing and ended marks, and a close button.
// A tab is built once per chat and then only its changed parts are updated, so the stream of
// events of twenty busy chats does not rebuild twenty tabs each time.

import { el } from "../format";
import type { Chat } from "../store";
import { chatTitle } from "../team/state";
import { placeChildren } from "./children";

/** What the tabs ask of the app. */
export interface TabActions {
  select(conversationId: string): void;
  closeTab(conversationId: string): void;
}

/** The list of chat tabs (a `tablist`). */
export class ChatTabs {
  readonly root = el("ul", "tabs", undefined, "tabs");
  private tabs = new Map<string, Tab>();

  constructor(private actions: TabActions) {
    this.root.setAttribute("role", "tablist");
    this.root.setAttribute("aria-label", "Open chats");
    this.root.setAttribute("aria-orientation", "vertical");
  }

  /** Shows `chats` in this order, `activeId` selected. */
  update(chats: readonly Chat[], activeId: string | null, operatorId: string): void {
    // a keyboard user keeps focus on the same tab when the list is rebuilt
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    const tabs = new Map<string, Tab>();
    const nodes = chats.map((chat, index) => {
      const id = chat.summary.id;
      const tab = this.tabs.get(id) ?? new Tab(id, this.actions);
      tab.update(chat, index, id === activeId, operatorId);
      tabs.set(id, tab);
      return tab.root;
    });
    this.tabs = tabs;
    placeChildren(this.root, nodes);
    if (focused instanceof HTMLElement && focused !== document.activeElement && this.root.contains(focused)) {
      focused.focus();
    }
  }
}

/** One tab, kept for as long as its chat is listed. */
class Tab {
  readonly root = el("li", "tab", undefined, "chat-tab");
  private name = el("span", "tab-name", "", "tab-name");
  private detail = el("span", "tab-detail", "");
  private unread = el("span", "unread", "", "unread-count");
  private close = el("button", "tab-close", "×", "close-tab");
  private shown: { chat: Chat; index: number; active: boolean; operatorId: string } | null = null;

  constructor(conversationId: string, actions: TabActions) {
    const { root } = this;
    root.dataset.conversationId = conversationId;
    root.setAttribute("role", "tab");
    // reachable with Tab; Enter or Space opens it, arrow keys move between tabs
    root.tabIndex = 0;
    root.addEventListener("keydown", (event) => onTabKey(event, root, () => actions.select(conversationId)));
    root.addEventListener("click", () => actions.select(conversationId));
    this.close.addEventListener("click", (event) => {
      event.stopPropagation();
      actions.closeTab(conversationId);
    });
    const label = el("div", "tab-label");
    label.append(this.name, this.detail);
    root.append(label, this.close);
  }

  update(chat: Chat, index: number, active: boolean, operatorId: string): void {
    const shown = this.shown;
    if (shown && shown.chat === chat && shown.index === index && shown.active === active && shown.operatorId === operatorId) {
      return;
    }
    this.shown = { chat, index, active, operatorId };
    const { summary } = chat;
    const { root } = this;
    root.dataset.state = chat.closed ? "closed" : summary.state;
    root.classList.toggle("active", active);
    root.classList.toggle("ringing", summary.state === "ringing");
    root.classList.toggle("closed", chat.closed);
    root.setAttribute("aria-selected", String(active));
    root.title = index < 9 ? `Ctrl+${index + 1}` : "";
    setText(this.name, chatTitle(summary, operatorId));
    setText(this.detail, tabDetail(chat));
    if (chat.unread > 0) {
      setText(this.unread, String(chat.unread));
      if (this.unread.parentNode !== this.root) this.close.before(this.unread);
    } else {
      this.unread.remove();
    }
    const title = summary.state === "ringing" ? "Decline" : chat.closed ? "Close tab" : "End chat";
    this.close.title = title;
    this.close.setAttribute("aria-label", `${title}: ${summary.visitor.name}`);
  }
}

function onTabKey(event: KeyboardEvent, tab: HTMLElement, select: () => void): void {
  if (event.target !== tab) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    select();
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? tab.nextElementSibling : tab.previousElementSibling;
    if (next instanceof HTMLElement) next.focus();
  }
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** The line under a tab's name: the last message, or what the chat is waiting for. */
function tabDetail(chat: Chat): string {
  if (chat.closed) return "Ended";
  if (chat.summary.state === "ringing") return "Incoming call";
  for (let n = chat.items.length - 1; n >= 0; n -= 1) {
    const item = chat.items[n];
    if (item.kind === "message") return item.spans.map((span) => span.text).join("").slice(0, 60);
  }
  return "Chat";
}
