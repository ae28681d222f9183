import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mountChat } from "../src/chat/mount";
import { WidgetStorage } from "../src/chat/storage";
import type { Widget } from "../src/chat/widget";
import type {
  ConversationEvent,
  SurveyField,
  VisitorConversation,
  VisitorEvent,
} from "../src/protocol";
import { FakeServer, type FakeSocket } from "./fake-socket";

const chatHtml = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "../site/widget/chat.html"),
  "utf8",
);
const page = { url: "https://acme.example/pricing", title: "Pricing", referrer: null };
const alice = { id: "op-1", name: "Alice" };
const survey: SurveyField[] = [
  { key: "name", label: "Your name", kind: "text", required: true },
  { key: "email", label: "Email", kind: "email", required: true },
];

function conversation(overrides: Partial<VisitorConversation> = {}): VisitorConversation {
  return {
    id: "c1",
    state: "ringing",
    operators: [],
    last_seq: 1,
    operator_marks: { delivered: 0, seen: 0 },
    ...overrides,
  };
}

function welcome(overrides: Partial<Extract<VisitorEvent, { type: "welcome" }>> = {}): VisitorEvent {
  return {
    type: "welcome",
    visitor_token: "token-1",
    visitor_id: "v1",
    online: true,
    survey: [],
    conversation: null,
    ...overrides,
  };
}

function message(seq: number, text: string, from: "visitor" | "operator", id = `id-${seq}`): ConversationEvent {
  return {
    seq,
    at: 1_700_000_000_000 + seq * 1000,
    body: {
      type: "message",
      client_msg_id: id,
      author: from === "visitor" ? { kind: "visitor", name: "Ann" } : { kind: "operator", ...alice },
      text,
      spans: [{ kind: "text", text }],
    },
  };
}

/** The first event of every conversation, replayed after a `Welcome` with no `last_seq`. */
const started: VisitorEvent = {
  type: "event",
  conversation_id: "c1",
  event: { seq: 1, at: 1_700_000_000_000, body: { type: "started", visitor: "Ann" } },
};

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) {
    throw new Error(`${selector} not found`);
  }
  return element;
};

function messageTexts(): string[] {
  return [...document.querySelectorAll('[data-testid="message"] .sb-msg-text')].map(
    (element) => element.textContent ?? "",
  );
}

function type(text: string, enter: { shiftKey?: boolean } = {}): void {
  const composer = $<HTMLTextAreaElement>("#sb-composer");
  composer.value = text;
  composer.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, ...enter }));
}

function fill(id: string, value: string): void {
  $<HTMLInputElement>(`#${id}`).value = value;
}

let server: FakeServer;
let widget: Widget;
let layouts: boolean[];
let ids: number;

function start(): FakeSocket {
  server = new FakeServer();
  layouts = [];
  widget = mountChat(document, {
    storage: new WidgetStorage(window),
    socketUrl: "ws://chat.example/ws/v1/visitor",
    timeZone: "Europe/Berlin",
    isVisible: () => true,
    newId: () => `client-${++ids}`,
    now: () => 1_700_000_000_000,
    createSocket: server.createSocket,
    onOpenChange: (open) => layouts.push(open),
  });
  widget.setPage(page);
  server.last.open();
  return server.last;
}

