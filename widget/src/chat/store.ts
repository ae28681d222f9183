/**
 * The widget's copy of its open conversation: events keyed by their server-assigned seq, so a
 * replay after a reconnect (or a duplicate frame) never shows an event twice, and the seq to
 * resume from is the highest one held without a gap.
 */
import type { ConversationEvent } from "../protocol";

/** Events of one conversation, de-duplicated by seq and kept in seq order. */
export class EventStore {
  private readonly events = new Map<number, ConversationEvent>();
  private sorted: ConversationEvent[] | null = [];
  private contiguous = 0;
  private id: string | null = null;

  /** The conversation these events belong to, if any. */
  get conversationId(): string | null {
    return this.id;
  }

  /** Forgets every event and starts holding `conversationId` (or nothing). */
  reset(conversationId: string | null): void {
    this.events.clear();
    this.sorted = [];
    this.contiguous = 0;
    this.id = conversationId;
  }

  /**
   * Adds one event. Returns false (and changes nothing) when an event with that seq is already
   * held.
   */
  apply(event: ConversationEvent): boolean {
    if (this.events.has(event.seq) || event.seq <= this.contiguous) {
      return false;
    }
    this.events.set(event.seq, event);
    this.sorted = null;
    while (this.events.has(this.contiguous + 1)) {
      this.contiguous += 1;
    }
    return true;
  }

  /** Replaces everything with a snapshot (the newest events, oldest first). */
  applySnapshot(conversationId: string, events: ConversationEvent[]): void {
    this.reset(conversationId);
    if (events.length === 0) {
      return;
    }
    this.contiguous = Math.min(...events.map((event) => event.seq)) - 1;
    for (const event of events) {
      this.apply(event);
    }
  }

  /** The highest seq held with nothing missing before it, or null when nothing is held. */
  resumeSeq(): number | null {
    return this.contiguous > 0 ? this.contiguous : null;
  }

  /** Every held event, in seq order. */
  list(): readonly ConversationEvent[] {
    if (this.sorted === null) {
      this.sorted = [...this.events.values()].sort((a, b) => a.seq - b.seq);
    }
    return this.sorted;
  }

  /** Whether a message with this client id is held. */
  hasMessage(clientMsgId: string): boolean {
    return this.list().some(
      (event) => event.body.type === "message" && event.body.client_msg_id === clientMsgId,
    );
  }
}
