/**
 * The loader a site includes with
 * `<script src="https://SERVER/widget/loader.js" async></script>`.
 *
 * It adds one iframe with the chat (`chat.html`, served from the same place as this script),
 * sized to the chat button and grown when the chat opens, and tells the chat which page the
 * visitor is on. Messages go both ways with `postMessage` and an explicit target origin; the
 * loader only listens to its own iframe.
 */
import {
  FRAME_ID,
  isWidgetLayoutMessage,
  type HostLayoutMessage,
  type HostPageMessage,
} from "../bridge";

/** Room for the chat button (60 px) and its shadow, when the chat is closed. */
const CLOSED_SIZE = { width: "100px", height: "100px" };
/** Largest open chat window, in CSS pixels. */
const OPEN_WIDTH = 400;
const OPEN_HEIGHT = 720;
/** Below this viewport width the open chat takes the whole screen. */
const FULL_SCREEN_BELOW = 480;

function currentPage(): HostPageMessage {
  return {
    source: "switchboard-host",
    type: "page",
    page: { url: location.href, title: document.title, referrer: document.referrer || null },
  };
}

function createFrame(src: string): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  frame.id = FRAME_ID;
  frame.src = src;
  frame.title = "Chat";
  Object.assign(frame.style, {
    position: "fixed",
    right: "0",
    bottom: "0",
    border: "0",
    margin: "0",
    padding: "0",
    background: "transparent",
    colorScheme: "normal",
    zIndex: "2147483000",
    maxWidth: "100%",
    maxHeight: "100%",
    ...CLOSED_SIZE,
  });
  return frame;
}

/** Sizes the frame for the chat's state; returns whether the open chat fills the screen. */
function applyLayout(frame: HTMLIFrameElement, open: boolean): boolean {
  const compact = window.innerWidth < FULL_SCREEN_BELOW;
  if (!open) {
    Object.assign(frame.style, CLOSED_SIZE);
  } else if (compact) {
    Object.assign(frame.style, { width: "100%", height: "100%" });
  } else {
    Object.assign(frame.style, {
      width: `${Math.min(OPEN_WIDTH, window.innerWidth)}px`,
      height: `${Math.min(OPEN_HEIGHT, window.innerHeight)}px`,
    });
  }
  return compact;
}

function install(script: HTMLScriptElement): void {
  const chatUrl = new URL("chat.html", script.src);
  const chatOrigin = chatUrl.origin;
  const frame = createFrame(chatUrl.href);
  let open = false;

  const post = (message: HostPageMessage | HostLayoutMessage) =>
    frame.contentWindow?.postMessage(message, chatOrigin);
  const postPage = () => post(currentPage());
  const layout = () => {
    const compact = applyLayout(frame, open);
    post({ source: "switchboard-host", type: "layout", compact });
  };
  frame.addEventListener("load", () => {
    postPage();
    layout();
  });
  window.addEventListener("popstate", postPage);
  window.addEventListener("hashchange", postPage);
  window.addEventListener("resize", layout);
  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || event.origin !== chatOrigin) {
      return;
    }
    if (isWidgetLayoutMessage(event.data)) {
      open = event.data.open;
      layout();
    }
  });

  const mount = () => document.body.append(frame);
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
}

/** This script's element (also when a site loads it as a module, where `currentScript` is null). */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) {
    return current;
  }
  return document.querySelector<HTMLScriptElement>('script[src*="/widget/loader.js"]');
}

const script = ownScript();
if (script !== null && !document.getElementById(FRAME_ID)) {
  install(script);
}
