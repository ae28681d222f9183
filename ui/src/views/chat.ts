// One chat's pane: who the visitor is, Accept/Decline for a ringing call, the messages with
// their times, senders and delivery state, whether the visitor is typing (and what, when the
// account allows a sneak peek), shared files, a screenshot waiting to be sent, and the composer
// with the file and screenshot tools.

import type { ConversationSummary } from "../../../crates/protocol/bindings/ConversationSummary";
import type { Operator } from "../../../crates/protocol/bindings/Operator";
import { Composer, type ComposerActions } from "../composer/composer";
import { el, formatTime, renderSpans } from "../format";
import { authorName, deliveryState, type Chat, type ChatItem, type DeliveryState } from "../store";
import { placeChildren } from "./children";
import { ImageViewer, renderFileItem, type FileActions } from "./files";
import { SnipPanel, type SnipActions } from "./snip";

/** What the chat pane asks of the app. */
export interface ChatActions extends ComposerActions, FileActions, SnipActions {
  sendFiles(conversationId: string): void;
  startSnip(): void;
  pasteScreenshot(): void;
  accept(conversationId: string): void;
  decline(conversationId: string): void;
  requestClose(conversationId: string): void;
  openLink(href: string): void;
}

/** How many of a chat's newest items are drawn when it opens, and how many more each "Show
 * earlier messages" adds: a long chat costs the page only what the operator looks at. */
export const MESSAGES_PAGE = 50;

const DELIVERY_LABELS = {
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  seen: "Seen",
  failed: "Not sent",
} as const;

/** The pane of the selected chat. */
export class ChatPane {
  readonly root = el("section", "chat", undefined, "chat-pane");
  private header = el("header", "chat-header");
  /** Extra tools shown in the header of an active chat (the team tools). */
  readonly headerTools = el("div", "header-tools");
  private messages = el("ol", "messages", undefined, "messages");
  private typing = el("p", "typing-indicator", undefined, "typing-indicator");
  private sneakPeek = el("p", "sneak-peek", undefined, "sneak-peek");
  readonly composer: Composer;
  readonly viewer = new ImageViewer();
  readonly snip: SnipPanel;
  private operator: Pick<Operator, "name" | "email"> = { name: "", email: "" };
  private headerKey = "";
  /** The node drawn for each item of the shown chat, with what it was drawn with: an item that
   * stays the same keeps its node across redraws. */
  private drawn = new Map<ChatItem, Drawn>();
  /** The first line of the list while older items are not drawn: a button that draws them. */
  private earlier = el("li", "earlier", undefined, "earlier-messages");
  /** How many of the shown chat's newest items are drawn: a page when it opens, one more page
   * with each "Show earlier messages", and each new item while the operator reads further up. */
  private limit = MESSAGES_PAGE;
  private shown: { id: string | null; chat: Chat | null; operatorId: string } = {
    id: null,
    chat: null,
    operatorId: "",
  };

  constructor(private actions: ChatActions) {
    this.composer = new Composer(actions);
    this.messages.setAttribute("aria-live", "polite");
    this.typing.setAttribute("aria-live", "polite");
    this.sneakPeek.dir = "auto";
    this.sneakPeek.title = "What the visitor is typing (not sent yet)";
    const empty = el("p", "chat-empty", "No chat selected. Calls appear here as tabs.", "no-chat");
    this.snip = new SnipPanel(actions);
    this.addFileTools();
    this.addEarlierButton();
    this.root.append(
      empty,
      this.header,
      this.messages,
      this.typing,
      this.sneakPeek,
      this.snip.root,
      this.composer.root,
      this.viewer.root,
    );
  }

