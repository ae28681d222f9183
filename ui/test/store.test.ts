import { describe, expect, it } from "vitest";

import { deliveryState, findChat, initialState, reduce, type Action, type State } from "../src/store";
import type { LiveVisitor } from "../../crates/protocol/bindings/LiveVisitor";
import { duration, listVisitors, localTime, locationText } from "../src/visitors/state";
import { operatorMessage, session, summary, visitorMessage } from "./fixtures";

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

const started = (conversations = [summary("a", 10)]): Action => ({
  type: "session_started",
  session: session(conversations),
});

describe("chat tabs", () => {
  it("lists calls newest first and selects the first one", () => {
    const state = run(
      started([]),
      { type: "server", event: { type: "ringing", conversation: summary("old", 10) } },
      { type: "server", event: { type: "ringing", conversation: summary("new", 20) } },
    );
    expect(state.chats.map((c) => c.summary.id)).toEqual(["new", "old"]);
    expect(state.activeId).toBe("old");
  });

  it("removes a ringing call a colleague took", () => {
    const state = run(started(), {
      type: "server",
      event: { type: "ring_stopped", conversation_id: "a", reason: { kind: "taken", by: { id: "op-2", name: "Bob" } } },
    });
    expect(state.chats).toEqual([]);
    expect(state.activeId).toBeNull();
  });

  it("counts unread visitor messages in background tabs and clears them on select", () => {
    let state = run(started([summary("a", 10, "active"), summary("b", 20, "active")]), {
      type: "select",
      conversationId: "a",
    });
    state = reduce(state, { type: "server", event: { type: "event", conversation_id: "b", event: visitorMessage(2, "hi") } });
    state = reduce(state, { type: "server", event: { type: "event", conversation_id: "b", event: visitorMessage(3, "hello?") } });
    expect(findChat(state, "b")?.unread).toBe(2);
    state = reduce(state, { type: "select", conversationId: "b" });
    expect(findChat(state, "b")?.unread).toBe(0);
  });

  it("cycles tabs with Ctrl+Tab in both directions", () => {
    let state = run(started([summary("a", 30), summary("b", 20), summary("c", 10)]), { type: "select_index", index: 0 });
    state = reduce(state, { type: "select_relative", offset: 1 });
    expect(state.activeId).toBe("b");
    state = reduce(state, { type: "select_relative", offset: -2 });
    expect(state.activeId).toBe("c");
  });

  it("keeps an ended chat until its tab is closed", () => {
    let state = run(started([summary("a", 10, "active")]), {
      type: "server",
      event: { type: "event", conversation_id: "a", event: { seq: 2, at: 5, body: { type: "closed", by: { kind: "visitor", name: "Vera" } } } },
    });
    expect(findChat(state, "a")?.closed).toBe(true);
    state = reduce(state, { type: "dismiss", conversationId: "a" });
    expect(state.chats).toEqual([]);
  });
});

describe("messages", () => {
  it("shows each event once, in seq order, whatever way it arrives", () => {
    const state = run(
      started([summary("a", 10, "active")]),
      { type: "server", event: { type: "event", conversation_id: "a", event: visitorMessage(3, "third") } },
      { type: "history", conversationId: "a", events: [visitorMessage(2, "second"), visitorMessage(3, "third")] },
    );
    const items = findChat(state, "a")!.items;
    expect(items.map((i) => i.seq)).toEqual([2, 3]);
  });

  it("moves an own message from queued to sent, delivered and seen", () => {
    const me = "op-1";
    let state = run(started([summary("a", 10, "active")]), {
      type: "outbox",
      update: { conversation_id: "a", client_msg_id: "m1", text: "hello", delivery: { state: "queued" } },
    });
    const stateOf = () => {
      const chat = findChat(state, "a")!;
      return deliveryState(chat.items[0], chat, me);
    };
    expect(stateOf()).toBe("queued");
    state = reduce(state, {
      type: "outbox",
      update: { conversation_id: "a", client_msg_id: "m1", text: "hello", delivery: { state: "sent", seq: 4 } },
    });
    state = reduce(state, { type: "server", event: { type: "event", conversation_id: "a", event: operatorMessage(4, "m1", "hello") } });
    expect(stateOf()).toBe("sent");
    expect(findChat(state, "a")!.items).toHaveLength(1);
    expect(findChat(state, "a")!.items[0].at).not.toBeNull();
    state = reduce(state, {
      type: "server",
      event: { type: "receipt", conversation_id: "a", side: "visitor", delivered: 4, seen: 0 },
    });
    expect(stateOf()).toBe("delivered");
    state = reduce(state, {
      type: "server",
      event: { type: "receipt", conversation_id: "a", side: "visitor", delivered: 4, seen: 4 },
    });
    expect(stateOf()).toBe("seen");
  });

  it("marks a refused message as not sent", () => {
    const state = run(started([summary("a", 10, "active")]), {
      type: "outbox",
      update: {
        conversation_id: "a",
        client_msg_id: "m1",
        text: "x".repeat(10),
        delivery: { state: "failed", error: { code: "too_large", message: "too long" } },
      },
    });
    const chat = findChat(state, "a")!;
    expect(deliveryState(chat.items[0], chat, "op-1")).toBe("failed");
  });
});

