// Editing the message input the way the webview edits it, so that Undo and Redo (Ctrl+Z,
// Ctrl+Y) cover what the toolbar, the context menu and canned responses do too.

/** Inserts `text` over the selection, as if typed (undoable). */
export function insertText(input: HTMLTextAreaElement, text: string): void {
  input.focus();
  if (!runCommand("insertText", text)) {
    input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
  }
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Replaces the whole input with `text` (undoable), the caret at `caret`. */
export function replaceAll(input: HTMLTextAreaElement, text: string, caret: number = text.length): void {
  input.focus();
  input.select();
  insertText(input, text);
  input.selectionStart = input.selectionEnd = caret;
}

/** Undo, Redo or Select All on the input, by the webview's own commands. */
export function edit(input: HTMLTextAreaElement, command: "undo" | "redo" | "selectAll"): void {
  input.focus();
  if (command === "selectAll") {
    input.select();
    return;
  }
  runCommand(command);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** The selected text of the input. */
export function selectedText(input: HTMLTextAreaElement): string {
  return input.value.slice(input.selectionStart, input.selectionEnd);
}

/** Copies the selection to the clipboard through `write`; with `cut`, removes it (undoable). */
export async function copySelection(input: HTMLTextAreaElement, write: (text: string) => Promise<void>, cut: boolean): Promise<void> {
  const text = selectedText(input);
  if (!text) return;
  await write(text);
  if (cut) insertText(input, "");
}

/** Sets the writing direction of the input: left-to-right, right-to-left, or from its text. */
export function setDirection(input: HTMLTextAreaElement, dir: "ltr" | "rtl" | "auto"): void {
  input.dir = dir;
}

function runCommand(command: string, value?: string): boolean {
  // execCommand is deprecated but is still the only way to edit with the browser's undo stack
  const run = (document as { execCommand?: (c: string, ui: boolean, v?: string) => boolean }).execCommand;
  if (typeof run !== "function") return false;
  try {
    return run.call(document, command, false, value);
  } catch {
    return false;
  }
}
