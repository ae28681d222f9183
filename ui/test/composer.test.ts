import { describe, expect, it, vi } from "vitest";

import type { Chat } from "../src/store";
import { pane } from "./pane";
import { summary } from "./fixtures";

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
    view.update({ summary: summary("b", 2, "ringing"), items: [], unread: 0, historyLoaded: true, closed: false, typing: null }, "op-1");
    view.root.querySelector<HTMLButtonElement>("[data-testid=accept-call]")!.click();
    expect(actions.accept).toHaveBeenCalledWith("b");
    expect(view.root.querySelector("[data-testid=end-chat]")).toBeNull();
  });

  it("expands #shortcut with Tab, filling in the visitor's name", () => {
    const { pane: view, composer } = pane();
    view.composer.setCanned([{ id: "1", scope: "personal", group: "", shortcut: "hi", title: "Hi", text: "Hello {visitor.name}!" }]);
    composer.value = "#hi";
    composer.selectionStart = composer.selectionEnd = 3;
    const tab = press(composer, { key: "Tab" });
    expect(tab.defaultPrevented).toBe(true);
    expect(composer.value).toBe("Hello Visitor a!");
    composer.value = "#unknown";
    composer.selectionStart = composer.selectionEnd = 8;
    expect(press(composer, { key: "Tab" }).defaultPrevented).toBe(false);
  });

  it("keeps a draft per chat across tab switches and saves it", () => {
    vi.useFakeTimers();
    const { pane: view, actions, composer } = pane();
    composer.value = "half a thought";
    composer.dispatchEvent(new Event("input"));
    const other: Chat = { summary: summary("b", 2, "active"), items: [], unread: 0, historyLoaded: true, closed: false, typing: null };
    view.update(other, "op-1");
    expect(composer.value).toBe("");
    expect(actions.saveDraft).toHaveBeenCalledWith("a", "half a thought");
    view.update({ ...other, summary: summary("a", 1, "active") }, "op-1");
    expect(composer.value).toBe("half a thought");
    vi.useRealTimers();
  });

  it("restores drafts of an earlier run", () => {
    const { pane: view, composer } = pane();
    view.composer.loadDrafts([{ conversation_id: "a", text: "from yesterday" }]);
    expect(composer.value).toBe("from yesterday");
  });

  it("sends a canned response as is from the picker without touching the draft", () => {
    const { pane: view, actions, composer } = pane();
    view.composer.setCanned([{ id: "1", scope: "company", group: "", shortcut: null, title: "Bye", text: "Bye {visitor.name}" }]);
    composer.value = "draft";
    view.root.querySelector<HTMLButtonElement>("[data-testid=canned-button]")!.click();
    view.root.querySelector<HTMLButtonElement>("[data-testid=canned-send]")!.click();
    expect(actions.send).toHaveBeenCalledWith("a", "Bye Visitor a");
    expect(composer.value).toBe("draft");
  });

  it("shows that the visitor types, and their text only when given", () => {
    const { pane: view } = pane();
    const chat: Chat = { summary: summary("a", 1, "active"), items: [], unread: 0, historyLoaded: true, closed: false, typing: { text: null } };
    view.update(chat, "op-1");
    const indicator = view.root.querySelector<HTMLElement>("[data-testid=typing-indicator]")!;
    const peek = view.root.querySelector<HTMLElement>("[data-testid=sneak-peek]")!;
    expect(indicator.hidden).toBe(false);
    expect(indicator.textContent).toBe("Visitor a is typing…");
    expect(peek.hidden).toBe(true);
    view.update({ ...chat, typing: { text: "<b>where</b>" } }, "op-1");
    expect(peek.hidden).toBe(false);
    expect(peek.textContent).toBe("<b>where</b>");
    expect(peek.children.length).toBe(0);
    view.update({ ...chat, typing: null }, "op-1");
    expect(indicator.hidden).toBe(true);
  });

  it("switches the writing direction from the context menu", () => {
    const { pane: view, composer } = pane();
    composer.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true }));
    view.root.querySelector<HTMLButtonElement>("[data-testid=menu-rtl] button")!.click();
    expect(composer.dir).toBe("rtl");
  });

  it("lists the server's emoticons with their shortcuts", () => {
    const { pane: view } = pane();
    view.composer.setEmoticons([
      { shortcut: ":-)", emoji: "🙂" },
      { shortcut: ":)", emoji: "🙂" },
      { shortcut: "<3", emoji: "❤️" },
    ]);
    expect(view.root.querySelectorAll("[data-testid=emoticon]").length).toBe(2);
    expect(view.root.querySelector("[data-testid=emoticon-shortcuts]")!.textContent).toBe(":-) :) 🙂   <3 ❤️");
  });

  it("cuts to and pastes from the clipboard with the toolbar", async () => {
    const { pane: view, actions, composer } = pane();
    composer.value = "keep this cut";
    composer.setSelectionRange(4, 13);
    view.root.querySelector<HTMLButtonElement>("[data-testid=edit-cut]")!.click();
    await vi.waitFor(() => expect(composer.value).toBe("keep"));
    expect(actions.writeClipboard).toHaveBeenCalledWith(" this cut");
    view.root.querySelector<HTMLButtonElement>("[data-testid=edit-paste]")!.click();
    await vi.waitFor(() => expect(composer.value).toBe("keeppasted"));
  });

  it("shows each message in its own writing direction", () => {
    const { pane: view } = pane();
    const item = {
      kind: "message" as const,
      key: "m1",
      seq: 2,
      at: 1,
      author: { kind: "visitor" as const, name: "V" },
      spans: [{ kind: "text" as const, text: "שלום, מה שלומך?" }],
      outbox: null,
    };
    view.update({ summary: summary("a", 1, "active"), items: [item], unread: 0, historyLoaded: true, closed: false, typing: null }, "op-1");
    expect(view.root.querySelector<HTMLElement>("[data-testid=message-text]")!.dir).toBe("auto");
  });
});
