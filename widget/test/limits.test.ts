import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as limits from "../src/limits";
import { PROTOCOL_VERSION } from "../src/protocol";

const protocolSrc = join(dirname(fileURLToPath(import.meta.url)), "../../crates/protocol/src");

function rustConstant(file: string, name: string): number {
  const source = readFileSync(join(protocolSrc, file), "utf8");
  const match = new RegExp(`pub const ${name}: \\w+ = ([^;]+);`).exec(source);
  if (!match) {
    throw new Error(`${name} not found in ${file}`);
  }
  return Function(`return (${match[1].replace(/_/g, "")});`)() as number;
}

describe("limits", () => {
  it("match the protocol crate", () => {
    for (const name of [
      "MAX_MESSAGE_BYTES",
      "MAX_URL_BYTES",
      "MAX_TITLE_CHARS",
      "MAX_SURVEY_VALUE_CHARS",
      "MAX_NAME_CHARS",
      "MAX_FILE_BYTES",
    ] as const) {
      expect(limits[name], name).toBe(rustConstant("limits.rs", name));
    }
    expect(PROTOCOL_VERSION).toBe(rustConstant("lib.rs", "PROTOCOL_VERSION"));
  });

  it("count UTF-8 bytes", () => {
    expect(limits.utf8Bytes("abc")).toBe(3);
    expect(limits.utf8Bytes("🙂")).toBe(4);
  });
});