describe("session", () => {
  it("follows the connection and the status", () => {
    const state = run(
      started(),
      { type: "connection", state: { state: "reconnecting", attempt: 1, retry_in_ms: 500 } },
      { type: "server", event: { type: "status_changed", status: "away" } },
    );
    expect(state.session?.connection.state).toBe("reconnecting");
    expect(state.session?.status).toBe("away");
  });

  it("returns to the login screen with the address and email kept", () => {
    const state = run(
      { type: "logged_out", serverUrl: "http://srv/", email: "ann@example.com", notice: null },
      started(),
      { type: "logged_out", serverUrl: null, email: null, notice: "expired" },
    );
    expect(state.screen).toBe("login");
    expect(state.chats).toEqual([]);
    expect(state.login).toMatchObject({ serverUrl: "http://srv/", email: "ann@example.com", notice: "expired" });
  });
});

describe("visitors", () => {
  const visitor = (id: string, arrivedAt: number, name = `Visitor ${id}`): LiveVisitor => ({
    id,
    name,
    ip: "8.8.8.8",
    location: { country_code: "US", region: "California", city: "Mountain View" },
    time_zone: "America/Los_Angeles",
    browser: { name: "Chrome", version: "120", os: "Linux", os_version: "UNKNOWN", category: "pc" },
    visits: 1,
    chats: 0,
    arrived_at: arrivedAt,
    referrer: null,
    pages: [{ url: `https://acme.example/${id}`, title: `Page ${id}`, entered_at: arrivedAt, left_at: null }],
    connected: true,
    chat: { state: "idle" },
    previous_chats: [],
  });

  it("keeps the live list from the server's list, updates and departures", () => {
    const state = run(
      started([]),
      { type: "server", event: { type: "visitor_list", visitors: [visitor("a", 1), visitor("b", 2)] } },
      { type: "server", event: { type: "visitor_updated", visitor: { ...visitor("a", 1), name: "Ann" } } },
      { type: "server", event: { type: "visitor_gone", visitor_id: "b" } },
    );
    expect([...state.visitors.byId.keys()]).toEqual(["a"]);
    expect(state.visitors.byId.get("a")?.name).toBe("Ann");
  });

  it("filters by name, place or page and sorts", () => {
    const state = run(started([]), {
      type: "server",
      event: { type: "visitor_list", visitors: [visitor("a", 1, "Zoe"), visitor("b", 2, "Adam")] },
    });
    expect(listVisitors(state.visitors, "", "arrival").map((v) => v.name)).toEqual(["Adam", "Zoe"]);
    expect(listVisitors(state.visitors, "", "name").map((v) => v.name)).toEqual(["Adam", "Zoe"]);
    expect(listVisitors(state.visitors, "", "time_on_site").map((v) => v.name)).toEqual(["Zoe", "Adam"]);
    expect(listVisitors(state.visitors, "page a", "arrival").map((v) => v.name)).toEqual(["Zoe"]);
    expect(listVisitors(state.visitors, "mountain", "arrival")).toHaveLength(2);
  });

  it("brings a chat the visitor started by answering an invitation to the front", () => {
    const state = run(started([]), { type: "show", view: "visitors" }, {
      type: "server",
      event: { type: "conversation_updated", conversation: summary("inv", 30, "active") },
    });
    expect(state.view).toBe("chats");
    expect(state.activeId).toBe("inv");
  });

  it("formats places, durations and the visitor's local time", () => {
    expect(locationText(null)).toBe("Unknown");
    expect(locationText({ country_code: "DE", region: null, city: "Berlin" })).toBe("Berlin, DE");
    expect(duration(65_000)).toBe("1 min 5 s");
    expect(duration(3_700_000)).toBe("1 h 1 min");
    expect(localTime("Not/AZone")).toBeNull();
    expect(localTime("UTC", Date.UTC(2024, 0, 1, 14, 5))).toMatch(/14.05|2.05/);
  });
});

describe("composer state", () => {
  it("keeps the canned responses the server sends", () => {
    const responses = [{ id: "1", scope: "company" as const, group: "", shortcut: "hi", title: "Hi", text: "Hello" }];
    const state = run(started(), { type: "server", event: { type: "canned_responses", responses } });
    expect(state.session?.canned).toEqual(responses);
  });

  it("shows the visitor typing until they stop or their message arrives", () => {
    const typing = (typing: boolean, text: string | null): Action => ({
      type: "server",
      event: { type: "typing", conversation_id: "a", typing, text },
    });
    let state = run(started([summary("a", 10, "active")]), typing(true, "where is"));
    expect(findChat(state, "a")?.typing).toEqual({ text: "where is" });
    state = reduce(state, { type: "server", event: { type: "event", conversation_id: "a", event: visitorMessage(2, "where is it?") } });
    expect(findChat(state, "a")?.typing).toBeNull();
    state = reduce(reduce(state, typing(true, null)), typing(false, null));
    expect(findChat(state, "a")?.typing).toBeNull();
  });

  it("keeps the view settings across logging out", () => {
    const prefs = { spell_check: false, quick_texts: true };
    const state = run({ type: "prefs", prefs }, started(), { type: "logged_out", serverUrl: null, email: null, notice: null });
    expect(state.prefs).toEqual(prefs);
  });
});
