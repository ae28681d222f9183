// The UI's one store: the state of every screen, changed only by `reduce` (pure, unit-tested)
// from actions that the core's events and the views dispatch.

import type { AgentEvent } from "../../crates/protocol/bindings/AgentEvent";
import type { Author } from "../../crates/protocol/bindings/Author";
import type { ConversationEvent } from "../../crates/protocol/bindings/ConversationEvent";
import type { ConversationSummary } from "../../crates/protocol/bindings/ConversationSummary";
import type { FileInfo } from "../../crates/protocol/bindings/FileInfo";
import type { TextSpan } from "../../crates/protocol/bindings/TextSpan";
import type { ClientEvent } from "../../crates/client/bindings/ClientEvent";
import type { ConnectionState } from "../../crates/client/bindings/ConnectionState";
import type { Delivery } from "../../crates/client/bindings/Delivery";
import type { OutboxUpdate } from "../../crates/client/bindings/OutboxUpdate";
import type { ComposerPrefs } from "./bindings/ComposerPrefs";
import type { SessionView } from "./bindings/SessionView";
import { applyVisitorEvent, noVisitors, type VisitorsState } from "./visitors/state";
import { answered, applyTeamEvent, noTeam, type TeamState } from "./team/state";
import type { Page } from "./bindings/Page";
import type { SnipPreview } from "./bindings/SnipPreview";
import type { TransferUpdate } from "./bindings/TransferUpdate";

/** One line in a chat: a message, or a note about what happened (joined, closed...). */
export type ChatItem =
  | {
      kind: "message";
      /** Stable key: the client message id. */
      key: string;
      seq: number | null;
      at: number | null;
      author: Author;
      spans: TextSpan[];
      /** For messages this app sent: the outbox's progress. */
      outbox: Delivery | null;
    }
  | { kind: "note"; key: string; seq: number; at: number; text: string }
  | { kind: "file"; key: string; seq: number; at: number; author: Author; file: FileInfo };

/** One chat tab. */
export interface Chat {
  summary: ConversationSummary;
  items: ChatItem[];
  unread: number;
  historyLoaded: boolean;
  /** The conversation ended; the tab stays until the operator closes it. */
  closed: boolean;
  /** The visitor is typing; `text` is their unsent text when the account allows a sneak peek. */
  typing: { text: string | null } | null;
}

/** The login screen. */
export interface LoginState {
  serverUrl: string;
  email: string;
  notice: string | null;
  error: string | null;
  busy: boolean;
}

/** Everything the UI shows. */
export interface State {
  screen: "starting" | "login" | "main";
  login: LoginState;
  session: SessionView | null;
  chats: Chat[];
  activeId: string | null;
  ringing: string[];
  /** A chat waiting for the operator to confirm ending it. */
  confirmClose: string | null;
  /** Which page of the main window shows. */
  view: Page;
  /** The team's presence, colleagues' invitations and team notices. */
  team: TeamState;
  /** Everyone on the site, and the blocking rules. */
  visitors: VisitorsState;
  /** The composer's view settings (kept on this machine). */
  prefs: ComposerPrefs;
  /** File transfers, newest first (finished ones stay until dismissed). */
  transfers: TransferUpdate[];
  /** A screenshot waiting in the composer (to annotate, then send or discard). */
  snip: SnipPreview | null;
}

/** The action for one event of the session's connection. */
export function sessionAction(event: ClientEvent): Action {
  switch (event.kind) {
    case "connection":
      return { type: "connection", state: event };
    case "server":
      return { type: "server", event };
    case "outbox":
      return { type: "outbox", update: event };
  }
}

/** Everything that changes the state. */
export type Action =
  | { type: "logged_out"; serverUrl: string | null; email: string | null; notice: string | null }
  | { type: "login_started" }
  | { type: "login_failed"; error: string }
  | { type: "session_started"; session: SessionView }
  | { type: "connection"; state: ConnectionState }
  | { type: "server"; event: AgentEvent }
  | { type: "outbox"; update: OutboxUpdate }
  | { type: "history"; conversationId: string; events: ConversationEvent[] }
  | { type: "ringing"; ids: string[] }
  | { type: "select"; conversationId: string }
  | { type: "select_relative"; offset: number }
  | { type: "select_index"; index: number }
  | { type: "dismiss"; conversationId: string }
  | { type: "confirm_close"; conversationId: string | null }
  | { type: "show"; view: State["view"] }
  | { type: "prefs"; prefs: ComposerPrefs }
  | { type: "transfer"; update: TransferUpdate }
  | { type: "dismiss_transfer"; id: string }
  | { type: "snip"; preview: SnipPreview | null }
  | { type: "invitation_answered"; conversationId: string }
  | { type: "dismiss_team_notice" };

