// The Team page: every operator with a live status dot, their number of open chats and how
// long they have been in their status (refreshed while the page shows), a Chat button to
// start an internal chat with a colleague who is Online or Away, and "Invite to this chat" to
// bring them into the visitor chat open in the Chats tab; administrators also see the Account
// section.

import type { ConversationSummary } from "../../../crates/protocol/bindings/ConversationSummary";
import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";
import { el } from "../format";
import { teamDot } from "./dot";
import { duration } from "../visitors/state";
import { AccountSection, type AccountActions } from "./account";
import { type ChatTeamActions } from "./chatTools";
import { listMembers, mayInvite, memberStatusLabel, type TeamState } from "./state";

/** What the Team page asks of the app. */
export interface TeamPageActions extends AccountActions, Pick<ChatTeamActions, "inviteOperator"> {
  /** Starts an internal chat; it opens as a new tab when the server has it. */
  startInternalChat(operatorId: string): void;
}

/** How often the times in status move on while the page shows. */
const TICK_MS = 15_000;

/** The Team page. */
export class TeamPage {
  readonly root = el("section", "team-page", undefined, "team-page");
  private rows = el("tbody", undefined, undefined, "team-rows");
  private state: TeamState | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private account: AccountSection;
  private membersFrom: TeamState["members"] | null = null;
  private members: readonly TeamMember[] = [];
  /** The visitor chat colleagues are invited into, if any. */
  private target: ConversationSummary | null = null;
  private targetLine = el("p", "team-invite-target", "", "team-invite-target");
  private feedback = el("p", "team-feedback", "", "team-page-feedback");

  constructor(
    private actions: TeamPageActions,
    private selfId: () => string,
  ) {
    const table = el("table", "team-table");
    const head = el("tr");
    for (const title of ["Operator", "Status", "Chats", "In status for", ""]) head.append(el("th", undefined, title));
    table.append(el("thead"), this.rows);
    table.tHead!.append(head);
    this.account = new AccountSection(actions);
    this.feedback.setAttribute("role", "status");
    this.root.append(el("h2", "page-title", "Team"), this.targetLine, table, this.feedback, this.account.root);
  }

  /** Shows the team (when `visible`) with `target` as the chat to invite into; redraws only
   * when something changed, and keeps times moving. */
  update(state: TeamState, visible: boolean, admin: boolean, target: ConversationSummary | null): void {
    const retarget = target !== this.target;
    this.target = target;
    this.targetLine.textContent = target
      ? `Invite into: the chat with ${target.visitor.name}`
      : "Open a visitor chat in Chats to invite colleagues into it.";
    this.root.hidden = !visible;
    this.account.update(state.account, this.membersOf(state), this.selfId(), admin, visible);
    if (visible && this.timer === null) {
      this.timer = setInterval(() => this.state && this.render(this.state), TICK_MS);
    } else if (!visible && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    if (visible && (state !== this.state || retarget)) this.render(state);
    this.state = visible ? state : null;
  }

  /** The team list, computed once per state. */
  private membersOf(state: TeamState): readonly TeamMember[] {
    if (state.members !== this.membersFrom) {
      this.membersFrom = state.members;
      this.members = listMembers(state);
    }
    return this.members;
  }

  private render(state: TeamState): void {
    const now = Date.now();
    const members = listMembers(state);
    this.rows.replaceChildren(
      ...(members.length === 0
        ? [emptyRow()]
        : members.map((member) => this.row(member, now))),
    );
  }

  /** "Chat" for a colleague who can take an internal chat now, and "Invite to this chat". */
  private actionsCell(member: TeamMember): HTMLTableCellElement {
    const td = el("td", "team-actions");
    const name = member.operator.name;
    if (member.operator.id === this.selfId()) return td;
    if (member.status !== "offline" && !member.disabled) {
      const chat = el("button", undefined, "Chat", "start-internal-chat");
      chat.title = `Start an internal chat with ${name} (visitors never see it)`;
      chat.setAttribute("aria-label", `Start an internal chat with ${name}`);
      chat.addEventListener("click", () => this.actions.startInternalChat(member.operator.id));
      td.append(chat);
    }
    const target = this.target;
    const invite = el("button", undefined, "Invite to this chat", "invite-to-chat");
    invite.disabled = !target || !mayInvite(member, target, this.selfId());
    const about = target ? `Invite ${name} to the chat with ${target.visitor.name}` : `Invite ${name} to a chat`;
    invite.setAttribute("aria-label", about);
    invite.title = target ? about : "Open a visitor chat in Chats first";
    if (target) invite.addEventListener("click", () => this.invite(target, member));
    td.append(invite);
    return td;
  }

  /** Sends an invitation and says how it went. */
  private invite(target: ConversationSummary, member: TeamMember): void {
    const name = member.operator.name;
    this.feedback.textContent = `Inviting ${name}…`;
    this.actions
      .inviteOperator(target.id, member.operator.id, false)
      .then(() => (this.feedback.textContent = `Invited ${name} to the chat with ${target.visitor.name}.`))
      .catch((error: unknown) => (this.feedback.textContent = error instanceof Error ? error.message : String(error)));
  }

  private row(member: TeamMember, now: number): HTMLTableRowElement {
    const tr = el("tr", "team-row", undefined, "team-row");
    tr.dataset.operatorId = member.operator.id;
    tr.dataset.status = member.disabled ? "disabled" : member.status;
    const name = el("td", "team-name");
    name.append(teamDot(member.status), el("span", undefined, member.operator.name, "team-name"));
    if (member.operator.id === this.selfId()) name.append(el("span", "team-self", " (you)"));
    if (member.role === "admin") name.append(el("span", "team-role", " · admin"));
    tr.append(
      name,
      el("td", undefined, memberStatusLabel(member), "team-status"),
      el("td", undefined, String(member.chats), "team-chats"),
      el("td", undefined, duration(now - member.status_since), "team-since"),
      this.actionsCell(member),
    );
    return tr;
  }
}

function emptyRow(): HTMLTableRowElement {
  const tr = el("tr");
  const td = el("td", "empty", "Loading the team…");
  td.colSpan = 5;
  tr.append(td);
  return tr;
}
