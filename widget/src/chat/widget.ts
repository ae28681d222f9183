/**
 * The widget's brain: holds the chat state, speaks the visitor protocol through
 * `VisitorConnection`, and hands a view model to the UI after every change. The UI calls back
 * with the visitor's intents (open, start a chat, send, ...).
 *
 * Nothing is lost or shown twice: events are kept by seq (`EventStore`), the visitor's messages
 * wait in the `Outbox` until the server confirms them and are re-sent with the same client id
 * after a reconnect, and every `Hello` says which seq to resume from.
 */
import {
  PROTOCOL_VERSION,
  type ConversationEvent,
  type ConversationState,
  type Invitation,
  type FileInfo,
  type OperatorRef,
  type PageInfo,
  type ProtocolError,
  type ReadMarks,
  type SurveyAnswer,
  type SurveyField,
  type VisitorConversation,
  type VisitorEvent,
  type VisitorRequest,
} from "../protocol";
import { VisitorConnection, type ConnectionStatus, type SocketLike } from "./connection";
import { Outbox } from "./outbox";
import { Reconnecting } from "./reconnecting";
import type { WidgetStorage } from "./storage";
import { EventStore } from "./store";
import { buildTimeline, type TimelineItem } from "./timeline";
import { TypingReporter } from "./typing";

/** An operator's "typing" shows at most this long without being repeated. */
const OPERATOR_TYPING_MS = 8000;
/** Messages on their way at once: well under the server's burst, so a long queue goes out
 * paced by the acks instead of being refused as a flood. */
const MAX_IN_FLIGHT = 10;
/** After the server refused a message as too fast, the queue waits this long. */
const RATE_LIMITED_PAUSE_MS = 1000;
import { Uploads, type UploadView } from "./uploads";

/** Which part of the chat window shows. */
export type Screen = "connecting" | "survey" | "chat" | "offline" | "offline-sent";

/** Everything the UI shows, recomputed after every change. */
export interface ViewModel {
  readonly open: boolean;
  readonly online: boolean;
  readonly connection: ConnectionStatus;
  readonly screen: Screen;
  readonly survey: readonly SurveyField[];
  readonly subtitle: string;
  readonly timeline: readonly TimelineItem[];
  /** State of the conversation on screen (null before the chat starts). */
  readonly conversationState: ConversationState | null;
  readonly unread: number;
  /** Files on their way to the chat. */
  readonly uploads: readonly UploadView[];
  /** A request of this form is on its way. */
  readonly busy: { readonly survey: boolean; readonly offline: boolean };
  /** The server refused the last request of this form. */
  readonly errors: { readonly survey: string | null; readonly offline: string | null };
  /** An operator's invitation to chat, until the visitor answers or dismisses it. */
  readonly invitation: Invitation | null;
  /** The name of the operator typing right now. */
  readonly operatorTyping: string | null;
  /** "Ann is reconnecting…" while an operator of the chat lost their connection. */
  readonly reconnecting: string | null;
  /** Agents see what the visitor types before sending (the visitor must be told). */
  readonly sneakPeek: boolean;
}

/** What the widget needs from the page it runs in. */
export interface WidgetEnvironment {
  readonly storage: WidgetStorage;
  /** `ws(s)://host/ws/v1/visitor`. */
  readonly socketUrl: string;
  /** The browser's IANA time zone. */
  readonly timeZone: string | null;
  /** Whether the visitor can see the widget's page now (Page Visibility). */
  isVisible(): boolean;
  /** A fresh unique id (for `client_msg_id`). */
  newId(): string;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Makes upload requests (tests pass fakes; defaults to the browser's). */
  readonly http?: { createXhr(): XMLHttpRequest; fetch: typeof fetch };
  /** Opens a socket (tests pass a fake; defaults to `WebSocket`). */
  createSocket?(url: string): SocketLike;
  /** Shows the view model. */
  render(model: ViewModel): void;
  /** The chat window opened or closed (the loader resizes the frame). */
  onOpenChange(open: boolean): void;
}

interface Conversation {
  readonly id: string;
  state: ConversationState;
  operators: OperatorRef[];
}

/** A request that waits for its Ack or Error. */
type Pending =
  | { readonly kind: "start" }
  | { readonly kind: "answer" }
  | { readonly kind: "send"; readonly clientMsgId: string }
  | { readonly kind: "close" }
  | { readonly kind: "offline" };

/** The visitor's chat. */
export class Widget {
  private readonly connection: VisitorConnection;
  private readonly store = new EventStore();
  private readonly outbox: Outbox;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<string>();
  private readonly uploads: Uploads;
  private readonly filesUrl: string;
  /** Files chosen before the chat started; sent once it has. */
  private waitingFiles: File[] = [];
  private nextReq = 1;

