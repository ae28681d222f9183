/**
 * When to tell the operators that the visitor is typing: "typing" on the first keystroke and
 * again every few seconds while it goes on, "stopped" after a pause, when the field is emptied
 * and when the message is sent. With sneak peek on (agents see the unsent text) the text goes
 * along, at most twice a second, the last version always following. Never one frame per key.
 */

/** While typing goes on, "typing" is repeated this often. */
export const TYPING_REPEAT_MS = 3000;
/** With sneak peek, the unsent text is sent at most this often. */
export const PEEK_INTERVAL_MS = 500;
/** After this long without a keystroke, typing has stopped. */
export const TYPING_IDLE_MS = 4000;

/** Timers, injectable for tests. */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Turns the visitor's keystrokes into few typing signals. */
export class TypingReporter {
  private active = false;
  private lastSent = 0;
  private sentText: string | null = null;
  private latest: string | null = null;
  private trailing: unknown = null;
  private idle: unknown = null;

  constructor(
    private readonly send: (typing: boolean, text: string | null) => void,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** The field now holds `text`; `sneakPeek` when agents may see it. */
  input(text: string, sneakPeek: boolean): void {
    if (text.trim() === "") {
      this.stop();
      return;
    }
    this.latest = sneakPeek ? text : null;
    if (this.idle !== null) {
      this.timers.clearTimeout(this.idle);
    }
    this.idle = this.timers.setTimeout(() => this.stop(), TYPING_IDLE_MS);
    const interval = sneakPeek ? PEEK_INTERVAL_MS : TYPING_REPEAT_MS;
    const due = this.lastSent + interval - this.timers.now();
    if (!this.active || due <= 0) {
      this.flush();
    } else if (sneakPeek && this.trailing === null) {
      this.trailing = this.timers.setTimeout(() => this.flush(), due);
    }
  }

  /** Typing stopped: says so once. */
  stop(): void {
    for (const handle of [this.idle, this.trailing]) {
      if (handle !== null) {
        this.timers.clearTimeout(handle);
      }
    }
    this.idle = null;
    this.trailing = null;
    if (this.active) {
      this.active = false;
      this.sentText = null;
      this.send(false, null);
    }
  }

  private flush(): void {
    this.trailing = null;
    if (this.active && this.latest === this.sentText && this.timers.now() - this.lastSent < TYPING_REPEAT_MS) {
      return;
    }
    this.active = true;
    this.lastSent = this.timers.now();
    this.sentText = this.latest;
    this.send(true, this.latest);
  }
}
