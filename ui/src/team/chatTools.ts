// The team tools in a chat's header: Invite (bring a colleague in), Transfer (hand the chat
// over once they accept) and Leave (step out while colleagues carry on). Invite and Transfer
// open a picker of colleagues who are Online or Away and not in the chat yet.

import type { ConversationSummary } from "../../../crates/protocol/bindings/ConversationSummary";
import { el } from "../format";
import { teamDot } from "./dot";
import type { Chat } from "../store";
import { invitable, statusLabel, type TeamState } from "./state";

/** What the team tools ask of the app. */
export interface ChatTeamActions {
  /** Resolves once the server sent the invitation; rejects with a readable message. */
  inviteOperator(conversationId: string, operatorId: string, transfer: boolean): Promise<void>;
  leaveChat(conversationId: string): Promise<void>;
}

/** Invite / Transfer / Leave for the chat on screen. */
export class ChatTeamTools {
  readonly root = el("div", "team-tools", undefined, "team-tools");
  private invite = el("button", undefined, "Invite…", "invite-operator");
  private transfer = el("button", undefined, "Transfer…", "transfer-chat");
  private leave = el("button", undefined, "Leave", "leave-chat");
  private picker = el("div", "operator-picker", undefined, "operator-picker");
  private feedback = el("span", "team-feedback", "", "team-feedback");
  private chat: ConversationSummary | null = null;
  private team: TeamState | null = null;
  private selfId = "";
  /** The picker is open for an invitation (false) or a transfer (true). */
  private picking: boolean | null = null;

  constructor(private actions: ChatTeamActions) {
    this.invite.title = "Invite a colleague into this chat";
    this.transfer.title = "Hand this chat over to a colleague (you leave once they accept)";
    this.leave.title = "Leave this chat; your colleagues carry on";
    this.invite.addEventListener("click", () => this.togglePicker(false));
    this.transfer.addEventListener("click", () => this.togglePicker(true));
    this.leave.addEventListener("click", () => this.leaveChat());
    this.picker.hidden = true;
    this.picker.setAttribute("role", "menu");
    this.feedback.setAttribute("role", "status");
    this.root.append(this.invite, this.transfer, this.leave, this.feedback, this.picker);
  }

  /** Follows the chat on screen and the team. */
  update(chat: Chat | undefined, team: TeamState, selfId: string): void {
    const summary = chat && !chat.closed && chat.summary.state === "active" ? chat.summary : null;
    if (summary?.id !== this.chat?.id) {
      this.picking = null;
      this.feedback.textContent = "";
    }
    this.chat = summary;
    this.team = team;
    this.selfId = selfId;
    this.root.hidden = summary === null;
    if (summary === null) return;
    this.leave.disabled = summary.operators.length < 2;
    this.leave.title = this.leave.disabled
      ? "You are the only operator here: end or transfer the chat instead"
      : "Leave this chat; your colleagues carry on";
    this.renderPicker();
  }

  private togglePicker(transfer: boolean): void {
    this.picking = this.picking === transfer ? null : transfer;
    this.renderPicker();
  }

  private renderPicker(): void {
    this.picker.hidden = this.picking === null;
    if (this.picking === null || !this.chat || !this.team) return;
    const transfer = this.picking;
    const chatId = this.chat.id;
    const colleagues = invitable(this.team, this.chat, this.selfId);
    const title = el("p", "team-picker-title", transfer ? "Transfer to" : "Invite");
    const options = colleagues.map((member) => {
      const option = el("button", "team-picker-option", undefined, "pick-operator");
      option.dataset.operatorId = member.operator.id;
      option.setAttribute("role", "menuitem");
      option.append(
        teamDot(member.status),
        el("span", undefined, member.operator.name, "pick-operator-name"),
        el("span", "team-picker-detail", ` ${statusLabel(member.status)} · ${member.chats} chats`),
      );
      option.addEventListener("click", () => this.send(chatId, member.operator.id, member.operator.name, transfer));
      return option;
    });
    const empty = el("p", "empty", "No colleague is online or away right now.");
    this.picker.replaceChildren(title, ...(options.length > 0 ? options : [empty]));
  }

  private send(chatId: string, operatorId: string, name: string, transfer: boolean): void {
    this.picking = null;
    this.renderPicker();
    this.feedback.textContent = `Inviting ${name}…`;
    this.actions
      .inviteOperator(chatId, operatorId, transfer)
      .then(() => {
        this.feedback.textContent = transfer
          ? `Waiting for ${name} to take over…`
          : `Invitation sent to ${name}`;
      })
      .catch((error: unknown) => (this.feedback.textContent = messageOf(error)));
  }

  private leaveChat(): void {
    const chat = this.chat;
    if (!chat) return;
    this.actions.leaveChat(chat.id).catch((error: unknown) => (this.feedback.textContent = messageOf(error)));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