  private page: PageInfo | null = null;
  private status: ConnectionStatus = { state: "connecting" };
  private welcomed = false;
  private online = false;
  private survey: SurveyField[] = [];
  private conversation: Conversation | null = null;
  private marks: ReadMarks = { delivered: 0, seen: 0 };
  /** Survey answers of a StartChat not yet acknowledged. */
  private starting: SurveyAnswer[] | null = null;
  private offline: { text: OfflineDraft | null; sent: boolean; error: string | null } = {
    text: null,
    sent: false,
    error: null,
  };
  private startError: string | null = null;
  /** The survey answers of the last StartChat. */
  private answers: SurveyAnswer[] = [];
  private open: boolean;
  private seenSeq = 0;
  private lastReceipt = "";
  /** An operator's open invitation. */
  private invitation: Invitation | null = null;
  /** The reply to the invitation, until the server starts the chat. */
  private answer: { readonly clientMsgId: string; readonly text: string } | null = null;
  private sneakPeek = false;
  private operatorTyping: string | null = null;
  private readonly reconnecting = new Reconnecting();
  private operatorTypingTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set while the queue pauses after a rate-limited send. */
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly typing = new TypingReporter((typing, text) => {
    this.request({ type: "typing", typing, text });
  });

  /** Creates the widget; it connects once it knows the page (`setPage`). */
  constructor(private readonly env: WidgetEnvironment) {
    this.outbox = new Outbox(env.storage.loadOutbox());
    this.open = env.storage.panelOpen;
    const files = new URL("/api/v1/files", env.socketUrl.replace(/^ws/, "http"));
    this.filesUrl = files.href;
    this.uploads = new Uploads({
      filesUrl: this.filesUrl,
      token: () => env.storage.visitorToken,
      now: () => env.now(),
      onChange: () => this.render(),
      createXhr: env.http?.createXhr,
      fetch: env.http?.fetch,
    });
    this.connection = new VisitorConnection({
      url: env.socketUrl,
      hello: () => this.hello(),
      onEvent: (event) => this.receive(event),
      onStatus: (status) => {
        this.status = status;
        if (status.state === "stopped") {
          // Refused for good (e.g. a blocked address): no chat to offer.
          this.online = false;
        }
        this.render();
      },
      createSocket: env.createSocket,
    });
  }

  /** The page the visitor is on: connects the first time, reports a page view after that. */
  setPage(page: PageInfo): void {
    const first = this.page === null;
    this.page = page;
    if (first) {
      this.connection.start();
    } else {
      this.request({ type: "page_view", page });
    }
    this.render();
  }

  /** Shows the current state (e.g. once the UI exists). */
  refresh(): void {
    this.render();
  }

  /** Stops the connection for good. */
  stop(): void {
    this.connection.stop();
    if (this.pauseTimer !== null) {
      clearTimeout(this.pauseTimer);
      this.pauseTimer = null;
    }
  }

  /** The browser came back online: reconnect now instead of waiting for the backoff. */
  networkBack(): void {
    this.connection.retryNow();
  }

  /** The page became visible or hidden (read receipts depend on it). */
  visibilityChanged(): void {
    this.render();
  }

