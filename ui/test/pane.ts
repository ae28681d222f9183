// A chat pane on the test page, showing an empty active chat, with every action recorded.

import { vi } from "vitest";

import type { Chat } from "../src/store";
import { ChatPane, type ChatActions } from "../src/views/chat";
import { summary } from "./fixtures";

/** A new chat pane, its recorded actions, and its message box. */
export function pane(): { pane: ChatPane; actions: ChatActions; composer: HTMLTextAreaElement } {
  const actions: ChatActions = {
    accept: vi.fn(),
    decline: vi.fn(),
    requestClose: vi.fn(),
    send: vi.fn(),
    openLink: vi.fn(),
    typing: vi.fn(),
    saveDraft: vi.fn(async () => undefined),
    readClipboard: vi.fn(async () => "pasted"),
    writeClipboard: vi.fn(async () => undefined),
    manageCanned: vi.fn(),
    sendFiles: vi.fn(),
    download: vi.fn(),
    preview: vi.fn(() => Promise.resolve("data:image/png;base64,")),
    cancelTransfer: vi.fn(),
    dismissTransfer: vi.fn(),
    openDownload: vi.fn(),
    startSnip: vi.fn(),
    pasteScreenshot: vi.fn(),
    sendSnip: vi.fn(),
    discardSnip: vi.fn(),
  };
  const view = new ChatPane(actions);
  document.body.replaceChildren(view.root);
  const chat: Chat = { summary: summary("a", 1, "active"), items: [], unread: 0, historyLoaded: true, closed: false, typing: null };
  view.update(chat, "op-1");
  const composer = view.root.querySelector<HTMLTextAreaElement>("[data-testid=composer]")!;
  return { pane: view, actions, composer };
}
