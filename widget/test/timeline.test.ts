import { describe, expect, it } from "vitest";
import { Outbox } from "../src/chat/outbox";
import { buildTimeline, deliveryOf, type MessageItem } from "../src/chat/timeline";
import type { ConversationEvent } from "../src/protocol";

const alice = { id: "op-1", name: "Alice" };

const events: ConversationEvent[] = [
  { seq: 1, at: 1, body: { type: "started", visitor: "Ann" } },
  {
    seq: 2,
    at: 2,
    body: {
      type: "message",
      client_msg_id: "v-1",
      author: { kind: "visitor", name: "Ann" },
      text: "hi",
      spans: [{ kind: "text", text: "hi" }],
    },
  },
  { seq: 3, at: 3, body: { type: "operator_joined", operator: alice } },
  {
    seq: 4,
    at: 4,
    body: {
      type: "message",
      client_msg_id: "o-1",
      author: { kind: "operator", ...alice },
      text: "Hello Ann",
      spans: [],
    },
  },
  { seq: 5, at: 5, body: { type: "closed", by: { kind: "operator", ...alice } } },
];

describe("timeline", () => {
  it("shows messages and notices in seq order, without the start event", () => {
    const items = buildTimeline(events, [], { delivered: 0, seen: 0 });
    expect(items.map((item) => item.key)).toEqual(["msg:v-1", "seq:3", "seq:4", "seq:5"]);
    expect(items[1]).toMatchObject({ kind: "notice", text: "Alice joined the chat" });
    expect(items[3]).toMatchObject({ kind: "notice", text: "Alice ended the chat" });
  });

  it("falls back to the plain text when a message has no spans", () => {
    const items = buildTimeline(events, [], { delivered: 0, seen: 0 });
    expect((items[2] as MessageItem).spans).toEqual([{ kind: "text", text: "Hello Ann" }]);
  });

  it("shows the delivery of the visitor's own messages only", () => {
    const items = buildTimeline(events, [], { delivered: 4, seen: 2 });
    expect((items[0] as MessageItem).delivery).toBe("seen");
    expect((items[2] as MessageItem).delivery).toBeNull();
    expect(deliveryOf(4, { delivered: 3, seen: 3 })).toBe("sent");
    expect(deliveryOf(4, { delivered: 4, seen: 3 })).toBe("delivered");
  });

  it("appends unconfirmed messages after the history and drops them once stored", () => {
    const outbox = new Outbox();
    outbox.add("hi", "c1", "v-1", 10);
    outbox.add("still typing", "c1", "v-2", 11);
    const items = buildTimeline(events, outbox.list(), { delivered: 0, seen: 0 });
    const own = items.filter((item): item is MessageItem => item.kind === "message" && item.mine);
    expect(own.map((item) => [item.key, item.delivery])).toEqual([
      ["msg:v-1", "sent"],
      ["msg:v-2", "sending"],
    ]);
  });

  it("marks refused messages as failed with the server's reason", () => {
    const outbox = new Outbox();
    const entry = outbox.add("spam", "c1", "v-9", 10);
    entry.error = { code: "rate_limited", message: "Slow down" };
    const [item] = buildTimeline([], outbox.list(), { delivered: 0, seen: 0 });
    expect(item).toMatchObject({ delivery: "failed", error: "Slow down" });
    outbox.retry("v-9");
    expect(outbox.unsent()).toHaveLength(1);
  });
});

describe("timeline files", () => {
  const file = { id: "ab".repeat(32), name: "shot.png", size: 1234, mime: "image/png", preview: true };
  const shared: ConversationEvent = {
    seq: 2,
    at: 2,
    body: { type: "file", author: { kind: "operator", ...alice }, file },
  };

  it("lists a shared file with its author", () => {
    const items = buildTimeline([events[0], shared], [], { delivered: 0, seen: 0 });
    expect(items).toEqual([
      { kind: "file", key: "seq:2", seq: 2, author: { kind: "operator", ...alice }, mine: false, file, at: 2, gone: false },
    ]);
  });

  it("marks files gone once the chat has ended (they are deleted with it)", () => {
    const closed: ConversationEvent = { seq: 3, at: 3, body: { type: "closed", by: { kind: "system" } } };
    const items = buildTimeline([shared, closed], [], { delivered: 0, seen: 0 });
    expect(items[0]).toMatchObject({ kind: "file", gone: true });
  });
});
