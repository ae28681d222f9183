/**
 * Limits the server enforces, checked early in the widget to give a clear message before
 * sending. The values mirror `crates/protocol/src/limits.rs`; a unit test reads that file and
 * fails when they drift apart.
 */

/** Longest message text, in bytes of UTF-8. */
export const MAX_MESSAGE_BYTES = 8 * 1024;
/** Longest page URL the widget may report, in bytes. */
export const MAX_URL_BYTES = 2048;
/** Longest page title the widget may report, in characters. */
export const MAX_TITLE_CHARS = 300;
/** Longest value of one pre-chat survey field, in characters. */
export const MAX_SURVEY_VALUE_CHARS = 500;
/** Largest file the server accepts, in bytes (100 MB); an account may set less. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Longest visitor display name, in characters. */
export const MAX_NAME_CHARS = 80;

/** UTF-8 length of a string, in bytes. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
