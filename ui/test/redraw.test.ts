import { describe, expect, it, vi } from "vitest";

import { findChat, initialState, reduce, sessionAction, Store, type Action, type State } from "../src/store";
import { MESSAGES_PAGE } from "../src/views/chat";
import { ChatTabs } from "../src/views/tabs";
import { operatorMessage, session, summary, visitorMessage } from "./fixtures";
import { pane } from "./pane";

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

const message = (id: string, seq: number, text: string): Action => ({
  type: "server",
  event: { type: "event", conversation_id: id, event: visitorMessage(seq, text) },
});

describe("redrawing on events", () => {
  it("keeps the nodes of earlier messages when one arrives, and redraws one whose delivery moved", () => {
    const { pane: view } = pane();
    let state = run({ type: "session_started", session: session([summary("a", 1, "active")]) }, message("a", 2, "hi"));
    state = reduce(state, { type: "server", event: { type: "event", conversation_id: "a", event: operatorMessage(3, "o-1", "hello") } });
    view.update(findChat(state, "a"), "op-1");
    const [first, mine] = view.root.querySelectorAll("[data-testid=message]");
    expect(mine.getAttribute("data-delivery")).toBe("sent");

    state = reduce(state, message("a", 4, "thanks"));
    view.update(findChat(state, "a"), "op-1");
    const after = view.root.querySelectorAll("[data-testid=message]");
    expect(after).toHaveLength(3);
    expect(after[0]).toBe(first);
    expect(after[1]).toBe(mine);
    expect(after[2].textContent).toContain("thanks");

    state = reduce(state, {
      type: "server",
      event: { type: "receipt", conversation_id: "a", side: "visitor", delivered: 3, seen: 3 },
    });
    view.update(findChat(state, "a"), "op-1");
    const seen = view.root.querySelectorAll("[data-testid=message]");
    expect(seen[0]).toBe(first);
    expect(seen[1].getAttribute("data-delivery")).toBe("seen");
  });

  it("updates a chat's tab in place: last message and unread count", () => {
    const tabs = new ChatTabs({ select: vi.fn(), closeTab: vi.fn() });
    document.body.replaceChildren(tabs.root);
    let state = run({ type: "session_started", session: session([summary("a", 10, "active"), summary("b", 20, "active")]) });
    state = reduce(state, { type: "select", conversationId: "a" });
    tabs.update(state.chats, state.activeId, "op-1");
    const tab = tabs.root.querySelector<HTMLElement>("[data-conversation-id=b]")!;
    expect(tab.querySelector("[data-testid=unread-count]")).toBeNull();

    state = reduce(state, message("b", 2, "anyone there?"));
    tabs.update(state.chats, state.activeId, "op-1");
    expect(tabs.root.querySelector("[data-conversation-id=b]")).toBe(tab);
    expect(tab.querySelector("[data-testid=unread-count]")?.textContent).toBe("1");
    expect(tab.textContent).toContain("anyone there?");

    state = reduce(state, { type: "select", conversationId: "b" });
    tabs.update(state.chats, state.activeId, "op-1");
    expect(tab.querySelector("[data-testid=unread-count]")).toBeNull();
    expect(tab.getAttribute("aria-selected")).toBe("true");
  });

  it("applies a batch of session events in order and tells the listeners once", () => {
    const store = new Store(run({ type: "session_started", session: session([summary("a", 1, "active")]) }));
    const heard: State[] = [];
    store.subscribe((state) => heard.push(state));
    store.dispatchAll(
      [
        { kind: "connection" as const, state: "connected" as const },
        { kind: "server" as const, type: "event" as const, conversation_id: "a", event: visitorMessage(2, "one") },
        { kind: "server" as const, type: "event" as const, conversation_id: "a", event: visitorMessage(3, "two") },
      ].map(sessionAction),
    );
    expect(heard).toHaveLength(1);
    expect(heard[0].session?.connection.state).toBe("connected");
    expect(findChat(heard[0], "a")?.items.map((item) => item.seq)).toEqual([2, 3]);
  });

  it("draws a page of a long chat's newest messages, the rest behind Show earlier messages", () => {
    const { pane: view } = pane();
    const history = Array.from({ length: 120 }, (_, n) => visitorMessage(n + 2, `line ${n + 2}`));
    let state = run(
      { type: "session_started", session: session([summary("a", 1, "active")]) },
      message("a", 122, "live before the history"),
    );
    view.update(findChat(state, "a"), "op-1");
    state = reduce(state, { type: "history", conversationId: "a", events: history });
    view.update(findChat(state, "a"), "op-1");
    const texts = () => [...view.root.querySelectorAll("[data-testid=message-text]")].map((m) => m.textContent);
    expect(texts()).toHaveLength(MESSAGES_PAGE);
    expect(texts().at(-1)).toBe("live before the history");
    expect(texts()[0]).toBe(`line ${122 - MESSAGES_PAGE + 1}`);

    // at the end of the list a new message takes the place of the oldest drawn one...
    const list = view.root.querySelector<HTMLElement>("[data-testid=messages]")!;
    const kept = list.querySelector("[data-testid=message]:last-child");
    state = reduce(state, message("a", 123, "one more"));
    view.update(findChat(state, "a"), "op-1");
    expect(texts()).toHaveLength(MESSAGES_PAGE);
    expect(texts()[0]).toBe(`line ${123 - MESSAGES_PAGE + 1}`);
    expect(list.querySelectorAll("[data-testid=message]")[MESSAGES_PAGE - 2]).toBe(kept);

    // ...while further up, what the operator reads stays drawn
    Object.defineProperty(list, "scrollHeight", { value: 5000, configurable: true });
    Object.defineProperty(list, "clientHeight", { value: 400, configurable: true });
    list.scrollTop = 1000;
    state = reduce(state, message("a", 124, "and another"));
    view.update(findChat(state, "a"), "op-1");
    expect(texts()).toHaveLength(MESSAGES_PAGE + 1);
    expect(texts()[0]).toBe(`line ${123 - MESSAGES_PAGE + 1}`);
    expect(texts().at(-1)).toBe("and another");

    const earlier = () => view.root.querySelector<HTMLButtonElement>("[data-testid=show-earlier]");
    earlier()!.click();
    expect(texts()).toHaveLength(2 * MESSAGES_PAGE + 1);
    earlier()!.click();
    expect(texts()).toHaveLength(123);
    expect(texts()[0]).toBe("line 2");
    expect(earlier()).toBeNull();

    // another chat opens at one page again
    state = reduce(state, { type: "session_started", session: session([summary("a", 1, "active"), summary("b", 2, "active")]) });
    state = reduce(state, { type: "history", conversationId: "b", events: history });
    view.update(findChat(state, "b"), "op-1");
    expect(texts()).toHaveLength(MESSAGES_PAGE);
    expect(earlier()).not.toBeNull();
  });
});
