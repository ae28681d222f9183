import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mountChat } from "../src/chat/mount";
import { WidgetStorage } from "../src/chat/storage";
import type { Widget } from "../src/chat/widget";
import type { VisitorEvent } from "../src/protocol";
import { FakeServer, type FakeSocket } from "./fake-socket";

const chatHtml = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "../site/widget/chat.html"),
  "utf8",
);
const alice = { id: "op-1", name: "Alice" };
const welcome: VisitorEvent = {
  type: "welcome",
  visitor_token: "token-1",
  visitor_id: "v1",
  online: true,
  survey: [{ key: "name", label: "Your name", kind: "text", required: true }],
  conversation: null,
};
const invited: VisitorEvent = {
  type: "invited",
  invitation: { operator: alice, text: "<b>Hi</b>, need help?" },
};

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

let server: FakeServer;
let widget: Widget;
let ids = 0;

function start(): FakeSocket {
  server = new FakeServer();
  widget = mountChat(document, {
    storage: new WidgetStorage(window),
    socketUrl: "ws://chat.example/ws/v1/visitor",
    timeZone: null,
    isVisible: () => true,
    newId: () => `client-${++ids}`,
    now: () => 1_700_000_000_000,
    createSocket: server.createSocket,
    onOpenChange: () => {},
  });
  widget.setPage({ url: "https://acme.example/", title: "Acme", referrer: null });
  server.last.open();
  server.last.receive(welcome);
  return server.last;
}

function reply(text: string): void {
  const composer = $<HTMLTextAreaElement>("#sb-composer");
  composer.value = text;
  composer.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
}

describe("proactive invitation", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    sessionStorage.clear();
    const parsed = new DOMParser().parseFromString(chatHtml, "text/html");
    document.body.replaceWith(document.importNode(parsed.body, true));
  });

  afterEach(() => {
    widget.stop();
    vi.useRealTimers();
  });

  it("pops up with the operator's words as text, skipping the survey", () => {
    start();
    expect($("#sb-panel").hidden).toBe(true);
    server.last.receive(invited);
    expect($("#sb-panel").hidden).toBe(false);
    expect($("#sb-survey").hidden).toBe(true);
    expect($("#sb-invitation").hidden).toBe(false);
    expect($(".sb-invitation-author").textContent).toBe("Alice");
    expect($(".sb-invitation-text").textContent).toBe("<b>Hi</b>, need help?");
    expect($(".sb-invitation-text").children).toHaveLength(0);
    expect($("#sb-subtitle").textContent).toMatch(/Alice/);
  });

  it("answers with the first message and shows the accepted chat", () => {
    const socket = start();
    socket.receive(invited);
    reply("Yes please");
    const [answer] = socket.sentOfType("answer_invitation");
    expect(answer).toMatchObject({ text: "Yes please" });
    expect(socket.sentOfType("start_chat")).toEqual([]);
    socket.receive({
      type: "ack",
      req: answer.req,
      seq: null,
      conversation: {
        id: "c1",
        state: "active",
        operators: [alice],
        last_seq: 4,
        operator_marks: { delivered: 0, seen: 0 },
      },
    });
    expect($("#sb-invitation").hidden).toBe(true);
    expect($("#sb-subtitle").textContent).toMatch(/chatting with Alice/);
  });

  it("answers again after a reconnect that lost the answer", () => {
    const socket = start();
    socket.receive(invited);
    reply("Hello?");
    const [first] = socket.sentOfType("answer_invitation");
    socket.drop();
    vi.advanceTimersByTime(30_000);
    const again = server.last;
    expect(again).not.toBe(socket);
    again.open();
    again.receive(welcome);
    const resent = again.sentOfType("answer_invitation");
    expect(resent).toHaveLength(1);
    expect(resent[0].client_msg_id).toBe(first.client_msg_id);
  });

  it("shows the chat button offline once the server refuses the visitor for good", () => {
    const socket = start();
    expect($("#sb-launcher").dataset.online).toBe("true");
    socket.receive({
      type: "error",
      req: null,
      error: { code: "origin_denied", message: "chat is not available from your address" },
    });
    expect($("#sb-launcher").dataset.online).toBe("false");
    expect($("#sb-connection").textContent).toMatch(/not available from your address/);
  });

  it("closes on No thanks and tells the server", () => {
    const socket = start();
    socket.receive(invited);
    $("#sb-invitation-dismiss").click();
    expect(socket.sentOfType("dismiss_invitation")).toHaveLength(1);
    expect($("#sb-panel").hidden).toBe(true);
    expect($("#sb-invitation").hidden).toBe(true);
  });
});
