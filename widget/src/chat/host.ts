/**
 * The chat's side of the link to the host page. The loader tells the chat which page the visitor
 * is on; the chat tells the loader how much room it needs. Only messages from the parent window
 * are accepted, and replies go to the origin that parent revealed, never to `'*'`.
 * Opened on its own (not in a frame), the chat reports its own page.
 */
import { isHostLayoutMessage, isHostPageMessage, type WidgetLayoutMessage } from "../bridge";
import { MAX_TITLE_CHARS, MAX_URL_BYTES, utf8Bytes } from "../limits";
import type { PageInfo } from "../protocol";

/** How long the chat waits for the host page to say where the visitor is. */
export const HOST_FALLBACK_MS = 2000;

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8. */
function clipBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) {
    return text;
  }
  let clipped = "";
  let bytes = 0;
  for (const char of text) {
    bytes += utf8Bytes(char);
    if (bytes > maxBytes) {
      break;
    }
    clipped += char;
  }
  return clipped;
}

/** Clips a page report to the limits the server accepts. */
export function clipPage(page: PageInfo): PageInfo {
  return {
    url: clipBytes(page.url, MAX_URL_BYTES),
    title: [...page.title].slice(0, MAX_TITLE_CHARS).join(""),
    referrer: page.referrer === null ? null : clipBytes(page.referrer, MAX_URL_BYTES),
  };
}

/** The link to the host page. */
export class HostBridge {
  private hostOrigin: string | null = null;
  private open = false;
  private readonly embedded: boolean;

  /**
   * Listens for page reports. `onPage` is called with the first page (at once when not
   * embedded) and again on every later page report. If the host page stays silent for
   * `fallbackMs`, the page is taken from the frame's referrer.
   */
  constructor(
    private readonly win: Window,
    onPage: (page: PageInfo) => void,
    fallbackMs = HOST_FALLBACK_MS,
  ) {
    this.embedded = win.parent !== win;
    if (!this.embedded) {
      onPage(
        clipPage({
          url: win.location.href,
          title: win.document.title,
          referrer: win.document.referrer || null,
        }),
      );
      return;
    }
    const fallback = win.setTimeout(() => {
      const url = win.document.referrer || win.location.href;
      onPage(clipPage({ url, title: "", referrer: null }));
    }, fallbackMs);
    win.addEventListener("message", (event: MessageEvent) => {
      if (event.source !== win.parent) {
        return;
      }
      if (isHostLayoutMessage(event.data)) {
        win.document.documentElement.dataset.compact = String(event.data.compact);
        return;
      }
      if (!isHostPageMessage(event.data)) {
        return;
      }
      win.clearTimeout(fallback);
      // An opaque origin ("null") cannot be addressed: the chat then stays a button.
      if (this.hostOrigin === null && event.origin !== "null") {
        this.hostOrigin = event.origin;
        this.postLayout();
      }
      onPage(clipPage(event.data.page));
    });
  }

  /** Whether the chat runs inside the loader's iframe. */
  get isEmbedded(): boolean {
    return this.embedded;
  }

  /** Asks the loader for the room the open (or closed) chat needs. */
  setOpen(open: boolean): void {
    this.open = open;
    this.postLayout();
  }

  private postLayout(): void {
    if (this.hostOrigin === null) {
      return;
    }
    const message: WidgetLayoutMessage = {
      source: "switchboard-widget",
      type: "layout",
      open: this.open,
    };
    this.win.parent.postMessage(message, this.hostOrigin);
  }
}