/** The state before anything is known. */
export const initialState: State = {
  screen: "starting",
  login: { serverUrl: "", email: "", notice: null, error: null, busy: false },
  session: null,
  chats: [],
  activeId: null,
  ringing: [],
  confirmClose: null,
  view: "chats",
  team: noTeam,
  visitors: noVisitors,
  prefs: { spell_check: true, quick_texts: false },
  transfers: [],
  snip: null,
};

/** Applies one action. Never mutates `state`. */
export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case "logged_out":
      return {
        ...initialState,
        screen: "login",
        prefs: state.prefs,
        login: {
          ...initialState.login,
          serverUrl: action.serverUrl ?? state.login.serverUrl,
          email: action.email ?? state.login.email,
          notice: action.notice,
        },
      };
    case "login_started":
      return { ...state, login: { ...state.login, busy: true, error: null } };
    case "login_failed":
      return { ...state, login: { ...state.login, busy: false, error: action.error } };
    case "session_started":
      return startSession(state, action.session);
    case "connection":
      return state.session ? { ...state, session: { ...state.session, connection: action.state } } : state;
    case "server":
      return applyServerEvent(state, action.event);
    case "outbox":
      return updateChat(state, action.update.conversation_id, (chat) => applyOutbox(chat, action.update));
    case "history":
      return updateChat(state, action.conversationId, (chat) => ({
        ...addEvents(chat, action.events, false, state),
        historyLoaded: true,
      }));
    case "ringing":
      return { ...state, ringing: action.ids };
    case "select":
      return select(state, action.conversationId);
    case "select_relative": {
      const index = state.chats.findIndex((c) => c.summary.id === state.activeId);
      const count = state.chats.length;
      if (count === 0) return state;
      const next = (((index < 0 ? 0 : index + action.offset) % count) + count) % count;
      return select(state, state.chats[next].summary.id);
    }
    case "select_index": {
      const chat = state.chats[action.index];
      return chat ? select(state, chat.summary.id) : state;
    }
    case "dismiss":
      return removeChat(state, action.conversationId);
    case "confirm_close":
      return { ...state, confirmClose: action.conversationId };
    case "show":
      return { ...state, view: action.view };
    case "prefs":
      return { ...state, prefs: action.prefs };
    case "transfer": {
      const others = state.transfers.filter((t) => t.id !== action.update.id);
      const known = others.length !== state.transfers.length;
      const transfers = known
        ? state.transfers.map((t) => (t.id === action.update.id ? action.update : t))
        : [action.update, ...others];
      return { ...state, transfers };
    }
    case "snip":
      return { ...state, snip: action.preview };
    case "invitation_answered":
      return { ...state, team: answered(state.team, action.conversationId) };
    case "dismiss_team_notice":
      return { ...state, team: { ...state.team, notice: null } };
    case "dismiss_transfer":
      return { ...state, transfers: state.transfers.filter((t) => t.id !== action.id) };
  }
}

function startSession(state: State, session: SessionView): State {
  const base = state.screen === "main" ? state : { ...initialState, login: state.login, prefs: state.prefs };
  let next: State = {
    ...base,
    screen: "main",
    session,
    login: { ...state.login, busy: false, error: null, notice: null },
  };
  for (const summary of session.conversations) next = upsertSummary(next, summary);
  return next;
}

