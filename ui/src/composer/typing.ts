// When to tell the visitor that the operator is typing: "typing" on the first keystroke and
// again every few seconds while it goes on, "stopped" after a pause, on sending, and when the
// operator switches to another chat. Few signals, never one per keystroke.

/** Seconds-scale timings of the typing signal. */
export const TYPING_REPEAT_MS = 3000;
/** After this long without a keystroke, typing has stopped. */
export const TYPING_IDLE_MS = 4000;

/** Timers, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (id) => window.clearTimeout(id),
};

/** Turns keystrokes into few typing signals for one chat at a time. */
export class TypingSignal {
  private chat: string | null = null;
  private lastSent = 0;
  private idle: number | null = null;

  constructor(
    private send: (conversationId: string, typing: boolean) => void,
    private clock: Clock = realClock,
  ) {}

  /** The operator typed in chat `conversationId`; `empty` when the input is now empty. */
  input(conversationId: string, empty: boolean): void {
    if (this.chat !== conversationId) this.stop();
    if (empty) {
      this.stop();
      return;
    }
    const now = this.clock.now();
    if (this.chat === null || now - this.lastSent >= TYPING_REPEAT_MS) {
      this.chat = conversationId;
      this.lastSent = now;
      this.send(conversationId, true);
    }
    if (this.idle !== null) this.clock.clearTimeout(this.idle);
    this.idle = this.clock.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Typing stopped (sent, paused, or another chat): says so once. */
  stop(): void {
    if (this.idle !== null) this.clock.clearTimeout(this.idle);
    this.idle = null;
    if (this.chat !== null) {
      const chat = this.chat;
      this.chat = null;
      this.send(chat, false);
    }
  }
}
