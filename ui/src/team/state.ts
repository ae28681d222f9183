// The team as the server reports it (every operator's live status, chat count and time in
// status), colleagues' invitations into chats waiting for an answer, and short notices about
// team events (a declined invitation, a call missed at the ring timeout). Pure and unit-tested.

import type { AccountSetting } from "../../../crates/protocol/bindings/AccountSetting";
import type { AgentEvent } from "../../../crates/protocol/bindings/AgentEvent";
import type { ConversationSummary } from "../../../crates/protocol/bindings/ConversationSummary";
import type { OperatorRef } from "../../../crates/protocol/bindings/OperatorRef";
import type { Status } from "../../../crates/protocol/bindings/Status";
import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";

/** A colleague's invitation into a chat, until it is answered or lapses. */
export interface ChatInvitation {
  conversation: ConversationSummary;
  by: OperatorRef;
  /** The colleague hands the chat over (leaves once this operator joins). */
  transfer: boolean;
}

/** Everything the Team page and the team tools show. */
export interface TeamState {
  /** Operators by id. */
  members: ReadonlyMap<string, TeamMember>;
  /** Open invitations into chats, oldest first. */
  invitations: ChatInvitation[];
  /** The latest team notice, if any (shown until dismissed). */
  notice: string | null;
  /** The account settings, once an administrator asked for them. */
  account: AccountSetting[] | null;
}

/** Nothing known yet. */
export const noTeam: TeamState = { members: new Map(), invitations: [], notice: null, account: null };

/** The agent events the team state follows. */
export type TeamEvent = Extract<
  AgentEvent,
  {
    type:
      | "team_list"
      | "team_member_updated"
      | "invited_to_chat"
      | "invitation_declined"
      | "ring_stopped"
      | "account_settings";
  }
>;

/** Applies one event. Never mutates `state`. */
export function applyTeamEvent(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case "team_list":
      return { ...state, members: new Map(event.members.map((m) => [m.operator.id, m])) };
    case "team_member_updated": {
      const members = new Map(state.members);
      members.set(event.member.operator.id, event.member);
      return { ...state, members };
    }
    case "invited_to_chat": {
      const others = state.invitations.filter((i) => i.conversation.id !== event.conversation.id);
      return {
        ...state,
        invitations: [...others, { conversation: event.conversation, by: event.by, transfer: event.transfer }],
      };
    }
    case "invitation_declined":
      return { ...state, notice: `${event.operator.name} declined your invitation.` };
    case "account_settings":
      return { ...state, account: event.settings };
    case "ring_stopped": {
      const invitations = state.invitations.filter((i) => i.conversation.id !== event.conversation_id);
      const notice =
        event.reason.kind === "not_answered"
          ? "You did not answer a call in time, so it went to a colleague and you are now Away."
          : state.notice;
      return invitations.length === state.invitations.length && notice === state.notice
        ? state
        : { ...state, invitations, notice };
    }
  }
}

/** Forgets an invitation this operator answered. */
export function answered(state: TeamState, conversationId: string): TeamState {
  return { ...state, invitations: state.invitations.filter((i) => i.conversation.id !== conversationId) };
}

/** The team list in display order: Online, then Away, then Offline; by name within each. */
export function listMembers(state: TeamState): TeamMember[] {
  const rank: Record<Status, number> = { online: 0, away: 1, offline: 2 };
  return [...state.members.values()].sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      a.operator.name.localeCompare(b.operator.name, undefined, { sensitivity: "base" }),
  );
}

/** Colleagues who can be invited into a chat: connected (Online or Away) and not in it yet. */
export function invitable(state: TeamState, chat: ConversationSummary, selfId: string): TeamMember[] {
  return listMembers(state).filter((m) => mayInvite(m, chat, selfId));
}

/** Whether one colleague can be invited into a chat: connected, enabled, and not in it yet. */
export function mayInvite(member: TeamMember, chat: ConversationSummary, selfId: string): boolean {
  return (
    member.status !== "offline" &&
    !member.disabled &&
    member.operator.id !== selfId &&
    !chat.operators.some((o) => o.id === member.operator.id)
  );
}

/** The chat the Team page invites colleagues into: the open tab, when it is an active visitor
 * chat this operator takes part in. */
export function inviteTarget(chat: ConversationSummary | undefined, selfId: string): ConversationSummary | null {
  if (!chat || chat.internal || chat.state !== "active") return null;
  return chat.operators.some((o) => o.id === selfId) ? chat : null;
}

/** Whether the ring plays: a call rings for this operator, or a colleague's invitation waits
 * for an answer. */
export function ringsNow(ringingCalls: readonly string[], team: TeamState): boolean {
  return ringingCalls.length > 0 || team.invitations.length > 0;
}

/** The most chats an administrator may give one operator (the server's limit). */
export const MAX_OPERATOR_CAP = 1000;

/** Reads a per-operator chat cap as typed: empty is the account's cap (`null`). */
export function parseCap(text: string): { cap: number | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { cap: null };
  const cap = Number(trimmed);
  return /^\d+$/.test(trimmed) && cap >= 1 && cap <= MAX_OPERATOR_CAP
    ? { cap }
    : { error: `A cap is a whole number of chats from 1 to ${MAX_OPERATOR_CAP}; leave it empty for the account's cap.` };
}

/** "Ann invites you to a chat with Vera" (or hands it over). */
export function invitationText(invitation: ChatInvitation): string {
  const visitor = invitation.conversation.visitor.name;
  return invitation.transfer
    ? `${invitation.by.name} transfers a chat with ${visitor} to you`
    : `${invitation.by.name} invites you to a chat with ${visitor}`;
}

/** A status as the Team page shows it. */
export function statusLabel(status: Status): string {
  return { online: "Online", away: "Away", offline: "Offline" }[status];
}

/** A colleague's status on the Team page: "Disabled" for an operator an administrator disabled. */
export function memberStatusLabel(member: TeamMember): string {
  return member.disabled ? "Disabled" : statusLabel(member.status);
}

/** A chat's title: the visitor's name, or "Team chat with Bob" for an internal chat. */
export function chatTitle(chat: ConversationSummary, selfId: string): string {
  if (!chat.internal) return chat.visitor.name;
  const others = chat.operators.filter((o) => o.id !== selfId).map((o) => o.name);
  return others.length > 0 ? `Team chat with ${others.join(", ")}` : chat.visitor.name;
}
