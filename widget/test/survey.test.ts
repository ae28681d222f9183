import { describe, expect, it } from "vitest";
import { isEmail, validateForm, validateOfflineMessage } from "../src/chat/survey";
import type { SurveyField } from "../src/protocol";

const fields: SurveyField[] = [
  { key: "name", label: "Your name", kind: "text", required: true },
  { key: "email", label: "Email", kind: "email", required: true },
  { key: "topic", label: "Topic", kind: "textarea", required: false },
];

describe("survey validation", () => {
  it("requires required fields", () => {
    const result = validateForm(fields, { name: "  ", email: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect([...result.errors.keys()]).toEqual(["name", "email"]);
      expect(result.errors.get("name")).toBe("Your name is required.");
    }
  });

  it("checks email addresses", () => {
    expect(isEmail("ann@example.com")).toBe(true);
    for (const bad of ["ann", "ann@", "ann@example", "a b@example.com", "ann@example."]) {
      expect(isEmail(bad)).toBe(false);
    }
    const result = validateForm(fields, { name: "Ann", email: "ann.example.com" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.get("email")).toMatch(/valid email/);
    }
  });

  it("returns trimmed answers and leaves out empty optional fields", () => {
    const result = validateForm(fields, { name: " Ann ", email: "ann@example.com ", topic: "" });
    expect(result).toEqual({
      ok: true,
      answers: [
        { key: "name", value: "Ann" },
        { key: "email", value: "ann@example.com" },
      ],
    });
  });

  it("bounds the length of each answer", () => {
    const result = validateForm(fields, { name: "A".repeat(501), email: "a@b.co" });
    expect(result.ok).toBe(false);
  });

  it("validates the offline message form", () => {
    expect(validateOfflineMessage({ name: "Ann", email: "nope", message: "hi" }).ok).toBe(false);
    expect(validateOfflineMessage({ name: "Ann", email: "ann@example.com", message: "" }).ok).toBe(
      false,
    );
    expect(
      validateOfflineMessage({ name: "Ann", email: "ann@example.com", message: " Call me " }),
    ).toEqual({ ok: true, name: "Ann", email: "ann@example.com", text: "Call me" });
  });
});
