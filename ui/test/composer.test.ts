import { describe, expect, it, vi } from "vitest";

import type { Chat } from "../src/store";
import { ChatPane, type ChatActions } from "../src/views/chat";
import { summary } from "./fixtures";

function pane(): { pane: ChatPane; actions: ChatActions; composer: HTMLTextAreaElement } {
  const actions: ChatActions = {
    accept: vi.fn(),
    decline: vi.fn(),
    requestClose: vi.fn(),
    send: vi.fn(),
    openLink: vi.fn(),
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
  const chat: Chat = { summary: summary("a", 1, "active"), items: [], unread: 0, historyLoaded: true, closed: false };
  view.update(chat, "op-1");
  const composer = view.root.querySelector<HTMLTextAreaElement>("[data-testid=composer]")!;
  return { pane: view, actions, composer };
}

function press(target: HTMLElement, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { key: "Enter", cancelable: true, bubbles: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe("composer", () => {
  it("sends with Enter and clears the field", () => {
    const { actions, composer } = pane();
    composer.value = "hello";
    const enter = press(composer, {});
    expect(enter.defaultPrevented).toBe(true);
    expect(actions.send).toHaveBeenCalledWith("a", "hello");
    expect(composer.value).toBe("");
  });

  it("inserts a line break with Ctrl+Enter instead of sending", () => {
    const { actions, composer } = pane();
    composer.value = "line one";
    composer.selectionStart = composer.selectionEnd = composer.value.length;
    press(composer, { ctrlKey: true });
    expect(composer.value).toBe("line one\n");
    expect(actions.send).not.toHaveBeenCalled();
  });

  it("does not send blank messages", () => {
    const { actions, composer } = pane();
    composer.value = "   ";
    press(composer, {});
    expect(actions.send).not.toHaveBeenCalled();
  });

  it("offers Accept Call and Decline for a ringing chat", () => {
    const { pane: view, actions } = pane();
    view.update({ summary: summary("b", 2, "ringing"), items: [], unread: 0, historyLoaded: true, closed: false }, "op-1");
    view.root.querySelector<HTMLButtonElement>("[data-testid=accept-call]")!.click();
    expect(actions.accept).toHaveBeenCalledWith("b");
    expect(view.root.querySelector("[data-testid=end-chat]")).toBeNull();
  });
});
