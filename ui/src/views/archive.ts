// A closed chat, read-only: its messages and notes in a dialog, opened from the sidebar's list
// of earlier chats.

import type { ConversationEvent } from "../../../crates/protocol/bindings/ConversationEvent";
import { el, formatTime, renderSpans } from "../format";
import { authorName } from "../store";

/** The read-only chat dialog. */
export class ArchiveDialog {
  readonly root = el("div", "dialog-backdrop", undefined, "archive-dialog");

  constructor(private openLink: (href: string) => void) {
    this.root.hidden = true;
  }

  /** Shows `events` under `title`. */
  show(title: string, events: ConversationEvent[]): void {
    const box = el("div", "dialog archive");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", title);
    const list = el("ol", "messages archive-messages", undefined, "archive-messages");
    for (const event of events) {
      const body = event.body;
      if (body.type !== "message") continue;
      const item = el("li", `message ${body.author.kind}`, undefined, "archive-message");
      const meta = el("div", "meta");
      meta.append(el("span", "sender", authorName(body.author)), el("time", "time", formatTime(event.at)));
      const text = el("div", "body", undefined, "archive-message-text");
      text.append(renderSpans(body.spans, this.openLink));
      item.append(meta, text);
      list.append(item);
    }
    const close = el("button", undefined, "Close", "close-archive");
    close.addEventListener("click", () => this.hide());
    box.append(el("h3", undefined, title), el("p", "muted", "Read-only"), list, close);
    this.root.replaceChildren(box);
    this.root.hidden = false;
    close.focus();
  }

  /** Closes the dialog. */
  hide(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
  }
}