  /** Send file, Screenshot and Paste screenshot in the composer's toolbar; an image pasted
   * into the input (Ctrl+V) is sent as a screenshot. */
  private addFileTools(): void {
    const sendFile = el("button", "tool", "Send file…", "send-file");
    sendFile.title = "Send a file (up to 100 MB) — or drop files onto the window";
    sendFile.addEventListener("click", () => this.shown.id && this.actions.sendFiles(this.shown.id));
    const snip = el("button", "tool", "Screenshot", "start-snip");
    snip.title = "Select an area of the screen (Ctrl+Shift+S, also from other apps)";
    snip.addEventListener("click", () => this.actions.startSnip());
    const paste = el("button", "tool", "Paste screenshot", "paste-screenshot");
    paste.title = "Send the image on the clipboard (or Ctrl+V in the message box)";
    paste.addEventListener("click", () => this.actions.pasteScreenshot());
    this.composer.addTools(sendFile, snip, paste);
    this.composer.input.addEventListener("paste", (event) => {
      const items = Array.from(event.clipboardData?.items ?? []);
      if (items.some((item) => item.type.startsWith("image/"))) {
        event.preventDefault();
        this.actions.pasteScreenshot();
      }
    });
  }

  /** The "Show earlier messages" button; scrolling to the top of the list presses it too. */
  private addEarlierButton(): void {
    const button = el("button", "link-button", "Show earlier messages", "show-earlier");
    button.addEventListener("click", () => this.showEarlier());
    this.earlier.append(button);
    this.messages.addEventListener("scroll", () => {
      if (this.messages.scrollTop === 0 && this.earlier.isConnected) this.showEarlier();
    });
  }

  /** Draws another page of older items, keeping the ones in view where they are. */
  private showEarlier(): void {
    const chat = this.shown.chat;
    if (!chat) return;
    const fromBottom = this.messages.scrollHeight - this.messages.scrollTop;
    this.limit += MESSAGES_PAGE;
    this.renderMessages(chat, this.shown.operatorId, false);
    this.messages.scrollTop = this.messages.scrollHeight - fromBottom;
  }

  /** The logged-in operator, for placeholders such as `{operator.name}`. */
  setOperator(operator: Pick<Operator, "name" | "email">): void {
    this.operator = operator;
  }

  /** Shows `chat` (or nothing); redraws only what changed. */
  update(chat: Chat | undefined, operatorId: string): void {
    const id = chat?.summary.id ?? null;
    this.root.classList.toggle("is-empty", !chat);
    this.composer.show(id, chat?.closed ?? false, {
      visitor: { name: chat?.summary.visitor.name ?? "", email: chat?.summary.visitor.email ?? null },
      operator: this.operator,
    });
    this.renderTyping(chat);
    if (chat && (chat !== this.shown.chat || id !== this.shown.id)) {
      // the header's buttons are only replaced when what they offer changes
      const headerKey = [id, chat.summary.state, chat.closed, chat.summary.visitor.name, visitorMeta(chat.summary)].join("|");
      if (headerKey !== this.headerKey) this.renderHeader(chat);
      this.headerKey = headerKey;
      const previous = this.shown.chat;
      const marksMoved = chat.summary.visitor_marks !== previous?.summary.visitor_marks;
      if (chat.items !== previous?.items || marksMoved || id !== this.shown.id) {
        this.renderMessages(chat, operatorId, id !== this.shown.id || operatorId !== this.shown.operatorId);
      }
    }
    this.shown = { id, chat: chat ?? null, operatorId };
  }

  focusComposer(): void {
    this.composer.focus();
  }

  private renderTyping(chat: Chat | undefined): void {
    const typing = chat && !chat.closed ? chat.typing : null;
    this.typing.textContent = typing ? `${chat?.summary.visitor.name} is typing…` : "";
    this.typing.hidden = !typing;
    this.sneakPeek.textContent = typing?.text ?? "";
    this.sneakPeek.hidden = !typing?.text;
  }