  /** Opens or closes the chat window. */
  setOpen(open: boolean): void {
    if (open === this.open) {
      return;
    }
    this.open = open;
    this.env.storage.panelOpen = open;
    this.env.onOpenChange(open);
    this.render();
  }

  /** Whether the chat window is open. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Calls: starts a chat with these survey answers. */
  startChat(answers: SurveyAnswer[]): void {
    if (this.starting !== null || this.conversationOpen()) {
      return;
    }
    this.answers = answers;
    this.starting = answers;
    this.startError = null;
    this.sendStart();
    this.render();
  }

  /** The visitor's unsent text changed: tells the operators (few signals, text only with sneak peek). */
  typed(text: string): void {
    if (this.conversationOpen()) {
      this.typing.input(text, this.sneakPeek);
    }
  }

  /** Sends a message, starting the chat first when none is open (answering an invitation,
   * if there is one). */
  send(text: string): void {
    this.typing.stop();
    const conversationId = this.conversationOpen() ? (this.conversation?.id ?? null) : null;
    const clientMsgId = this.env.newId();
    this.outbox.add(text, conversationId, clientMsgId, this.env.now());
    if (conversationId === null && this.invitation !== null && this.answer === null) {
      this.answer = { clientMsgId, text };
      this.sendAnswer();
    } else if (conversationId === null && this.answer === null) {
      this.startChat([]);
    }
    this.flush();
    this.render();
  }

  /** Sends a file into the chat, starting the chat first when none is open. */
  upload(file: File): void {
    this.waitingFiles.push(file);
    if (!this.conversationOpen()) {
      this.startChat([]);
    }
    this.flush();
    this.render();
  }

  /** Stops an upload (or dismisses a failed one). */
  cancelUpload(id: string): void {
    this.uploads.cancel(id);
  }

  /** Continues an interrupted upload. */
  resumeUpload(id: string): void {
    this.uploads.resume(id);
  }

  /** The link to a shared file, carrying the visitor token (a browser follows it without
   * headers); `inline` asks for an image preview. */
  fileLink(file: FileInfo, inline: boolean): string | null {
    const token = this.env.storage.visitorToken;
    if (token === null) {
      return null;
    }
    const url = new URL(`${this.filesUrl}/${encodeURIComponent(file.id)}`);
    url.searchParams.set("visitor", token);
    if (inline) {
      url.searchParams.set("inline", "1");
    }
    return url.href;
  }

  /** Sends a refused message again (starting the chat again if that was refused). */
  retry(clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
    if (this.conversation === null) {
      this.startChat(this.answers);
    }
    this.flush();
    this.render();
  }

  /** Declines the operator's invitation and closes the chat window. */
  dismissInvitation(): void {
    if (this.invitation === null || this.answer !== null) {
      return;
    }
    this.invitation = null;
    this.request({ type: "dismiss_invitation" });
    this.setOpen(false);
    this.render();
  }

  /** Ends the open chat. */
  endChat(): void {
    if (this.conversationOpen()) {
      this.request({ type: "close", req: 0 }, { kind: "close" });
    }
  }

  /** After a closed chat: back to the start (survey, or an empty chat). */
  newChat(): void {
    if (this.conversation?.state !== "closed") {
      return;
    }
    this.conversation = null;
    this.store.reset(null);
    this.outbox.keepOnly(null);
    this.render();
  }

  /** Leaves a message while no operator is online. */
  sendOfflineMessage(name: string, email: string, text: string): void {
    this.offline = { text: { name, email, text }, sent: false, error: null };
    this.sendOffline();
    this.render();
  }

  private hello(): VisitorRequest {
    return {
      type: "hello",
      protocol: PROTOCOL_VERSION,
      visitor_token: this.env.storage.visitorToken,
      page: this.page ?? { url: "", title: "", referrer: null },
      time_zone: this.env.timeZone,
      last_seq: this.store.resumeSeq(),
    };
  }

