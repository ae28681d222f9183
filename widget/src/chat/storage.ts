/**
 * What the widget remembers across page loads: the visitor token (so a reload or another page of
 * the site resumes the same visitor and chat), unconfirmed messages, how far the visitor has
 * read, and whether the chat window was open. Storage can be unavailable (privacy settings,
 * blocked third-party storage): then the widget still works for the life of the page.
 */
import type { OutboxEntry } from "./outbox";

const TOKEN_KEY = "switchboard.visitor_token";
const OUTBOX_KEY = "switchboard.outbox";
const SEEN_KEY = "switchboard.seen";
const OPEN_KEY = "switchboard.open";

/** A `Storage` that never throws: reads give null and writes are dropped when it fails. */
class SafeStorage {
  private readonly memory = new Map<string, string>();

  constructor(private readonly backing: () => Storage) {}

  get(key: string): string | null {
    try {
      return this.backing().getItem(key);
    } catch {
      return this.memory.get(key) ?? null;
    }
  }

  set(key: string, value: string | null): void {
    if (value === null) {
      this.memory.delete(key);
    } else {
      this.memory.set(key, value);
    }
    try {
      if (value === null) {
        this.backing().removeItem(key);
      } else {
        this.backing().setItem(key, value);
      }
    } catch {
      // Storage is blocked or full: the in-memory copy is all we have.
    }
  }
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  const entry = value as OutboxEntry;
  return (
    typeof entry === "object" &&
    entry !== null &&
    typeof entry.clientMsgId === "string" &&
    typeof entry.text === "string" &&
    typeof entry.conversationId === "string" &&
    typeof entry.createdAt === "number"
  );
}

/** The widget's persistent memory. */
export class WidgetStorage {
  private readonly local: SafeStorage;
  private readonly session: SafeStorage;

  /** Uses the window's localStorage and sessionStorage. */
  constructor(win: Window) {
    this.local = new SafeStorage(() => win.localStorage);
    this.session = new SafeStorage(() => win.sessionStorage);
  }

  /** The visitor token from the last `Welcome`. */
  get visitorToken(): string | null {
    return this.local.get(TOKEN_KEY);
  }

  set visitorToken(token: string | null) {
    this.local.set(TOKEN_KEY, token);
  }

  /** Unconfirmed messages of a started conversation. */
  loadOutbox(): OutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(this.local.get(OUTBOX_KEY) ?? "[]");
      return Array.isArray(parsed)
        ? parsed.filter(isOutboxEntry).map((entry) => ({ ...entry, seq: null, error: null }))
        : [];
    } catch {
      return [];
    }
  }

  /** Saves the messages of a started conversation that the server has not confirmed yet. */
  saveOutbox(entries: readonly OutboxEntry[]): void {
    const kept = entries.filter(
      (entry) => entry.conversationId !== null && entry.seq === null && entry.error === null,
    );
    this.local.set(OUTBOX_KEY, kept.length > 0 ? JSON.stringify(kept) : null);
  }

  /** The highest seq the visitor has seen in `conversationId`. */
  seenSeq(conversationId: string): number {
    const [id, seq] = (this.local.get(SEEN_KEY) ?? "").split(" ");
    return id === conversationId ? Number(seq) || 0 : 0;
  }

  /** Remembers how far the visitor has read `conversationId`. */
  saveSeenSeq(conversationId: string, seq: number): void {
    this.local.set(SEEN_KEY, `${conversationId} ${seq}`);
  }

  /** Whether the chat window was open on the previous page of this tab. */
  get panelOpen(): boolean {
    return this.session.get(OPEN_KEY) === "1";
  }

  set panelOpen(open: boolean) {
    this.session.set(OPEN_KEY, open ? "1" : null);
  }
}