  private renderHeader(chat: Chat): void {
    const { summary } = chat;
    const who = el("div", "who");
    who.append(el("h2", "visitor-name", summary.visitor.name, "visitor-name"), el("p", "visitor-meta", visitorMeta(summary)));
    const buttons = el("div", "chat-actions");
    if (summary.state === "ringing") {
      const accept = el("button", "primary", "Accept Call", "accept-call");
      accept.addEventListener("click", () => this.actions.accept(summary.id));
      const decline = el("button", undefined, "Decline", "decline-call");
      decline.addEventListener("click", () => this.actions.decline(summary.id));
      buttons.append(accept, decline);
    } else if (!chat.closed) {
      const end = el("button", undefined, "End chat", "end-chat");
      end.addEventListener("click", () => this.actions.requestClose(summary.id));
      buttons.append(end);
    } else {
      buttons.append(el("span", "ended", "Chat ended", "chat-ended"));
    }
    this.header.replaceChildren(who, buttons, this.headerTools);
  }

  /** Draws the newest `limit` items; with `switched` (another chat or operator) nothing drawn
   * is reused and the limit starts again at one page. While the list is scrolled to its end a
   * new item takes the place of the oldest drawn one; further up, nothing moves out of view. */
  private renderMessages(chat: Chat, operatorId: string, switched: boolean): void {
    const atBottom =
      switched || this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 40;
    if (switched) {
      this.drawn.clear();
      this.limit = MESSAGES_PAGE;
    } else if (!atBottom) {
      this.limit += appendedCount(this.shown.chat?.items ?? [], chat.items);
    }
    const hidden = Math.max(0, chat.items.length - this.limit);
    const drawn = new Map<ChatItem, Drawn>();
    const nodes = chat.items.slice(hidden).map((item) => {
      const delivery = deliveryState(item, chat, operatorId);
      const known = this.drawn.get(item);
      const node =
        known && known.delivery === delivery && known.closed === chat.closed
          ? known.node
          : this.renderItem(item, chat, operatorId);
      drawn.set(item, { node, delivery, closed: chat.closed });
      return node;
    });
    this.drawn = drawn;
    placeChildren(this.messages, hidden > 0 ? [this.earlier, ...nodes] : nodes);
    if (atBottom) this.messages.scrollTop = this.messages.scrollHeight;
  }

  private renderItem(item: ChatItem, chat: Chat, operatorId: string): HTMLElement {
    if (item.kind === "note") {
      const li = el("li", "note", item.text);
      li.dataset.seq = String(item.seq);
      return li;
    }
    const mine = item.author.kind === "operator" && (item.author.id === operatorId || item.author.id === "");
    if (item.kind === "file") return renderFileItem(item, chat.summary.id, mine, chat.closed, this.actions, this.viewer);
    const li = el("li", `message ${mine ? "mine" : item.author.kind}`, undefined, "message");
    li.dataset.key = item.key;
    if (item.seq !== null) li.dataset.seq = String(item.seq);
    const meta = el("div", "meta");
    meta.append(
      el("span", "sender", mine ? "You" : authorName(item.author), "message-sender"),
      el("time", "time", item.at === null ? "" : formatTime(item.at)),
    );
    const body = el("div", "body", undefined, "message-text");
    body.dir = "auto";
    body.append(renderSpans(item.spans, (href) => this.actions.openLink(href)));
    li.append(meta, body);
    const delivery = deliveryState(item, chat, operatorId);
    if (delivery) {
      const state = el("span", `delivery ${delivery}`, DELIVERY_LABELS[delivery], "delivery");
      state.dataset.state = delivery;
      li.dataset.delivery = delivery;
      meta.append(state);
    }
    return li;
  }
}

/** A drawn chat item and what its node depends on besides the item. */
interface Drawn {
  node: HTMLElement;
  delivery: DeliveryState | null;
  closed: boolean;
}

/** How many items `now` has after the last item of `before` (matched by key): the ones that
 * arrived since. */
function appendedCount(before: readonly ChatItem[], now: readonly ChatItem[]): number {
  const last = before.at(-1);
  if (!last) return 0;
  for (let index = now.length - 1; index >= 0; index -= 1) {
    if (now[index].key === last.key) return now.length - 1 - index;
  }
  return 0;
}

function visitorMeta(summary: ConversationSummary): string {
  const { visitor } = summary;
  const parts = [visitor.email, visitor.current_page?.title || visitor.current_page?.url, visitor.connected ? null : "left the site"];
  return parts.filter(Boolean).join(" · ");
}
