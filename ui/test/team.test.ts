import { describe, expect, it } from "vitest";

import type { TeamMember } from "../../crates/protocol/bindings/TeamMember";
import { initialState, reduce, type Action, type State } from "../src/store";
import { chatTitle, invitable, invitationText, listMembers } from "../src/team/state";
import { OPERATOR, session, summary } from "./fixtures";

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

function member(id: string, name: string, status: TeamMember["status"], chats = 0): TeamMember {
  return { operator: { id, name }, role: "agent", status, chats, status_since: 1_700_000_000_000 };
}

const bob = { id: "op-2", name: "Bob" };
const started = (conversations = [summary("a", 10, "active")]): Action => ({
  type: "session_started",
  session: session(conversations),
});

describe("team list", () => {
  it("lists Online, then Away, then Offline, by name, and follows updates", () => {
    let state = run(started(), {
      type: "server",
      event: {
        type: "team_list",
        members: [member("op-3", "cid", "offline"), member("op-2", "Bob", "away"), member("op-1", "Ann", "online")],
      },
    });
    expect(listMembers(state.team).map((m) => m.operator.name)).toEqual(["Ann", "Bob", "cid"]);
    state = reduce(state, { type: "server", event: { type: "team_member_updated", member: member("op-3", "cid", "online", 2) } });
    expect(listMembers(state.team).map((m) => [m.operator.name, m.chats])).toEqual([
      ["Ann", 0],
      ["cid", 2],
      ["Bob", 0],
    ]);
  });

  it("offers only connected colleagues who are not in the chat yet", () => {
    const state = run(started(), {
      type: "server",
      event: {
        type: "team_list",
        members: [
          member(OPERATOR.id, OPERATOR.name, "online"),
          member("op-2", "Bob", "away"),
          member("op-3", "Cid", "offline"),
          member("op-4", "Dee", "online"),
        ],
      },
    });
    const chat = { ...summary("a", 10, "active"), operators: [{ id: OPERATOR.id, name: OPERATOR.name }, { id: "op-4", name: "Dee" }] };
    expect(invitable(state.team, chat, OPERATOR.id).map((m) => m.operator.name)).toEqual(["Bob"]);
  });
});

describe("invitations into chats", () => {
  const invited = (transfer: boolean): Action => ({
    type: "server",
    event: { type: "invited_to_chat", conversation: summary("b", 20, "active"), by: bob, transfer },
  });

  it("shows who invites to which chat until it is answered", () => {
    let state = run(started(), invited(false));
    expect(state.team.invitations.map(invitationText)).toEqual(["Bob invites you to a chat with Visitor b"]);
    state = reduce(state, invited(true));
    expect(state.team.invitations.map(invitationText)).toEqual(["Bob transfers a chat with Visitor b to you"]);
    state = reduce(state, { type: "invitation_answered", conversationId: "b" });
    expect(state.team.invitations).toEqual([]);
  });

  it("drops an invitation whose chat ended", () => {
    const state = run(started(), invited(false), {
      type: "server",
      event: { type: "ring_stopped", conversation_id: "b", reason: { kind: "chat_ended" } },
    });
    expect(state.team.invitations).toEqual([]);
  });

  it("tells the inviter about a decline and the operator about a missed call", () => {
    let state = run(started(), {
      type: "server",
      event: { type: "invitation_declined", conversation_id: "a", operator: bob },
    });
    expect(state.team.notice).toBe("Bob declined your invitation.");
    state = reduce(state, { type: "dismiss_team_notice" });
    expect(state.team.notice).toBeNull();
    state = reduce(state, {
      type: "server",
      event: { type: "ring_stopped", conversation_id: "x", reason: { kind: "not_answered" } },
    });
    expect(state.team.notice).toContain("you are now Away");
  });
});

describe("leaving a chat", () => {
  it("takes the tab away when this operator leaves, and notes colleagues leaving", () => {
    const left = (operator: { id: string; name: string }, seq: number): Action => ({
      type: "server",
      event: { type: "event", conversation_id: "a", event: { seq, at: seq, body: { type: "operator_left", operator } } },
    });
    let state = run(started([summary("a", 10, "active"), summary("b", 20, "active")]), left(bob, 5));
    const notes = state.chats.find((c) => c.summary.id === "a")?.items.map((i) => (i.kind === "note" ? i.text : ""));
    expect(notes).toEqual(["Bob left"]);
    state = reduce(state, left({ id: OPERATOR.id, name: OPERATOR.name }, 6));
    expect(state.chats.map((c) => c.summary.id)).toEqual(["b"]);
  });
});

describe("internal chats", () => {
  it("are titled by the colleagues in them", () => {
    const chat = {
      ...summary("t", 10, "active"),
      internal: true,
      operators: [{ id: OPERATOR.id, name: OPERATOR.name }, bob],
    };
    expect(chatTitle(chat, OPERATOR.id)).toBe("Team chat with Bob");
    expect(chatTitle(summary("a", 10, "active"), OPERATOR.id)).toBe("Visitor a");
  });
});
