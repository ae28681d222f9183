import { describe, expect, it } from "vitest";
import { PEEK_INTERVAL_MS, TYPING_IDLE_MS, TYPING_REPEAT_MS, TypingReporter, type Timers } from "../src/chat/typing";

function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  let timers: { at: number; run: () => void; id: number }[] = [];
  return {
    now: () => now,
    setTimeout(run, ms) {
      timers.push({ at: now + ms, run, id: next });
      return next++;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.run());
    },
  };
}

function setup() {
  const timers = manualTimers();
  const sent: [boolean, string | null][] = [];
  const reporter = new TypingReporter((typing, text) => sent.push([typing, text]), timers);
  return { timers, sent, reporter };
}

describe("typing reporter", () => {
  it("without sneak peek sends no text and few signals, then stopped after a pause", () => {
    const { timers, sent, reporter } = setup();
    for (const text of ["h", "he", "hel", "hell", "hello"]) {
      reporter.input(text, false);
      timers.advance(100);
    }
    expect(sent).toEqual([[true, null]]);
    timers.advance(TYPING_REPEAT_MS);
    reporter.input("hello!", false);
    expect(sent).toEqual([[true, null], [true, null]]);
    timers.advance(TYPING_IDLE_MS);
    expect(sent.at(-1)).toEqual([false, null]);
  });

  it("with sneak peek sends the text at most twice a second and always the latest", () => {
    const { timers, sent, reporter } = setup();
    reporter.input("w", true);
    reporter.input("wh", true);
    reporter.input("whe", true);
    expect(sent).toEqual([[true, "w"]]);
    timers.advance(PEEK_INTERVAL_MS);
    expect(sent).toEqual([[true, "w"], [true, "whe"]]);
  });

  it("says stopped when the field is emptied, once", () => {
    const { sent, reporter } = setup();
    reporter.input("x", true);
    reporter.input("", true);
    reporter.stop();
    expect(sent).toEqual([[true, "x"], [false, null]]);
  });
});
