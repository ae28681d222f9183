import { describe, expect, it } from "vitest";

import type { CannedResponse } from "../../crates/protocol/bindings/CannedResponse";
import { expandShortcut, fillPlaceholders, groupCanned, searchCanned, type PlaceholderContext } from "../src/composer/canned";

const context: PlaceholderContext = {
  visitor: { name: "Vera Visitor", email: "vera@example.com" },
  operator: { name: "Ann Operator", email: "ann@example.com" },
};

function response(id: string, shortcut: string | null, title: string, text: string, extra: Partial<CannedResponse> = {}): CannedResponse {
  return { id, scope: "company", group: "", shortcut, title, text, ...extra };
}

const list = [
  response("1", "hello", "Greeting", "Hello {visitor.first_name}, I am {operator.name}.", { group: "Greetings" }),
  response("2", "thanks", "Thanks", "Thank you for waiting!", { group: "Greetings" }),
  response("3", "refund", "Refund policy", "Refunds take 5 days.", { group: "Billing" }),
  response("4", "thanks", "My thanks", "Thanks a lot, {visitor.name}!", { scope: "personal" }),
];

describe("placeholders", () => {
  it("fills in visitor and operator fields and leaves unknown braces alone", () => {
    expect(fillPlaceholders("Hi {visitor.name} <{visitor.email}> — {operator.first_name} {order.id}", context)).toBe(
      "Hi Vera Visitor <vera@example.com> — Ann {order.id}",
    );
  });

  it("fills a missing email with nothing", () => {
    expect(fillPlaceholders("[{visitor.email}]", { ...context, visitor: { name: "V", email: null } })).toBe("[]");
  });
});

describe("shortcut expansion", () => {
  it("replaces the #shortcut before the caret and puts the caret after the text", () => {
    const value = "Sure. #hello";
    const expanded = expandShortcut(value, value.length, list, context);
    expect(expanded?.value).toBe("Sure. Hello Vera, I am Ann Operator.");
    expect(expanded?.caret).toBe(expanded?.value.length);
  });

  it("works in the middle of the text, case-insensitively", () => {
    const value = "#REFUND and more";
    expect(expandShortcut(value, 7, list, context)?.value).toBe("Refunds take 5 days. and more");
  });

  it("prefers the operator's own response over the company's with the same shortcut", () => {
    expect(expandShortcut("#thanks", 7, list, context)?.value).toBe("Thanks a lot, Vera Visitor!");
  });

  it("does nothing for unknown shortcuts, hashes inside words, or text after the caret", () => {
    expect(expandShortcut("#nope", 5, list, context)).toBeNull();
    expect(expandShortcut("issue#hello", 11, list, context)).toBeNull();
    expect(expandShortcut("#hello", 3, list, context)).toBeNull();
    expect(expandShortcut("", 0, list, context)).toBeNull();
  });
});

describe("search", () => {
  it("ranks an exact shortcut first, then titles, groups and texts", () => {
    const ids = (query: string) => searchCanned(list, query).map((r) => r.id);
    expect(ids("#refund")).toEqual(["3"]);
    expect(ids("thanks")).toEqual(["2", "4"]);
    expect(ids("greet")).toEqual(["1", "2"]);
    expect(ids("days")).toEqual(["3"]);
  });

  it("needs every word to match, and an empty query keeps the list order", () => {
    expect(searchCanned(list, "refund days").map((r) => r.id)).toEqual(["3"]);
    expect(searchCanned(list, "refund hello")).toEqual([]);
    expect(searchCanned(list, "  ").map((r) => r.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("finds one of two thousand responses", () => {
    const many = Array.from({ length: 2000 }, (_, n) => response(`r${n}`, `s${n}`, `Answer number ${n}`, `Text ${n}`));
    expect(searchCanned(many, "#s1234")[0].id).toBe("r1234");
    expect(searchCanned(many, "number 1999").map((r) => r.id)).toEqual(["r1999"]);
  });
});

describe("grouping", () => {
  it("groups by scope and group in list order", () => {
    expect(groupCanned(list).map((g) => [g.label, g.responses.map((r) => r.id)])).toEqual([
      ["Company · Greetings", ["1", "2"]],
      ["Company · Billing", ["3"]],
      ["Mine", ["4"]],
    ]);
  });
});
