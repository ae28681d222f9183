/**
 * Messages the visitor wrote that the server has not yet confirmed. Each carries a
 * client-generated id, so sending it again after a reconnect is harmless: the server answers
 * with the original seq instead of storing it twice.
 */
import type { ProtocolError } from "../protocol";

/** One message on its way to the server. */
export interface OutboxEntry {
  /** Idempotency key sent as `client_msg_id`. */
  readonly clientMsgId: string;
  /** The conversation it belongs to (null until the chat has started). */
  conversationId: string | null;
  /** The text as typed. */
  readonly text: string;
  /** When it was written (ms since the epoch). */
  readonly createdAt: number;
  /** The seq from the server's Ack, once confirmed. */
  seq: number | null;
  /** Why the server refused it, if it did. */
  error: ProtocolError | null;
}

/** The ordered list of unconfirmed messages. */
export class Outbox {
  private entries: OutboxEntry[] = [];

  /** Starts from entries restored from storage. */
  constructor(restored: OutboxEntry[] = []) {
    this.entries = [...restored];
  }

  /** Queues a new message and returns its entry. */
  add(text: string, conversationId: string | null, clientMsgId: string, now: number): OutboxEntry {
    const entry: OutboxEntry = {
      clientMsgId,
      conversationId,
      text,
      createdAt: now,
      seq: null,
      error: null,
    };
    this.entries.push(entry);
    return entry;
  }

  /** Every entry, oldest first. */
  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** The entry with this client id, if queued. */
  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.find((entry) => entry.clientMsgId === clientMsgId);
  }

  /** Entries that still have to go to the server (not acked, not refused). */
  unsent(): OutboxEntry[] {
    return this.entries.filter((entry) => entry.seq === null && entry.error === null);
  }

  /** Gives every entry without a conversation this one (the chat just started). */
  assignConversation(conversationId: string): void {
    for (const entry of this.entries) {
      entry.conversationId ??= conversationId;
    }
  }

  /** Drops entries that belong to another conversation than `conversationId`. */
  keepOnly(conversationId: string | null): void {
    this.entries = this.entries.filter((entry) => entry.conversationId === conversationId);
  }

  /** Removes an entry (it is now part of the conversation's history). */
  remove(clientMsgId: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.clientMsgId !== clientMsgId);
    return this.entries.length !== before;
  }

  /** Puts a refused entry back in line to be sent again. */
  retry(clientMsgId: string): void {
    const entry = this.get(clientMsgId);
    if (entry) {
      entry.error = null;
    }
  }
}
