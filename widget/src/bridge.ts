/**
 * The messages the loader (on the host page) and the chat (in the iframe, on the server's
 * origin) exchange with `postMessage`. Both sides check the sender window and origin and always
 * post with an explicit target origin.
 */
import type { PageInfo } from "./protocol";

/** Host page → chat: the page the visitor is on (sent on load and on in-page navigation). */
export interface HostPageMessage {
  readonly source: "switchboard-host";
  readonly type: "page";
  readonly page: PageInfo;
}

/** Host page → chat: the open chat fills the whole (small) screen, without margins. */
export interface HostLayoutMessage {
  readonly source: "switchboard-host";
  readonly type: "layout";
  readonly compact: boolean;
}

/** Chat → host page: how much room the chat needs. */
export interface WidgetLayoutMessage {
  readonly source: "switchboard-widget";
  readonly type: "layout";
  /** Whether the chat window is open (else only the chat button shows). */
  readonly open: boolean;
}

/** Id of the iframe the loader adds to the host page. */
export const FRAME_ID = "switchboard-widget-frame";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Whether `data` is a well-formed page message from the loader. */
export function isHostPageMessage(data: unknown): data is HostPageMessage {
  if (!isRecord(data) || data.source !== "switchboard-host" || data.type !== "page") {
    return false;
  }
  const page = data.page;
  return (
    isRecord(page) &&
    typeof page.url === "string" &&
    typeof page.title === "string" &&
    (page.referrer === null || typeof page.referrer === "string")
  );
}

/** Whether `data` is a well-formed layout message from the loader. */
export function isHostLayoutMessage(data: unknown): data is HostLayoutMessage {
  return (
    isRecord(data) &&
    data.source === "switchboard-host" &&
    data.type === "layout" &&
    typeof data.compact === "boolean"
  );
}

/** Whether `data` is a well-formed layout message from the chat. */
export function isWidgetLayoutMessage(data: unknown): data is WidgetLayoutMessage {
  return (
    isRecord(data) &&
    data.source === "switchboard-widget" &&
    data.type === "layout" &&
    typeof data.open === "boolean"
  );
}
