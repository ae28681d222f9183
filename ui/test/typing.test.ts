import { describe, expect, it } from "vitest";

import { TYPING_IDLE_MS, TYPING_REPEAT_MS, TypingSignal, type Clock } from "../src/composer/typing";

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimeout(run, ms) {
      timers.push({ at: now + ms, run, id: next });
      return next++;
    },
    clearTimeout(id) {
      timers = timers.filter((t) => t.id !== id);
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
  const clock = manualClock();
  const sent: [string, boolean][] = [];
  const signal = new TypingSignal((id, typing) => sent.push([id, typing]), clock);
  return { clock, sent, signal };
}

describe("typing signal", () => {
  it("says typing once per few seconds of keystrokes, then stopped after a pause", () => {
    const { clock, sent, signal } = setup();
    for (let n = 0; n < 10; n++) {
      signal.input("a", false);
      clock.advance(200);
    }
    expect(sent).toEqual([["a", true]]);
    clock.advance(TYPING_REPEAT_MS);
    signal.input("a", false);
    expect(sent).toEqual([["a", true], ["a", true]]);
    clock.advance(TYPING_IDLE_MS);
    expect(sent.at(-1)).toEqual(["a", false]);
  });

  it("says stopped when the input is emptied or another chat is typed in", () => {
    const { sent, signal } = setup();
    signal.input("a", false);
    signal.input("a", true);
    signal.input("b", false);
    signal.input("a", false);
    expect(sent).toEqual([
      ["a", true],
      ["a", false],
      ["b", true],
      ["b", false],
      ["a", true],
    ]);
  });

  it("says nothing when stopped without typing", () => {
    const { sent, signal } = setup();
    signal.stop();
    expect(sent).toEqual([]);
  });
});
