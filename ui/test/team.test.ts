import { describe, expect, it } from "vitest";

import type { TeamMember } from "../../crates/protocol/bindings/TeamMember";
import { initialState, reduce, type Action, type State } from "../src/store";
import {
  chatTitle,
  invitable,
  invitationText,
  inviteTarget,
  listMembers,
  memberStatusLabel,
  noTeam,
  parseCap,
  ringsNow,
} from "../src/team/state";
import { OPERATOR, session, summary } from "./fixtures";

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

function member(id: string, name: string, status: TeamMember["status"], chats = 0): TeamMember {
  return {
    operator: { id, name },
    role: "agent",
    status,
    chats,
    status_since: 1_700_000_000_000,
    disabled: false,
    max_chats: null,
  };
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

describe("inviting from the Team page", () => {
  const mine = { ...summary("a", 10, "active"), operators: [{ id: OPERATOR.id, name: OPERATOR.name }] };

  it("targets the open visitor chat only when it is active and this operator takes part", () => {
    expect(inviteTarget(mine, OPERATOR.id)).toBe(mine);
    expect(inviteTarget(undefined, OPERATOR.id)).toBeNull();
    expect(inviteTarget({ ...mine, state: "ringing" }, OPERATOR.id)).toBeNull();
    expect(inviteTarget({ ...mine, internal: true }, OPERATOR.id)).toBeNull();
    expect(inviteTarget({ ...mine, operators: [bob] }, OPERATOR.id)).toBeNull();
  });

  it("never offers disabled colleagues and labels them Disabled", () => {
    const state = run(started(), {
      type: "server",
      event: {
        type: "team_list",
        members: [member("op-2", "Bob", "away"), { ...member("op-4", "Dee", "online"), disabled: true }],
      },
    });
    expect(invitable(state.team, mine, OPERATOR.id).map((m) => m.operator.name)).toEqual(["Bob"]);
    expect(listMembers(state.team).map(memberStatusLabel)).toEqual(["Disabled", "Away"]);
  });
});

describe("per-operator chat cap", () => {
  it("reads empty as the account's cap and refuses what is not 1 to 1000 whole chats", () => {
    expect(parseCap("  ")).toEqual({ cap: null });
    expect(parseCap(" 3 ")).toEqual({ cap: 3 });
    expect(parseCap("1000")).toEqual({ cap: 1000 });
    for (const bad of ["0", "-1", "2.5", "1001", "many", "1e2"]) expect(parseCap(bad)).toHaveProperty("error");
  });
});

describe("ringing", () => {
  it("rings for a call or a colleague's invitation, and stops once the invitation is answered", () => {
    expect(ringsNow([], noTeam)).toBe(false);
    expect(ringsNow(["c"], noTeam)).toBe(true);
    let state = run(started(), {
      type: "server",
      event: { type: "invited_to_chat", conversation: summary("b", 20, "active"), by: bob, transfer: false },
    });
    expect(ringsNow(state.ringing, state.team)).toBe(true);
    state = reduce(state, { type: "invitation_answered", conversationId: "b" });
    expect(ringsNow(state.ringing, state.team)).toBe(false);
  });

  it("stops when the inviter's chat ends", () => {
    let state = run(started(), {
      type: "server",
      event: { type: "invited_to_chat", conversation: summary("b", 20, "active"), by: bob, transfer: true },
    });
    state = reduce(state, {
      type: "server",
      event: { type: "ring_stopped", conversation_id: "b", reason: { kind: "chat_ended" } },
    });
    expect(ringsNow(state.ringing, state.team)).toBe(false);
  });
});
