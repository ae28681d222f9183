// Colleagues' invitations into chats ("Ann invites you to a chat with Vera" with Join and
// Decline), above the chat tabs, and the latest team notice (a declined invitation, a missed
// call) with a dismiss button.

import { el } from "../format";
import { invitationText, type TeamState } from "./state";

/** What the invitation bar asks of the app. */
export interface InvitationActions {
  joinChat(conversationId: string): void;
  declineInvitation(conversationId: string): void;
  dismissTeamNotice(): void;
}

/** Incoming invitations and the team notice. */
export class InvitationBar {
  readonly root = el("div", "team-invitations", undefined, "team-invitations");
  private shown: TeamState | null = null;

  constructor(private actions: InvitationActions) {
    this.root.setAttribute("role", "status");
  }

  update(state: TeamState): void {
    if (state.invitations === this.shown?.invitations && state.notice === this.shown.notice) return;
    this.shown = state;
    const rows = state.invitations.map((invitation) => {
      const id = invitation.conversation.id;
      const row = el("div", "team-invitation", undefined, "chat-invitation");
      row.dataset.conversationId = id;
      const join = el("button", "primary", "Join", "join-chat");
      join.addEventListener("click", () => this.actions.joinChat(id));
      const decline = el("button", undefined, "Decline", "decline-invitation");
      decline.addEventListener("click", () => this.actions.declineInvitation(id));
      const buttons = el("div", "team-invitation-buttons");
      buttons.append(join, decline);
      row.append(el("p", "team-invitation-text", invitationText(invitation), "invitation-text"), buttons);
      return row;
    });
    if (state.notice !== null) {
      const notice = el("div", "team-notice", undefined, "team-notice");
      const dismiss = el("button", "link-button", "Dismiss", "dismiss-team-notice");
      dismiss.addEventListener("click", () => this.actions.dismissTeamNotice());
      notice.append(el("span", undefined, state.notice), dismiss);
      rows.push(notice);
    }
    this.root.replaceChildren(...rows);
    this.root.hidden = rows.length === 0;
  }
}
