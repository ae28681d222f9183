/**
 * Reconnect delays: exponential backoff from 0.5 s up to 20 s with "equal jitter" (half of each
 * step is fixed, half random), so a server restart is not met by every widget at the same
 * instant.
 */

/** Shortest delay before a reconnect attempt, in milliseconds. */
export const MIN_RECONNECT_MS = 500;
/** Longest delay before a reconnect attempt, in milliseconds. */
export const MAX_RECONNECT_MS = 20_000;

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry after a drop).
 * `random` returns a number in [0, 1), like `Math.random`.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0) + 1, 16);
  const ceiling = Math.min(MAX_RECONNECT_MS, MIN_RECONNECT_MS * 2 ** exponent);
  const delay = ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(Math.min(MAX_RECONNECT_MS, Math.max(MIN_RECONNECT_MS, delay)));
}
