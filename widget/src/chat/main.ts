/**
 * Entry point of `chat.html`, the chat inside the loader's iframe: wires the widget to the
 * browser (socket URL on its own host, storage, visibility, network) and to the host page.
 */
import "./chat.css";
import { HostBridge } from "./host";
import { randomId } from "./ids";
import { mountChat } from "./mount";
import { WidgetStorage } from "./storage";

/** `ws(s)://<this page's host>/ws/v1/visitor`. */
function socketUrl(location: Location): string {
  const url = new URL("/ws/v1/visitor", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

function timeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

let host: HostBridge | null = null;
const widget = mountChat(document, {
  storage: new WidgetStorage(window),
  socketUrl: socketUrl(window.location),
  timeZone: timeZone(),
  isVisible: () => document.visibilityState === "visible",
  newId: randomId,
  now: () => Date.now(),
  onOpenChange: (open) => host?.setOpen(open),
});
host = new HostBridge(window, (page) => widget.setPage(page));
host.setOpen(widget.isOpen);
document.documentElement.dataset.embedded = String(host.isEmbedded);
document.addEventListener("visibilitychange", () => widget.visibilityChanged());
window.addEventListener("online", () => widget.networkBack());
