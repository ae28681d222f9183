import { describe, expect, it } from "vitest";
import { MAX_RECONNECT_MS, MIN_RECONNECT_MS, reconnectDelay } from "../src/chat/backoff";

describe("reconnect backoff", () => {
  it("first retry waits between half a second and a second", () => {
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(0, () => 0.999999)).toBe(1000);
  });

  it("doubles the window with every attempt", () => {
    const lows = [0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, () => 0));
    expect(lows).toEqual([500, 1000, 2000, 4000]);
  });

  it("never waits longer than 20 seconds or shorter than half a second", () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = reconnectDelay(attempt, () => random);
        expect(delay).toBeGreaterThanOrEqual(MIN_RECONNECT_MS);
        expect(delay).toBeLessThanOrEqual(MAX_RECONNECT_MS);
      }
    }
    expect(reconnectDelay(40, () => 0.999)).toBeGreaterThan(19_900);
  });

  it("spreads retries of the same attempt apart (jitter)", () => {
    expect(reconnectDelay(4, () => 0.1)).not.toBe(reconnectDelay(4, () => 0.9));
  });
});
