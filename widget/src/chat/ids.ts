/**
 * Client-generated ids (`client_msg_id`). `crypto.randomUUID` exists only in secure contexts, so
 * the id is built from `crypto.getRandomValues`, which works on plain http too.
 */

/** A random RFC 4122 version 4 UUID. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