  /** Sends a request now if connected; numbers it and remembers what it was for. */
  private request(request: VisitorRequest, pending?: Pending): boolean {
    if (!this.connection.ready) {
      return false;
    }
    if ("req" in request && pending) {
      const req = this.nextReq++;
      request = { ...request, req };
      this.pending.set(req, pending);
    }
    return this.connection.send(request);
  }

  private sendStart(): void {
    if (this.starting !== null) {
      this.request({ type: "start_chat", req: 0, survey: this.starting }, { kind: "start" });
    }
  }

  private sendAnswer(): void {
    if (this.answer !== null) {
      const { clientMsgId, text } = this.answer;
      this.request(
        { type: "answer_invitation", req: 0, client_msg_id: clientMsgId, text },
        { kind: "answer" },
      );
    }
  }

  private sendOffline(): void {
    const draft = this.offline.text;
    if (draft !== null && !this.offline.sent) {
      this.request(
        { type: "offline_message", req: 0, name: draft.name, email: draft.email, text: draft.text },
        { kind: "offline" },
      );
    }
  }

  /** Sends every queued message of the open conversation not already on its way. */
  private flush(): void {
    const conversation = this.conversation;
    if (!this.connection.ready || conversation === null || conversation.state === "closed") {
      return;
    }
    for (const file of this.waitingFiles.splice(0)) {
      this.uploads.start(file, conversation.id);
    }
    for (const entry of this.outbox.unsent()) {
      if (this.pauseTimer !== null || this.inFlight.size >= MAX_IN_FLIGHT) {
        break;
      }
      if (entry.conversationId !== conversation.id || this.inFlight.has(entry.clientMsgId)) {
        continue;
      }
      const request: VisitorRequest = {
        type: "send",
        req: 0,
        client_msg_id: entry.clientMsgId,
        text: entry.text,
      };
      if (this.request(request, { kind: "send", clientMsgId: entry.clientMsgId })) {
        this.inFlight.add(entry.clientMsgId);
      }
    }
    this.env.storage.saveOutbox(this.outbox.list());
  }

  private receive(event: VisitorEvent): void {
    switch (event.type) {
      case "welcome":
        this.welcome(event);
        break;
      case "event":
        this.applyEvent(event.conversation_id, event.event);
        break;
      case "snapshot":
        this.store.applySnapshot(event.conversation_id, event.events);
        this.adoptConversation(event.conversation_id);
        for (const item of event.events) {
          this.follow(item);
        }
        break;
      case "availability":
        this.online = event.online;
        break;
      case "invited":
        this.invitation = event.invitation;
        this.setOpen(true);
        break;
      case "invitation_ended":
        if (this.answer === null) {
          this.invitation = null;
        }
        break;
      case "typing_policy":
        this.sneakPeek = event.sneak_peek;
        break;
      case "typing":
        this.setOperatorTyping(event.typing ? event.name : null);
        break;
      case "operator_connection":
        this.reconnecting.update(event.operator.id, event.operator.name, event.connected);
        break;
      case "receipt":
        this.marks = {
          delivered: Math.max(this.marks.delivered, event.delivered),
          seen: Math.max(this.marks.seen, event.seen),
        };
        break;
      case "ack":
        this.acknowledged(event.req, event.seq, event.conversation);
        break;
      case "error":
        this.refused(event.req, event.error);
        break;
    }
    this.render();
  }

  private welcome(event: Extract<VisitorEvent, { type: "welcome" }>): void {
    this.env.storage.visitorToken = event.visitor_token;
    this.welcomed = true;
    this.online = event.online;
    this.survey = event.survey;
    this.pending.clear();
    this.inFlight.clear();
    this.lastReceipt = "";
    const open = event.conversation;
    if (open !== null) {
      this.setConversation(open);
      this.starting = null;
      this.answer = null;
      this.invitation = null;
    } else {
      if (this.conversation !== null && this.conversation.state !== "closed") {
        // It was closed while we were away; its Closed event is no longer replayed.
        this.conversation.state = "closed";
      }
      this.outbox.keepOnly(null);
      this.sendStart();
      this.sendAnswer();
    }
    this.flush();
    this.sendOffline();
  }

