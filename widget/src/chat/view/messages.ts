/**
 * The message list (`role="log"`): renders timeline items keyed by `item.key`, so an own message
 * keeps its element from "sending" to "seen" and nothing is ever shown twice. Text goes into the
 * DOM only through `renderSpans` (text nodes and anchors).
 */
import type { FileInfo } from "../../protocol";
import { renderSpans } from "../spans";
import type { Delivery, FileItem, MessageItem, NoticeItem, TimelineItem } from "../timeline";
import { formatBytes } from "../uploads";

/** The link to a shared file (`inline` for an image preview), or null without a token. */
export type FileLink = (file: FileInfo, inline: boolean) => string | null;

const DELIVERY_LABEL: Record<Delivery, string> = {
  sending: "Sending…",
  sent: "Sent",
  delivered: "Delivered",
  seen: "Seen",
  failed: "Not sent",
};

/** Formats a time of day in the visitor's locale and zone. */
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

interface Rendered {
  readonly element: HTMLLIElement;
  /** What the element currently shows, to skip work when nothing changed. */
  shown: string;
}

/** The list of messages and notices. */
export class MessageList {
  private readonly rendered = new Map<string, Rendered>();

  /** Renders into `list`; `onRetry` is called with the client id of a failed message. */
  constructor(
    private readonly list: HTMLElement,
    private readonly onRetry: (clientMsgId: string) => void,
    private readonly fileLink: FileLink,
  ) {}

  /** Shows exactly `items`, in order. */
  render(items: readonly TimelineItem[]): void {
    const keep = new Set(items.map((item) => item.key));
    for (const [key, { element }] of this.rendered) {
      if (!keep.has(key)) {
        element.remove();
        this.rendered.delete(key);
      }
    }
    let previous: Element | null = null;
    let previousAuthor = "";
    for (const item of items) {
      const authorKey = item.kind === "notice" ? "" : authorId(item);
      const showAuthor = item.kind !== "notice" && !item.mine && authorKey !== previousAuthor;
      const element = this.upsert(item, showAuthor);
      const expected: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== element) {
        if (previous) {
          previous.after(element);
        } else {
          this.list.prepend(element);
        }
      }
      previous = element;
      previousAuthor = authorKey;
    }
  }

  private upsert(item: TimelineItem, showAuthor: boolean): HTMLLIElement {
    const shown = JSON.stringify([item, showAuthor]);
    const existing = this.rendered.get(item.key);
    if (existing && existing.shown === shown) {
      return existing.element;
    }
    const doc = this.list.ownerDocument;
    const element = existing?.element ?? doc.createElement("li");
    element.replaceChildren();
    if (item.kind === "notice") {
      this.fillNotice(element, item);
    } else if (item.kind === "file") {
      this.fillFile(element, item, showAuthor);
    } else {
      this.fillMessage(element, item, showAuthor);
    }
    this.rendered.set(item.key, { element, shown });
    return element;
  }

  private fillNotice(element: HTMLLIElement, item: NoticeItem): void {
    element.className = "sb-notice";
    element.dataset.testid = "notice";
    element.dataset.seq = String(item.seq);
    element.textContent = item.text;
  }

  private fillFile(element: HTMLLIElement, item: FileItem, showAuthor: boolean): void {
    const doc = element.ownerDocument;
    element.className = `sb-msg sb-file ${item.mine ? "sb-msg--mine" : "sb-msg--theirs"}`;
    element.dataset.testid = "file";
    element.dataset.author = item.author.kind;
    element.dataset.key = item.key;
    element.dataset.seq = String(item.seq);
    if (showAuthor) {
      const author = doc.createElement("span");
      author.className = "sb-msg-author";
      author.textContent = item.author.kind === "system" ? "" : item.author.name;
      element.append(author);
    }
    const bubble = doc.createElement("div");
    bubble.className = "sb-msg-text";
    const download = item.gone ? null : this.fileLink(item.file, false);
    const preview = item.gone || !item.file.preview ? null : this.fileLink(item.file, true);
    if (preview !== null) {
      const open = doc.createElement("a");
      open.href = preview;
      open.target = "_blank";
      open.rel = "noopener noreferrer";
      open.className = "sb-file-preview";
      open.title = `Open ${item.file.name} full size`;
      const image = doc.createElement("img");
      image.src = preview;
      image.alt = item.file.name;
      image.dataset.testid = "file-preview";
      open.append(image);
      bubble.append(open);
    }
    let name: HTMLElement;
    if (download === null) {
      name = doc.createElement("span");
    } else {
      const link = doc.createElement("a");
      link.href = download;
      link.download = item.file.name;
      link.rel = "noopener noreferrer";
      name = link;
    }
    name.className = "sb-file-name";
    name.dataset.testid = "file-link";
    name.textContent = item.file.name;
    const size = doc.createElement("span");
    size.className = "sb-file-size";
    size.textContent = item.gone ? " · deleted when the chat ended" : ` · ${formatBytes(item.file.size)}`;
    bubble.append(name, size);
    const meta = doc.createElement("span");
    meta.className = "sb-msg-meta";
    const time = doc.createElement("time");
    time.dateTime = new Date(item.at).toISOString();
    time.textContent = timeFormat.format(item.at);
    meta.append(time);
    element.append(bubble, meta);
  }

  private fillMessage(element: HTMLLIElement, item: MessageItem, showAuthor: boolean): void {
    const doc = element.ownerDocument;
    element.className = `sb-msg ${item.mine ? "sb-msg--mine" : "sb-msg--theirs"}`;
    element.dataset.testid = "message";
    element.dataset.author = item.author.kind;
    element.dataset.key = item.key;
    if (item.seq === null) {
      delete element.dataset.seq;
    } else {
      element.dataset.seq = String(item.seq);
    }
    if (item.delivery === null) {
      delete element.dataset.delivery;
    } else {
      element.dataset.delivery = item.delivery;
    }
    if (showAuthor) {
      const author = doc.createElement("span");
      author.className = "sb-msg-author";
      author.textContent = item.author.kind === "system" ? "" : item.author.name;
      element.append(author);
    }
    const bubble = doc.createElement("div");
    bubble.className = "sb-msg-text";
    bubble.dir = "auto";
    bubble.append(renderSpans(item.spans, doc));
    const meta = doc.createElement("span");
    meta.className = "sb-msg-meta";
    const time = doc.createElement("time");
    time.dateTime = new Date(item.at).toISOString();
    time.textContent = timeFormat.format(item.at);
    meta.append(time);
    if (item.delivery !== null) {
      const status = doc.createElement("span");
      status.className = "sb-msg-status";
      status.textContent = DELIVERY_LABEL[item.delivery];
      if (item.error !== null) {
        status.title = item.error;
      }
      meta.append(" · ", status);
    }
    if (item.delivery === "failed") {
      const retry = doc.createElement("button");
      retry.type = "button";
      retry.className = "sb-msg-retry";
      retry.textContent = "Retry";
      retry.addEventListener("click", () => this.onRetry(item.clientMsgId));
      meta.append(" ", retry);
    }
    element.append(bubble, meta);
  }
}

function authorId(item: MessageItem | FileItem): string {
  return item.author.kind === "operator" ? `operator:${item.author.id}` : item.author.kind;
}
