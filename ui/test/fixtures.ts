// Small builders of wire objects for the UI's unit tests.

import type { ConversationEvent } from "../../crates/protocol/bindings/ConversationEvent";
import type { ConversationSummary } from "../../crates/protocol/bindings/ConversationSummary";
import type { SessionView } from "../src/bindings/SessionView";

export const OPERATOR = { id: "op-1", name: "Ann", email: "ann@example.com", role: "agent" } as const;

export function summary(id: string, startedAt: number, state: ConversationSummary["state"] = "ringing"): ConversationSummary {
  return {
    id,
    state,
    visitor: {
      id: `v-${id}`,
      name: `Visitor ${id}`,
      email: null,
      survey: [],
      called_from: null,
      current_page: null,
      connected: true,
    },
    operators: [],
    first_message: null,
    internal: false,
    last_seq: 1,
    started_at: startedAt,
    visitor_marks: { delivered: 0, seen: 0 },
    operator_marks: { delivered: 0, seen: 0 },
  };
}

export function session(conversations: ConversationSummary[] = []): SessionView {
  return {
    server_url: "http://127.0.0.1:8080/",
    operator: { ...OPERATOR },
    status: "online",
    connection: { state: "connecting" },
    conversations,
    canned: [],
  };
}

export function visitorMessage(seq: number, text: string): ConversationEvent {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    body: {
      type: "message",
      client_msg_id: `v-msg-${seq}`,
      author: { kind: "visitor", name: "Vera" },
      text,
      spans: [{ kind: "text", text }],
    },
  };
}

export function operatorMessage(seq: number, clientMsgId: string, text: string): ConversationEvent {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    body: {
      type: "message",
      client_msg_id: clientMsgId,
      author: { kind: "operator", id: OPERATOR.id, name: OPERATOR.name },
      text,
      spans: [{ kind: "text", text }],
    },
  };
}
