/**
 * A form built from a list of `SurveyField`s (the pre-chat survey and the offline-message form):
 * a labelled input per field, with its error shown next to it and announced to screen readers.
 * Field ids are `<prefix>-<key>`, their errors `<prefix>-<key>-error`.
 */
import type { SurveyField } from "../../protocol";

/** The id-safe form of a field key. */
export function fieldId(prefix: string, key: string): string {
  return `${prefix}-${key.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}`;
}

interface FieldControls {
  readonly field: SurveyField;
  readonly label: HTMLLabelElement;
  readonly input: HTMLInputElement | HTMLTextAreaElement;
  readonly error: HTMLElement;
}

/** The inputs of one form. */
export class FieldsView {
  private controls: FieldControls[] = [];
  private signature = "";

  /** Builds (later: rebuilds) the fields inside `container`. */
  constructor(
    private readonly container: HTMLElement,
    private readonly prefix: string,
  ) {}

  /** Shows these fields; keeps what was typed when the list did not change. */
  setFields(fields: readonly SurveyField[]): void {
    const signature = JSON.stringify(fields);
    if (signature === this.signature) {
      return;
    }
    this.signature = signature;
    this.controls = fields.map((field) => this.build(field));
    this.container.replaceChildren(
      ...this.controls.map(({ label, input, error }) => {
        const wrapper = this.container.ownerDocument.createElement("div");
        wrapper.className = "sb-field";
        wrapper.append(label, input, error);
        return wrapper;
      }),
    );
  }

  /** The typed values by field key. */
  values(): Record<string, string> {
    return Object.fromEntries(this.controls.map(({ field, input }) => [field.key, input.value]));
  }

  /** Marks invalid fields (and clears the others); focuses the first invalid one. */
  showErrors(errors: ReadonlyMap<string, string>): void {
    let first: HTMLElement | null = null;
    for (const { field, input, error } of this.controls) {
      const message = errors.get(field.key) ?? "";
      error.textContent = message;
      error.hidden = message === "";
      input.setAttribute("aria-invalid", String(message !== ""));
      if (message !== "" && first === null) {
        first = input;
      }
    }
    first?.focus();
  }

  /** Empties every input and error. */
  clear(): void {
    for (const { input } of this.controls) {
      input.value = "";
    }
    this.showErrors(new Map());
  }

  /** Fills a field (e.g. the name from the survey into the offline form) if it is empty. */
  prefill(key: string, value: string): void {
    const control = this.controls.find(({ field }) => field.key === key);
    if (control && control.input.value === "") {
      control.input.value = value;
    }
  }

  /** The first input, to focus when the form shows. */
  firstInput(): HTMLElement | null {
    return this.controls[0]?.input ?? null;
  }

  private build(field: SurveyField): FieldControls {
    const doc = this.container.ownerDocument;
    const id = fieldId(this.prefix, field.key);
    const input = doc.createElement(field.kind === "textarea" ? "textarea" : "input");
    input.id = id;
    input.name = field.key;
    input.required = field.required;
    input.setAttribute("aria-invalid", "false");
    input.setAttribute("aria-describedby", `${id}-error`);
    if (input instanceof HTMLInputElement) {
      input.type = field.kind === "email" ? "email" : "text";
      input.autocomplete = field.kind === "email" ? "email" : field.key === "name" ? "name" : "on";
    } else {
      input.rows = 3;
    }
    const label = doc.createElement("label");
    label.htmlFor = id;
    label.textContent = field.label;
    if (field.required) {
      const mark = doc.createElement("span");
      mark.className = "sb-required";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = " *";
      label.append(mark);
    }
    const error = doc.createElement("p");
    error.id = `${id}-error`;
    error.className = "sb-field-error";
    error.setAttribute("role", "alert");
    error.hidden = true;
    return { field, label, input, error };
  }
}