  private setConversation(conversation: VisitorConversation): void {
    if (this.store.conversationId !== conversation.id) {
      this.store.reset(conversation.id);
      this.seenSeq = this.env.storage.seenSeq(conversation.id);
    }
    this.conversation = {
      id: conversation.id,
      state: conversation.state,
      operators: [...conversation.operators],
    };
    this.marks = { ...conversation.operator_marks };
    this.outbox.assignConversation(conversation.id);
    this.outbox.keepOnly(conversation.id);
  }

  /** Makes `conversationId` the conversation on screen (an event may beat the StartChat Ack). */
  private adoptConversation(conversationId: string): void {
    if (this.conversation?.id === conversationId) {
      return;
    }
    this.setConversation({
      id: conversationId,
      state: "ringing",
      operators: [],
      last_seq: 0,
      operator_marks: { delivered: 0, seen: 0 },
    });
    this.starting = null;
  }

  private applyEvent(conversationId: string, event: ConversationEvent): void {
    this.adoptConversation(conversationId);
    if (this.store.apply(event)) {
      this.follow(event);
    }
  }

  /** Keeps the conversation's state, operators and outbox in step with a new event. */
  private follow(event: ConversationEvent): void {
    const conversation = this.conversation;
    if (conversation === null) {
      return;
    }
    const body = event.body;
    switch (body.type) {
      case "operator_joined":
        conversation.operators = [
          ...conversation.operators.filter((operator) => operator.id !== body.operator.id),
          body.operator,
        ];
        if (conversation.state === "ringing") {
          conversation.state = "active";
        }
        break;
      case "operator_left":
        conversation.operators = conversation.operators.filter(
          (operator) => operator.id !== body.operator.id,
        );
        this.reconnecting.forget(body.operator.id);
        break;
      case "closed":
        conversation.state = "closed";
        this.reconnecting.forget(null);
        this.setOperatorTyping(null);
        break;
      case "message":
        if (body.author.kind === "operator") {
          this.setOperatorTyping(null);
        }
        if (body.author.kind === "visitor" && this.outbox.remove(body.client_msg_id)) {
          this.inFlight.delete(body.client_msg_id);
          this.env.storage.saveOutbox(this.outbox.list());
        }
        break;
      case "started":
      case "file":
        break;
    }
  }

  private acknowledged(req: number, seq: number | null, started: VisitorConversation | null): void {
    const pending = this.pending.get(req);
    this.pending.delete(req);
    switch (pending?.kind) {
      case "start":
        this.starting = null;
        if (started !== null) {
          this.setConversation(started);
        }
        this.flush();
        break;
      case "answer":
        this.answer = null;
        this.invitation = null;
        if (started !== null) {
          this.setConversation(started);
        }
        this.flush();
        break;
      case "send": {
        const entry = this.outbox.get(pending.clientMsgId);
        this.inFlight.delete(pending.clientMsgId);
        if (entry && seq !== null) {
          entry.seq = seq;
        }
        this.env.storage.saveOutbox(this.outbox.list());
        this.flush();
        break;
      }
      case "offline":
        this.offline = { text: null, sent: true, error: null };
        break;
      case "close":
      case undefined:
        break;
    }
  }

  private refused(req: number | null, error: ProtocolError): void {
    const pending = req === null ? undefined : this.pending.get(req);
    if (req !== null) {
      this.pending.delete(req);
    }
    switch (pending?.kind) {
      case "start":
      case "answer":
        this.starting = null;
        this.answer = null;
        this.invitation = null;
        this.startError = error.message;
        for (const entry of this.outbox.list()) {
          entry.error ??= error;
        }
        break;
      case "send": {
        const entry = this.outbox.get(pending.clientMsgId);
        this.inFlight.delete(pending.clientMsgId);
        if (error.code === "rate_limited") {
          this.pauseQueue();
        } else if (entry) {
          entry.error = error;
        }
        break;
      }
      case "offline":
        this.offline = { ...this.offline, text: null, error: error.message };
        break;
      case "close":
      case undefined:
        break;
    }
  }

