/**
 * What the message list shows, derived from the stored events, the unconfirmed outbox and the
 * operators' read marks: one item per message or notice, in order, each with a stable key so
 * the view can update items in place.
 */
import type { Author, ConversationEvent, FileInfo, ReadMarks, TextSpan } from "../protocol";
import type { OutboxEntry } from "./outbox";

/** Delivery progress of one of the visitor's own messages. */
export type Delivery = "sending" | "sent" | "delivered" | "seen" | "failed";

/** A chat message in the list. */
export interface MessageItem {
  readonly kind: "message";
  /** Stable key: `msg:<client id>` for the visitor's own messages (the same before and after
   * the server confirms them), `seq:<n>` for the operators'. */
  readonly key: string;
  /** The sender's idempotency key. */
  readonly clientMsgId: string;
  /** Server seq, once known. */
  readonly seq: number | null;
  /** Who wrote it. */
  readonly author: Author;
  /** Whether the visitor wrote it. */
  readonly mine: boolean;
  /** Display spans (plain text for unconfirmed messages). */
  readonly spans: readonly TextSpan[];
  /** When it was committed (or written, while unconfirmed). */
  readonly at: number;
  /** Delivery progress, for the visitor's own messages. */
  readonly delivery: Delivery | null;
  /** Why the server refused it, when `delivery` is `failed`. */
  readonly error: string | null;
}

/** A notice such as "Alice joined the chat". */
export interface NoticeItem {
  readonly kind: "notice";
  /** Stable key: `seq:<n>`. */
  readonly key: string;
  /** Server seq. */
  readonly seq: number;
  /** The notice text. */
  readonly text: string;
  /** When it happened. */
  readonly at: number;
}

/** A file shared in the chat: a download link, with a preview for images. */
export interface FileItem {
  readonly kind: "file";
  /** Stable key: `seq:<n>`. */
  readonly key: string;
  /** Server seq. */
  readonly seq: number;
  /** Who shared it. */
  readonly author: Author;
  /** Whether the visitor shared it. */
  readonly mine: boolean;
  /** The file. */
  readonly file: FileInfo;
  /** When it was shared. */
  readonly at: number;
  /** The chat has ended, so the file is gone from the server. */
  readonly gone: boolean;
}

/** One entry of the message list. */
export type TimelineItem = MessageItem | NoticeItem | FileItem;

/** Delivery of a confirmed own message with `seq`, given the operators' read marks. */
export function deliveryOf(seq: number, marks: ReadMarks): Delivery {
  if (marks.seen >= seq) {
    return "seen";
  }
  if (marks.delivered >= seq) {
    return "delivered";
  }
  return "sent";
}

function ownKey(clientMsgId: string): string {
  return `msg:${clientMsgId}`;
}

function closedNotice(by: Author): string {
  switch (by.kind) {
    case "visitor":
      return "You ended the chat";
    case "operator":
      return `${by.name} ended the chat`;
    case "system":
      return "The chat was closed";
  }
}

function fromEvent(event: ConversationEvent, marks: ReadMarks): TimelineItem | null {
  const body = event.body;
  const notice = (text: string): NoticeItem => ({
    kind: "notice",
    key: `seq:${event.seq}`,
    seq: event.seq,
    text,
    at: event.at,
  });
  switch (body.type) {
    case "message": {
      const mine = body.author.kind === "visitor";
      const spans: TextSpan[] =
        body.spans.length > 0 ? body.spans : [{ kind: "text", text: body.text }];
      return {
        kind: "message",
        key: mine ? ownKey(body.client_msg_id) : `seq:${event.seq}`,
        clientMsgId: body.client_msg_id,
        seq: event.seq,
        author: body.author,
        mine,
        spans,
        at: event.at,
        delivery: mine ? deliveryOf(event.seq, marks) : null,
        error: null,
      };
    }
    case "file":
      return {
        kind: "file",
        key: `seq:${event.seq}`,
        seq: event.seq,
        author: body.author,
        mine: body.author.kind === "visitor",
        file: body.file,
        at: event.at,
        gone: false,
      };
    case "started":
      return null;
    case "operator_joined":
      return notice(`${body.operator.name} joined the chat`);
    case "operator_left":
      return notice(`${body.operator.name} left the chat`);
    case "closed":
      return notice(closedNotice(body.by));
  }
}

function fromOutbox(entry: OutboxEntry, visitorName: string, marks: ReadMarks): MessageItem {
  let delivery: Delivery = "sending";
  if (entry.error !== null) {
    delivery = "failed";
  } else if (entry.seq !== null) {
    delivery = deliveryOf(entry.seq, marks);
  }
  return {
    kind: "message",
    key: ownKey(entry.clientMsgId),
    clientMsgId: entry.clientMsgId,
    seq: entry.seq,
    author: { kind: "visitor", name: visitorName },
    mine: true,
    spans: [{ kind: "text", text: entry.text }],
    at: entry.createdAt,
    delivery,
    error: entry.error?.message ?? null,
  };
}

/**
 * The list to show: stored events in seq order, then the outbox entries that are not (yet)
 * among them.
 */
export function buildTimeline(
  events: readonly ConversationEvent[],
  outbox: readonly OutboxEntry[],
  marks: ReadMarks,
  visitorName = "You",
): TimelineItem[] {
  const items: TimelineItem[] = [];
  const stored = new Set<string>();
  const closed = events.some((event) => event.body.type === "closed");
  for (const event of events) {
    const item = fromEvent(event, marks);
    if (item) {
      items.push(item.kind === "file" ? { ...item, gone: closed } : item);
    }
    if (event.body.type === "message") {
      stored.add(event.body.client_msg_id);
    }
  }
  for (const entry of outbox) {
    if (!stored.has(entry.clientMsgId)) {
      items.push(fromOutbox(entry, visitorName, marks));
    }
  }
  return items;
}
