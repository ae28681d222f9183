import { describe, expect, it } from "vitest";
import { EventStore } from "../src/chat/store";
import type { ConversationEvent } from "../src/protocol";

function message(seq: number, text = `message ${seq}`): ConversationEvent {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    body: {
      type: "message",
      client_msg_id: `m${seq}`,
      author: { kind: "visitor", name: "Ann" },
      text,
      spans: [{ kind: "text", text }],
    },
  };
}

describe("event store", () => {
  it("keeps events in seq order and resumes from the highest one", () => {
    const store = new EventStore();
    store.reset("c1");
    expect(store.resumeSeq()).toBeNull();
    expect(store.apply(message(1))).toBe(true);
    expect(store.apply(message(2))).toBe(true);
    expect(store.list().map((event) => event.seq)).toEqual([1, 2]);
    expect(store.resumeSeq()).toBe(2);
  });

  it("ignores an event it already holds (replay after reconnect)", () => {
    const store = new EventStore();
    store.reset("c1");
    store.apply(message(1, "first"));
    expect(store.apply(message(1, "first again"))).toBe(false);
    expect(store.list()).toHaveLength(1);
    expect(store.list()[0].body).toMatchObject({ text: "first" });
  });

  it("resumes from before a gap so the missing event is replayed", () => {
    const store = new EventStore();
    store.reset("c1");
    store.apply(message(1));
    store.apply(message(3));
    expect(store.resumeSeq()).toBe(1);
    expect(store.apply(message(2))).toBe(true);
    expect(store.apply(message(3))).toBe(false);
    expect(store.resumeSeq()).toBe(3);
    expect(store.list().map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it("replaces everything with a snapshot and resumes from its newest event", () => {
    const store = new EventStore();
    store.reset("c1");
    store.apply(message(1));
    store.applySnapshot("c1", [message(1500), message(1501)]);
    expect(store.list().map((event) => event.seq)).toEqual([1500, 1501]);
    expect(store.resumeSeq()).toBe(1501);
    expect(store.apply(message(1501))).toBe(false);
    expect(store.apply(message(1502))).toBe(true);
  });

  it("finds a message by its client id", () => {
    const store = new EventStore();
    store.reset("c1");
    store.apply(message(4));
    expect(store.hasMessage("m4")).toBe(true);
    expect(store.hasMessage("m5")).toBe(false);
  });
});