describe("chat widget", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    sessionStorage.clear();
    ids = 0;
    const parsed = new DOMParser().parseFromString(chatHtml, "text/html");
    document.body.replaceWith(document.importNode(parsed.body, true));
  });

  afterEach(() => {
    widget.stop();
    vi.useRealTimers();
  });

  it("says hello with the page, time zone and no token the first time", () => {
    const socket = start();
    expect(socket.sent[0]).toEqual({
      type: "hello",
      protocol: 1,
      visitor_token: null,
      page,
      time_zone: "Europe/Berlin",
      last_seq: null,
    });
    socket.receive(welcome());
    expect(localStorage.getItem("switchboard.visitor_token")).toBe("token-1");
  });

  it("shows the chat button online or offline, live", () => {
    const socket = start();
    socket.receive(welcome({ online: true }));
    expect($("#sb-launcher").dataset.online).toBe("true");
    socket.receive({ type: "availability", online: false });
    expect($("#sb-launcher").dataset.online).toBe("false");
    expect($("#sb-launcher").getAttribute("aria-label")).toMatch(/offline/);
  });

  it("asks the survey, validates it and starts the chat with the answers", () => {
    const socket = start();
    socket.receive(welcome({ survey }));
    $("#sb-launcher").click();
    expect(layouts).toEqual([true]);
    expect($("#sb-panel").hidden).toBe(false);
    expect($("#sb-survey").hidden).toBe(false);
    expect(document.activeElement?.id).toBe("sb-survey-name");

    $("#sb-survey-submit").click();
    expect($("#sb-survey-name-error").textContent).toBe("Your name is required.");
    expect($("#sb-survey-name").getAttribute("aria-invalid")).toBe("true");
    fill("sb-survey-name", "Ann");
    fill("sb-survey-email", "ann@");
    $("#sb-survey-submit").click();
    expect($("#sb-survey-email-error").textContent).toMatch(/valid email/);
    expect(socket.sentOfType("start_chat")).toEqual([]);

    fill("sb-survey-email", "ann@example.com");
    $("#sb-survey-submit").click();
    const [startChat] = socket.sentOfType("start_chat");
    expect(startChat.survey).toEqual([
      { key: "name", value: "Ann" },
      { key: "email", value: "ann@example.com" },
    ]);
    socket.receive({ type: "ack", req: startChat.req, seq: null, conversation: conversation() });
    expect($("#sb-chat").hidden).toBe(false);
    expect($("#sb-subtitle").textContent).toMatch(/Waiting/);
  });

  it("tells the operators it types, with the text only under sneak peek, and says so", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    socket.receive({ type: "typing_policy", sneak_peek: false });
    socket.receive(started);
    $("#sb-launcher").click();
    const composer = $<HTMLTextAreaElement>("#sb-composer");
    const input = (text: string) => {
      composer.value = text;
      composer.dispatchEvent(new Event("input", { bubbles: true }));
    };
    expect($("#sb-peek-notice").hidden).toBe(true);
    input("secret");
    expect(socket.sentOfType("typing")).toEqual([{ type: "typing", typing: true, text: null }]);
    type("secret");
    expect(socket.sentOfType("typing").at(-1)).toEqual({ type: "typing", typing: false, text: null });

    socket.receive({ type: "typing_policy", sneak_peek: true });
    expect($("#sb-peek-notice").hidden).toBe(false);
    input("where is");
    expect(socket.sentOfType("typing").at(-1)).toEqual({ type: "typing", typing: true, text: "where is" });
  });

  it("shows the operator typing until their message arrives", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    socket.receive(started);
    $("#sb-launcher").click();
    socket.receive({ type: "typing", typing: true, name: "Alice" });
    expect($("#sb-typing").hidden).toBe(false);
    expect($("#sb-typing").textContent).toBe("Alice is typing…");
    socket.receive({ type: "event", conversation_id: "c1", event: message(2, "Hi", "operator") });
    expect($("#sb-typing").hidden).toBe(true);
    socket.receive({ type: "typing", typing: true, name: "Alice" });
    vi.advanceTimersByTime(10_000);
    expect($("#sb-typing").hidden).toBe(true);
  });

  it("says when an operator is reconnecting and when they are back or gone", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    socket.receive(started);
    $("#sb-launcher").click();
    expect($("#sb-reconnecting").hidden).toBe(true);
    socket.receive({ type: "operator_connection", operator: alice, connected: false });
    expect($("#sb-reconnecting").hidden).toBe(false);
    expect($("#sb-reconnecting").textContent).toBe("Alice is reconnecting…");
    socket.receive({ type: "operator_connection", operator: alice, connected: true });
    expect($("#sb-reconnecting").hidden).toBe(true);
    socket.receive({ type: "operator_connection", operator: alice, connected: false });
    socket.receive({
      type: "event",
      conversation_id: "c1",
      event: { seq: 2, at: 1_700_000_002_000, body: { type: "operator_left", operator: alice } },
    });
    expect($("#sb-reconnecting").hidden).toBe(true);
  });

  it("shows right-to-left messages in their own direction", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    socket.receive({ type: "event", conversation_id: "c1", event: message(2, "مرحبا", "operator") });
    expect($('[data-testid="message"] .sb-msg-text').dir).toBe("auto");
  });

  it("sends with Enter and shows sending, sent and seen", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    socket.receive(started);
    $("#sb-launcher").click();
    type("line one", { shiftKey: true });
    expect(socket.sentOfType("send")).toEqual([]);
    type("Hello there");
    const [send] = socket.sentOfType("send");
    expect(send).toMatchObject({ client_msg_id: "client-1", text: "Hello there" });
    const own = () => $('[data-testid="message"][data-author="visitor"]');
    expect(own().dataset.delivery).toBe("sending");

    socket.receive({ type: "event", conversation_id: "c1", event: message(2, "Hello there", "visitor", "client-1") });
    socket.receive({ type: "ack", req: send.req, seq: 2, conversation: null });
    expect(own().dataset.delivery).toBe("sent");
    expect(own().dataset.seq).toBe("2");
    socket.receive({ type: "receipt", delivered: 2, seen: 2 });
    expect(own().dataset.delivery).toBe("seen");
    expect(document.querySelectorAll('[data-testid="message"]')).toHaveLength(1);
    expect(socket.sentOfType("receipt").at(-1)).toEqual({ type: "receipt", delivered: 2, seen: 2 });
  });

  it("starts the chat with the first message when there is no survey", () => {
    const socket = start();
    socket.receive(welcome());
    $("#sb-launcher").click();
    expect($("#sb-chat").hidden).toBe(false);
    type("Do you have a free plan?");
    const [startChat] = socket.sentOfType("start_chat");
    expect(startChat.survey).toEqual([]);
    expect(socket.sentOfType("send")).toEqual([]);
    socket.receive({ type: "ack", req: startChat.req, seq: null, conversation: conversation() });
    expect(socket.sentOfType("send")).toMatchObject([{ text: "Do you have a free plan?" }]);
  });

  it("shows operator names, joins and closes, and operator text as text", () => {
    const socket = start();
    socket.receive(welcome({ conversation: conversation() }));
    $("#sb-launcher").click();
    socket.receive({ type: "event", conversation_id: "c1", event: { seq: 2, at: 1, body: { type: "operator_joined", operator: alice } } });
    socket.receive({ type: "event", conversation_id: "c1", event: message(3, "<img src=x onerror=alert(1)>", "operator") });
    expect($('[data-testid="notice"]').textContent).toBe("Alice joined the chat");
    expect($("#sb-subtitle").textContent).toBe("You're chatting with Alice");
    expect($(".sb-msg-author").textContent).toBe("Alice");
    expect(messageTexts()).toEqual(["<img src=x onerror=alert(1)>"]);
    expect(document.querySelector("#sb-messages img")).toBeNull();

    socket.receive({ type: "event", conversation_id: "c1", event: { seq: 4, at: 1, body: { type: "closed", by: { kind: "operator", ...alice } } } });
    expect($("#sb-closed").hidden).toBe(false);
    expect($("#sb-composer-form").hidden).toBe(true);
    $("#sb-new-chat").click();
    expect(document.querySelectorAll('[data-testid="message"]')).toHaveLength(0);
    expect($("#sb-composer-form").hidden).toBe(false);
  });

  it("after a drop, resumes from the last seq, skips replayed events and resends unconfirmed messages", () => {
    const first = start();
    first.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    first.receive(started);
    $("#sb-launcher").click();
    first.receive({ type: "event", conversation_id: "c1", event: message(2, "Hi, how can I help?", "operator") });
    type("Where is my invoice?");
    first.drop();
    expect($('[data-testid="connection"]').hidden).toBe(false);
    type("Hello?");
    expect(first.sentOfType("send")).toHaveLength(1);

    vi.advanceTimersByTime(1000);
    const second = server.last;
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent[0]).toMatchObject({ type: "hello", visitor_token: "token-1", last_seq: 2 });
    second.receive(welcome({ conversation: conversation({ state: "active", operators: [alice], last_seq: 3 }) }));
    second.receive({ type: "event", conversation_id: "c1", event: message(2, "Hi, how can I help?", "operator") });
    second.receive({ type: "event", conversation_id: "c1", event: message(3, "Where is my invoice?", "visitor", "client-1") });
    expect(second.sentOfType("send").map((send) => send.client_msg_id)).toEqual(["client-1", "client-2"]);
    expect(messageTexts()).toEqual(["Hi, how can I help?", "Where is my invoice?", "Hello?"]);
    expect($('[data-testid="connection"]').hidden).toBe(true);
  });

  it("sends a long queue ten at a time and holds a refused-as-too-fast message for a moment", () => {
    const first = start();
    first.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    first.receive(started);
    $("#sb-launcher").click();
    first.drop();
    for (let n = 1; n <= 25; n++) {
      type(`queued ${n}`);
    }
    vi.advanceTimersByTime(1000);
    const socket = server.last;
    socket.open();
    socket.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    const sends = () => socket.sentOfType("send");
    expect(sends()).toHaveLength(10);

    socket.receive({ type: "ack", req: sends()[0].req, seq: 2, conversation: null });
    expect(sends()).toHaveLength(11);
    const limited = sends()[1];
    socket.receive({ type: "error", req: limited.req, error: { code: "rate_limited", message: "slow down" } });
    socket.receive({ type: "ack", req: sends()[2].req, seq: 3, conversation: null });
    expect(sends()).toHaveLength(11);
    const own = () => [...document.querySelectorAll<HTMLElement>('[data-testid="message"][data-author="visitor"]')];
    expect(own().some((element) => element.dataset.delivery === "failed")).toBe(false);

    vi.advanceTimersByTime(1000);
    const resent = sends().slice(11);
    expect(resent[0]).toMatchObject({ client_msg_id: limited.client_msg_id, text: limited.text });
    expect(resent).toHaveLength(2);
  });

  it("replaces what it holds with a snapshot after a long absence", () => {
    const first = start();
    first.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    first.receive(started);
    first.receive({ type: "event", conversation_id: "c1", event: message(2, "old", "operator") });
    first.drop();
    vi.advanceTimersByTime(1000);
    const second = server.last;
    second.open();
    second.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    second.receive({
      type: "snapshot",
      conversation_id: "c1",
      events: [message(1500, "recent", "operator"), message(1501, "newest", "visitor")],
    });
    expect(messageTexts()).toEqual(["recent", "newest"]);
    second.drop();
    vi.advanceTimersByTime(1000);
    server.last.open();
    expect(server.last.sent[0]).toMatchObject({ type: "hello", last_seq: 1501 });
  });

  it("shows the chat as ended when it was closed while the widget was away", () => {
    const first = start();
    first.receive(welcome({ conversation: conversation({ state: "active", operators: [alice] }) }));
    first.receive(started);
    $("#sb-launcher").click();
    first.drop();
    vi.advanceTimersByTime(1000);
    server.last.open();
    server.last.receive(welcome({ conversation: null }));
    expect($("#sb-closed").hidden).toBe(false);
    expect($("#sb-end-chat").hidden).toBe(true);
  });

  it("after a reload, shows the whole history again from the same visitor token", () => {
    const first = start();
    first.receive(welcome({ conversation: conversation() }));
    widget.stop();
    const parsed = new DOMParser().parseFromString(chatHtml, "text/html");
    document.body.replaceWith(document.importNode(parsed.body, true));

    const second = start();
    expect(second.sent[0]).toMatchObject({ visitor_token: "token-1", last_seq: null });
    second.receive(welcome({ conversation: conversation({ last_seq: 3 }) }));
    second.receive(started);
    second.receive({ type: "event", conversation_id: "c1", event: message(2, "one", "visitor") });
    second.receive({ type: "event", conversation_id: "c1", event: message(3, "two", "operator") });
    expect(messageTexts()).toEqual(["one", "two"]);
    expect($("#sb-unread").textContent).toBe("1");
  });

  it("keeps the chat window open across pages of the site", () => {
    const socket = start();
    socket.receive(welcome());
    $("#sb-launcher").click();
    widget.stop();
    start();
    expect(widget.isOpen).toBe(true);
    expect($("#sb-panel").hidden).toBe(false);
  });

  it("offers the offline form when nobody is online and sends it", () => {
    const socket = start();
    socket.receive(welcome({ online: false }));
    $("#sb-launcher").click();
    expect($("#sb-offline").hidden).toBe(false);
    fill("sb-offline-name", "Ann");
    fill("sb-offline-email", "not-an-email");
    fill("sb-offline-message", "Please call me back");
    $("#sb-offline-submit").click();
    expect(socket.sentOfType("offline_message")).toEqual([]);
    fill("sb-offline-email", "ann@example.com");
    $("#sb-offline-submit").click();
    const [offline] = socket.sentOfType("offline_message");
    expect(offline).toMatchObject({ name: "Ann", email: "ann@example.com", text: "Please call me back" });
    socket.receive({ type: "ack", req: offline.req, seq: null, conversation: null });
    expect($("#sb-offline-sent").hidden).toBe(false);
  });

  it("reports page views after the first page", () => {
    const socket = start();
    socket.receive(welcome());
    widget.setPage({ url: "https://acme.example/contact", title: "Contact", referrer: page.url });
    expect(socket.sentOfType("page_view")).toEqual([
      { type: "page_view", page: { url: "https://acme.example/contact", title: "Contact", referrer: page.url } },
    ]);
  });
});
