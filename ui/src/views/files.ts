// Files in the agent UI: a shared file in the chat (name, size, Download, an image preview that
// opens full size, and a not-scanned warning on what visitors send), the transfer list with
// progress, speed and cancel, and the full-size image viewer.

import type { FileInfo } from "../../../crates/protocol/bindings/FileInfo";
import type { TransferUpdate } from "../bindings/TransferUpdate";
import { el, formatTime } from "../format";
import { authorName, type ChatItem } from "../store";

/** What file views ask of the app. */
export interface FileActions {
  download(conversationId: string, file: FileInfo): void;
  preview(file: FileInfo): Promise<string>;
  cancelTransfer(id: string): void;
  dismissTransfer(id: string): void;
  openDownload(path: string): void;
}

/** "1.5 MB", "320 KB", "12 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Data URLs of previews already fetched, by file id. */
const previews = new Map<string, Promise<string>>();

/** One shared file in the message list. */
export function renderFileItem(
  item: Extract<ChatItem, { kind: "file" }>,
  conversationId: string,
  mine: boolean,
  closed: boolean,
  actions: FileActions,
  viewer: ImageViewer,
): HTMLElement {
  const li = el("li", `message file ${mine ? "mine" : item.author.kind}`, undefined, "file");
  li.dataset.key = item.key;
  li.dataset.seq = String(item.seq);
  const meta = el("div", "meta");
  meta.append(el("span", "sender", mine ? "You" : authorName(item.author), "message-sender"), el("time", "time", formatTime(item.at)));
  const body = el("div", "body file-body");
  const { file } = item;
  if (file.preview && !closed) {
    const image = el("img", "file-preview", undefined, "file-preview");
    image.alt = file.name;
    image.title = "Open full size";
    const cached = previews.get(file.id) ?? actions.preview(file);
    previews.set(file.id, cached);
    cached.then((url) => (image.src = url)).catch(() => image.remove());
    image.addEventListener("click", () => cached.then((url) => viewer.show(url, file.name)).catch(() => undefined));
    body.append(image);
  }
  const line = el("div", "file-line");
  line.append(el("span", "file-name", file.name, "file-name"), el("span", "file-size", formatBytes(file.size)));
  if (closed) {
    line.append(el("span", "file-gone", "Deleted when the chat ended"));
  } else {
    const download = el("button", "link-button", "Download", "download-file");
    download.addEventListener("click", () => actions.download(conversationId, file));
    line.append(download);
  }
  body.append(line);
  if (item.author.kind === "visitor") {
    body.append(el("p", "file-warning", "Files are not scanned for viruses. Open only what you expect.", "file-warning"));
  }
  li.append(meta, body);
  return li;
}

const STATE_LABELS = { active: "", done: "Done", cancelled: "Cancelled", failed: "Failed" } as const;

/** The transfer list: every file going up or down, with progress, speed and cancel. */
export class TransferList {
  readonly root = el("section", "transfers", undefined, "transfers");
  private list = el("ul", "transfer-items");
  private shown: TransferUpdate[] | null = null;

  constructor(private actions: FileActions) {
    this.root.setAttribute("aria-label", "File transfers");
    this.root.append(el("h3", "sidebar-title", "Transfers"), this.list);
  }

  update(transfers: TransferUpdate[]): void {
    if (transfers === this.shown) return;
    this.shown = transfers;
    this.root.hidden = transfers.length === 0;
    this.list.replaceChildren(...transfers.map((transfer) => this.renderTransfer(transfer)));
  }

  private renderTransfer(transfer: TransferUpdate): HTMLElement {
    const li = el("li", "transfer", undefined, "transfer");
    li.dataset.transferId = transfer.id;
    li.dataset.state = transfer.state.state;
    li.dataset.direction = transfer.direction;
    const arrow = transfer.direction === "upload" ? "↑" : "↓";
    li.append(el("div", "transfer-name", `${arrow} ${transfer.name}`, "transfer-name"));
    const bar = el("progress", "transfer-bar");
    bar.max = Math.max(transfer.size, 1);
    bar.value = transfer.transferred;
    li.append(bar);
    const figures =
      transfer.state.state === "active"
        ? `${formatBytes(transfer.transferred)} of ${formatBytes(transfer.size)} · ${formatBytes(transfer.bytes_per_second)}/s`
        : transfer.state.state === "failed"
          ? `Failed: ${transfer.state.message}`
          : `${STATE_LABELS[transfer.state.state]} · ${formatBytes(transfer.size)}`;
    li.append(el("div", "transfer-figures", figures, "transfer-figures"));
    const buttons = el("div", "transfer-buttons");
    if (transfer.state.state === "active") {
      const cancel = el("button", "link-button", "Cancel", "cancel-transfer");
      cancel.addEventListener("click", () => this.actions.cancelTransfer(transfer.id));
      buttons.append(cancel);
    } else {
      const savedTo = transfer.saved_to;
      if (savedTo) {
        const open = el("button", "link-button", "Open", "open-download");
        open.title = savedTo;
        open.addEventListener("click", () => this.actions.openDownload(savedTo));
        buttons.append(open);
      }
      const dismiss = el("button", "link-button", "Dismiss", "dismiss-transfer");
      dismiss.addEventListener("click", () => this.actions.dismissTransfer(transfer.id));
      buttons.append(dismiss);
    }
    li.append(buttons);
    return li;
  }
}

/** A full-window view of one image; click or Esc closes it. */
export class ImageViewer {
  readonly root = el("div", "image-viewer", undefined, "image-viewer");
  private image = el("img", "image-full", undefined, "image-full");

  constructor() {
    this.root.hidden = true;
    this.root.setAttribute("role", "dialog");
    this.root.append(this.image);
    this.root.addEventListener("click", () => this.hide());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !this.root.hidden) this.hide();
    });
  }

  show(url: string, name: string): void {
    this.image.src = url;
    this.image.alt = name;
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
    this.image.removeAttribute("src");
  }
}
