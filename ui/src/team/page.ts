// The Team page: every operator with a live status dot, their number of open chats and how
// long they have been in their status (refreshed while the page shows), and a Chat button to
// start an internal chat with a colleague who is Online or Away; administrators also see the
// Account section.

import type { TeamMember } from "../../../crates/protocol/bindings/TeamMember";
import { el } from "../format";
import { teamDot } from "./dot";
import { duration } from "../visitors/state";
import { AccountSection, type AccountActions } from "./account";
import { listMembers, statusLabel, type TeamState } from "./state";

/** What the Team page asks of the app. */
export interface TeamPageActions extends AccountActions {
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
    this.root.append(el("h2", "page-title", "Team"), table, this.account.root);
  }

  /** Shows the team (when `visible`); redraws only when it changed, and keeps times moving. */
  update(state: TeamState, visible: boolean, admin: boolean): void {
    this.root.hidden = !visible;
    this.account.update(state.account, this.membersOf(state), this.selfId(), admin, visible);
    if (visible && this.timer === null) {
      this.timer = setInterval(() => this.state && this.render(this.state), TICK_MS);
    } else if (!visible && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    if (visible && state !== this.state) this.render(state);
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

  /** "Chat" for a colleague who can take an internal chat now. */
  private chatCell(member: TeamMember): HTMLTableCellElement {
    const td = el("td");
    if (member.operator.id !== this.selfId() && member.status !== "offline") {
      const chat = el("button", undefined, "Chat", "start-internal-chat");
      chat.title = `Start an internal chat with ${member.operator.name} (visitors never see it)`;
      chat.addEventListener("click", () => this.actions.startInternalChat(member.operator.id));
      td.append(chat);
    }
    return td;
  }

  private row(member: TeamMember, now: number): HTMLTableRowElement {
    const tr = el("tr", "team-row", undefined, "team-row");
    tr.dataset.operatorId = member.operator.id;
    tr.dataset.status = member.status;
    const name = el("td", "team-name");
    name.append(teamDot(member.status), el("span", undefined, member.operator.name, "team-name"));
    if (member.operator.id === this.selfId()) name.append(el("span", "team-self", " (you)"));
    if (member.role === "admin") name.append(el("span", "team-role", " · admin"));
    tr.append(
      name,
      el("td", undefined, statusLabel(member.status), "team-status"),
      el("td", undefined, String(member.chats), "team-chats"),
      el("td", undefined, duration(now - member.status_since), "team-since"),
      this.chatCell(member),
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