function applyServerEvent(state: State, event: AgentEvent): State {
  if (!state.session) return state;
  switch (event.type) {
    case "welcome": {
      let next: State = {
        ...state,
        session: { ...state.session, operator: event.operator, status: event.status },
      };
      for (const summary of event.conversations) next = upsertSummary(next, summary);
      return next;
    }
    case "status_changed":
      return { ...state, session: { ...state.session, status: event.status } };
    case "ringing":
      return upsertSummary(state, event.conversation);
    case "conversation_updated": {
      const next = upsertSummary(state, event.conversation);
      // A chat that arrives already accepted (a visitor answered this operator's invitation)
      // comes to the front.
      const arrived = !findChat(state, event.conversation.id) && event.conversation.state === "active";
      return arrived ? select(next, event.conversation.id) : next;
    }
    case "ring_stopped": {
      const chat = findChat(state, event.conversation_id);
      const next = { ...state, team: applyTeamEvent(state.team, event) };
      return chat && chat.summary.state === "ringing" ? removeChat(next, event.conversation_id) : next;
    }
    case "event": {
      const body = event.event.body;
      // Leaving (or handing over) a chat takes its tab away.
      if (body.type === "operator_left" && body.operator.id === state.session.operator.id) {
        return removeChat(state, event.conversation_id);
      }
      return updateChat(state, event.conversation_id, (chat) => addEvents(chat, [event.event], true, state));
    }
    case "snapshot":
      return updateChat(state, event.conversation_id, (chat) =>
        addEvents({ ...chat, items: chat.items.filter((i) => i.kind === "message" && i.seq === null) }, event.events, false, state),
      );
    case "receipt":
      return updateChat(state, event.conversation_id, (chat) => {
        const key = event.side === "visitor" ? "visitor_marks" : "operator_marks";
        const marks = chat.summary[key];
        return {
          ...chat,
          summary: {
            ...chat.summary,
            [key]: {
              delivered: Math.max(marks.delivered, event.delivered),
              seen: Math.max(marks.seen, event.seen),
            },
          },
        };
      });
    case "visitor_list":
    case "visitor_updated":
    case "visitor_gone":
    case "block_list":
      return { ...state, visitors: applyVisitorEvent(state.visitors, event) };
    case "team_list":
    case "team_member_updated":
    case "invited_to_chat":
    case "invitation_declined":
    case "account_settings":
      return { ...state, team: applyTeamEvent(state.team, event) };
    case "canned_responses":
      return { ...state, session: { ...state.session, canned: event.responses } };
    case "typing":
      return updateChat(state, event.conversation_id, (chat) => ({
        ...chat,
        typing: event.typing ? { text: event.text } : null,
      }));
    case "ack":
    case "history_page":
    case "error":
      return state;
  }
}

function upsertSummary(state: State, summary: ConversationSummary): State {
  const existing = findChat(state, summary.id);
  const chats = existing
    ? state.chats.map((c) => (c.summary.id === summary.id ? { ...c, summary, closed: summary.state === "closed" } : c))
    : [...state.chats, { summary, items: [], unread: 0, historyLoaded: false, closed: summary.state === "closed", typing: null }];
  chats.sort((a, b) => b.summary.started_at - a.summary.started_at);
  return { ...state, chats, activeId: state.activeId ?? summary.id };
}

/** Merges events into a chat, oldest first, once each (by seq). */
function addEvents(chat: Chat, events: ConversationEvent[], live: boolean, state: State): Chat {
  // one copy of the list per call, changed in place below (`chat.items` itself never changes)
  const items = chat.items.slice();
  let summary = chat.summary;
  let closed = chat.closed;
  let unread = chat.unread;
  let typing = chat.typing;
  for (const event of events) {
    const body = event.body;
    // A message this app sent is already listed (from the outbox): the stored event completes it.
    const own = body.type === "message" ? items.findIndex((i) => i.kind === "message" && i.key === body.client_msg_id) : -1;
    if (own >= 0 ? items[own].at !== null : items.some((i) => i.seq === event.seq)) continue;
    summary = { ...summary, last_seq: Math.max(summary.last_seq, event.seq) };
    switch (body.type) {
      case "message": {
        const item: ChatItem = {
          kind: "message",
          key: body.client_msg_id,
          seq: event.seq,
          at: event.at,
          author: body.author,
          spans: body.spans,
          outbox: own >= 0 && items[own].kind === "message" ? items[own].outbox : null,
        };
        if (own >= 0) items[own] = item;
        else items.push(item);
        if (live && body.author.kind === "visitor" && state.activeId !== chat.summary.id) unread += 1;
        if (body.author.kind === "visitor") typing = null;
        break;
      }
      case "started":
        items.push(note(event, `${body.visitor} started the chat`));
        break;
      case "operator_joined":
        summary = {
          ...summary,
          state: "active",
          operators: summary.operators.some((o) => o.id === body.operator.id)
            ? summary.operators
            : [...summary.operators, body.operator],
        };
        items.push(note(event, `${body.operator.name} joined`));
        break;
      case "operator_left":
        items.push(note(event, `${body.operator.name} left`));
        break;
      case "file":
        items.push({ kind: "file", key: `file-${event.seq}`, seq: event.seq, at: event.at, author: body.author, file: body.file });
        if (live && body.author.kind === "visitor" && state.activeId !== chat.summary.id) unread += 1;
        break;
      case "closed":
        summary = { ...summary, state: "closed" };
        closed = true;
        items.push(note(event, `Chat ended by ${authorName(body.by)}`));
        break;
    }
  }
  return { ...chat, items: sortedBySeq(items), summary, closed, unread, typing };
}

