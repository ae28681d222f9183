/**
 * Validation of the pre-chat survey and the offline-message form (both are lists of
 * `SurveyField`s): required fields, email addresses and length limits. Returns the answers to
 * send or a message per invalid field.
 */
import { MAX_MESSAGE_BYTES, MAX_NAME_CHARS, MAX_SURVEY_VALUE_CHARS, utf8Bytes } from "../limits";
import type { SurveyAnswer, SurveyField } from "../protocol";

/** The outcome of validating a form: answers when valid, else an error per field key. */
export type Validation =
  | { readonly ok: true; readonly answers: SurveyAnswer[] }
  | { readonly ok: false; readonly errors: ReadonlyMap<string, string> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Whether `value` looks like an email address (something@domain.tld, no spaces). */
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

function fieldError(field: SurveyField, value: string, maxChars: number): string | null {
  if (value === "") {
    return field.required ? `${field.label} is required.` : null;
  }
  if (field.kind === "email" && !isEmail(value)) {
    return "Please enter a valid email address, like name@example.com.";
  }
  if ([...value].length > maxChars) {
    return `Please keep this under ${maxChars} characters.`;
  }
  return null;
}

/**
 * Validates `values` (by field key) against `fields`. Values are trimmed; empty optional fields
 * are left out of the answers. `maxChars` bounds each value (the survey limit by default).
 */
export function validateForm(
  fields: readonly SurveyField[],
  values: Readonly<Record<string, string>>,
  maxChars: number = MAX_SURVEY_VALUE_CHARS,
): Validation {
  const errors = new Map<string, string>();
  const answers: SurveyAnswer[] = [];
  for (const field of fields) {
    const value = (values[field.key] ?? "").trim();
    const error = fieldError(field, value, maxChars);
    if (error !== null) {
      errors.set(field.key, error);
    } else if (value !== "") {
      answers.push({ key: field.key, value });
    }
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** The fields of the offline-message form. */
export const OFFLINE_FIELDS: readonly SurveyField[] = [
  { key: "name", label: "Your name", kind: "text", required: true },
  { key: "email", label: "Your email", kind: "email", required: true },
  { key: "message", label: "Message", kind: "textarea", required: true },
];

/** The offline message to send, or the errors per field. */
export function validateOfflineMessage(
  values: Readonly<Record<string, string>>,
):
  | { readonly ok: true; readonly name: string; readonly email: string; readonly text: string }
  | { readonly ok: false; readonly errors: ReadonlyMap<string, string> } {
  const result = validateForm(OFFLINE_FIELDS, values, MAX_MESSAGE_BYTES);
  if (!result.ok) {
    return result;
  }
  const value = (key: string) => result.answers.find((answer) => answer.key === key)?.value ?? "";
  const errors = new Map<string, string>();
  if ([...value("name")].length > MAX_NAME_CHARS) {
    errors.set("name", `Please keep your name under ${MAX_NAME_CHARS} characters.`);
  }
  if (utf8Bytes(value("message")) > MAX_MESSAGE_BYTES) {
    errors.set("message", "This message is too long.");
  }
  if (errors.size > 0) {
    return { ok: false, errors };
  }
  return { ok: true, name: value("name"), email: value("email"), text: value("message") };
}