  /** Holds the queue for a moment after a rate-limited send; the message stays queued. */
  private pauseQueue(): void {
    if (this.pauseTimer !== null) {
      return;
    }
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.flush();
    }, RATE_LIMITED_PAUSE_MS);
  }

  /** Shows (or clears) who is typing; it clears itself unless repeated. */
  private setOperatorTyping(name: string | null): void {
    this.operatorTyping = name;
    if (this.operatorTypingTimer !== null) {
      clearTimeout(this.operatorTypingTimer);
      this.operatorTypingTimer = null;
    }
    if (name !== null) {
      this.operatorTypingTimer = setTimeout(() => {
        this.operatorTyping = null;
        this.operatorTypingTimer = null;
        this.render();
      }, OPERATOR_TYPING_MS);
    }
  }

  private conversationOpen(): boolean {
    return this.conversation !== null && this.conversation.state !== "closed";
  }

  private screen(): Screen {
    if (
      this.conversation !== null ||
      this.starting !== null ||
      this.invitation !== null ||
      this.outbox.list().length > 0
    ) {
      return "chat";
    }
    if (!this.welcomed) {
      return "connecting";
    }
    if (!this.online) {
      return this.offline.sent ? "offline-sent" : "offline";
    }
    return this.survey.length > 0 ? "survey" : "chat";
  }

  private subtitle(): string {
    const conversation = this.conversation;
    if (conversation?.state === "closed") {
      return "This chat has ended";
    }
    if (conversation !== null && conversation.operators.length > 0) {
      return `You're chatting with ${conversation.operators.map((operator) => operator.name).join(", ")}`;
    }
    if (this.invitation !== null) {
      return `${this.invitation.operator.name} would like to help you`;
    }
    if (conversation !== null || this.starting !== null) {
      return "Waiting for someone from the team to join…";
    }
    return this.online ? "We're online and happy to help" : "We're away right now";
  }

  /** Reports how far the visitor has received and read, when that changed. */
  private sendReceipt(): void {
    const delivered = this.store.resumeSeq();
    const conversationId = this.store.conversationId;
    if (delivered === null || conversationId === null) {
      return;
    }
    if (this.open && this.env.isVisible() && delivered > this.seenSeq) {
      this.seenSeq = delivered;
      this.env.storage.saveSeenSeq(conversationId, delivered);
    }
    const receipt = `${delivered} ${this.seenSeq}`;
    if (receipt !== this.lastReceipt && this.connection.ready) {
      this.lastReceipt = receipt;
      this.request({ type: "receipt", delivered, seen: this.seenSeq });
    }
  }

  /** Operator messages the visitor has not seen yet. */
  private unread(): number {
    return this.store
      .list()
      .filter(
        ({ seq, body }) =>
          seq > this.seenSeq && body.type === "message" && body.author.kind !== "visitor",
      ).length;
  }

  private render(): void {
    this.sendReceipt();
    this.env.render({
      open: this.open,
      online: this.online,
      connection: this.status,
      screen: this.screen(),
      survey: this.survey,
      subtitle: this.subtitle(),
      timeline: buildTimeline(this.store.list(), this.outbox.list(), this.marks),
      conversationState: this.conversation?.state ?? null,
      unread: this.unread(),
      uploads: this.uploads.list(),
      busy: { survey: this.starting !== null, offline: this.offline.text !== null },
      errors: { survey: this.startError, offline: this.offline.error },
      invitation: this.conversationOpen() ? null : this.invitation,
      operatorTyping: this.conversationOpen() ? this.operatorTyping : null,
      reconnecting: this.conversationOpen() ? this.reconnecting.notice() : null,
      sneakPeek: this.sneakPeek,
    });
  }
}

interface OfflineDraft {
  readonly name: string;
  readonly email: string;
  readonly text: string;
}