function note(event: ConversationEvent, text: string): ChatItem {
  return { kind: "note", key: `note-${event.seq}`, seq: event.seq, at: event.at, text };
}

/** Sorts `items` in place by [`bySeq`] unless they already are in order (the usual case: a new
 * event comes after the others); returns them. */
function sortedBySeq(items: ChatItem[]): ChatItem[] {
  for (let n = 1; n < items.length; n += 1) {
    if (bySeq(items[n - 1], items[n]) > 0) return items.sort(bySeq);
  }
  return items;
}

/** Sent messages in seq order; queued ones (no seq yet) stay at the end in sending order. */
function bySeq(a: ChatItem, b: ChatItem): number {
  if (a.seq === null && b.seq === null) return 0;
  if (a.seq === null) return 1;
  if (b.seq === null) return -1;
  return a.seq - b.seq;
}

function applyOutbox(chat: Chat, update: OutboxUpdate): Chat {
  const index = chat.items.findIndex((i) => i.kind === "message" && i.key === update.client_msg_id);
  const seq = update.delivery.state === "sent" ? update.delivery.seq : null;
  if (index < 0) {
    const item: ChatItem = {
      kind: "message",
      key: update.client_msg_id,
      seq,
      at: null,
      author: { kind: "operator", id: "", name: "" },
      spans: [{ kind: "text", text: update.text }],
      outbox: update.delivery,
    };
    return { ...chat, items: sortedBySeq([...chat.items, item]) };
  }
  const items = chat.items.map((item, n) =>
    n === index && item.kind === "message" ? { ...item, outbox: update.delivery, seq: item.seq ?? seq } : item,
  );
  return { ...chat, items: sortedBySeq(items) };
}

function select(state: State, conversationId: string): State {
  const next = updateChat(state, conversationId, (chat) => ({ ...chat, unread: 0 }));
  const found = findChat(state, conversationId) !== undefined;
  return { ...next, activeId: found ? conversationId : state.activeId, view: found ? "chats" : state.view };
}

function removeChat(state: State, conversationId: string): State {
  const index = state.chats.findIndex((c) => c.summary.id === conversationId);
  if (index < 0) return state;
  const chats = state.chats.filter((c) => c.summary.id !== conversationId);
  const activeId =
    state.activeId === conversationId ? (chats[Math.min(index, chats.length - 1)]?.summary.id ?? null) : state.activeId;
  return {
    ...state,
    chats,
    activeId,
    confirmClose: state.confirmClose === conversationId ? null : state.confirmClose,
  };
}

function updateChat(state: State, conversationId: string, change: (chat: Chat) => Chat): State {
  if (!findChat(state, conversationId)) return state;
  return { ...state, chats: state.chats.map((c) => (c.summary.id === conversationId ? change(c) : c)) };
}

/** The chat with this id, if it has a tab. */
export function findChat(state: State, conversationId: string | null): Chat | undefined {
  return state.chats.find((c) => c.summary.id === conversationId);
}

/** A name to show for an author. */
export function authorName(author: Author): string {
  switch (author.kind) {
    case "visitor":
      return author.name;
    case "operator":
      return author.name || "You";
    case "system":
      return "Switchboard";
  }
}

/** Delivery state of a message this app sent: queued → sent → delivered → seen (or failed). */
export type DeliveryState = "queued" | "sent" | "delivered" | "seen" | "failed";

/** Where a message stands, for the sender's eyes; `null` for messages of others. */
export function deliveryState(item: ChatItem, chat: Chat, operatorId: string): DeliveryState | null {
  if (item.kind !== "message" || item.author.kind !== "operator") return null;
  if (item.author.id && item.author.id !== operatorId) return null;
  if (item.outbox?.state === "failed") return "failed";
  if (item.seq === null) return "queued";
  const marks = chat.summary.visitor_marks;
  if (marks.seen >= item.seq) return "seen";
  if (marks.delivered >= item.seq) return "delivered";
  return "sent";
}

/** A tiny observable holder of the state. */
export class Store {
  private listeners: ((state: State) => void)[] = [];
  constructor(private current: State = initialState) {}

  get state(): State {
    return this.current;
  }

  dispatch(action: Action): void {
    this.dispatchAll([action]);
  }

  /** Applies `actions` in order, then tells the listeners once (a batch of events is drawn
   * once, not once per event). */
  dispatchAll(actions: readonly Action[]): void {
    const next = actions.reduce(reduce, this.current);
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: (state: State) => void): void {
    this.listeners.push(listener);
  }
}
