// The message composer of the chat pane: the toolbar (canned responses, emoticons, Cut, Copy,
// Paste, Undo, Redo), the input with its context menu, `#shortcut` + Tab expansion, the
// typing signal, and one draft per chat that is kept while switching tabs and saved to disk
// (through the core) so that it survives a restart. Enter sends, Ctrl+Enter breaks the line.

import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";
import type { Emoticon } from "../../../crates/protocol/bindings/Emoticon";
import type { ComposerPrefs } from "../bindings/ComposerPrefs";
import type { Draft } from "../bindings/Draft";
import { el } from "../format";
import { expandShortcut, fillPlaceholders, type PlaceholderContext } from "./canned";
import { ContextMenu } from "./contextMenu";
import { copySelection, edit, insertText, replaceAll, setDirection } from "./editing";
import { EmoticonPicker } from "./emoticons";
import { CannedPicker } from "./picker";
import { TypingSignal } from "./typing";

/** What the composer asks of the app. */
export interface ComposerActions {
  send(conversationId: string, text: string): void;
  typing(conversationId: string, typing: boolean): void;
  /** Keeps a draft on disk; resolves once it is written (or failed and was reported). */
  saveDraft(conversationId: string, text: string): Promise<void>;
  readClipboard(): Promise<string>;
  writeClipboard(text: string): Promise<void>;
  manageCanned(): void;
}

/** A draft is written to disk this long after the last keystroke (or at once on switching). */
const DRAFT_SAVE_DELAY_MS = 400;

/** The composer. */
export class Composer {
  readonly root = el("div", "composer-box");
  readonly input = el("textarea", "composer", undefined, "composer");
  private toolbar = el("div", "composer-toolbar", undefined, "composer-toolbar");
  private menu = new ContextMenu();
  private picker: CannedPicker;
  private emoticons: EmoticonPicker;
  private typing: TypingSignal;
  private drafts = new Map<string, string>();
  private unsaved = new Set<string>();
  private saveTimer: number | null = null;
  private saving = 0;
  private chatId: string | null = null;
  private canned: readonly CannedResponse[] = [];
  private context: PlaceholderContext = { visitor: { name: "", email: null }, operator: { name: "", email: "" } };

  constructor(private actions: ComposerActions) {
    this.typing = new TypingSignal((id, typing) => actions.typing(id, typing));
    const cannedButton = this.button("📋 Canned", "canned-button", "Canned responses (Ctrl+Shift+C)", () => this.openPicker());
    const emoticonButton = this.button("🙂", "emoticon-button", "Emoticons", () => this.emoticons.open());
    this.picker = new CannedPicker(
      cannedButton,
      { insert: (r) => this.insertCanned(r), send: (r) => this.sendCanned(r), manage: () => actions.manageCanned() },
      () => this.input.focus(),
    );
    this.emoticons = new EmoticonPicker(emoticonButton, (text) => insertText(this.input, text), () => this.input.focus());
    const separator = () => el("span", "toolbar-separator");
    this.toolbar.setAttribute("role", "toolbar");
    this.toolbar.setAttribute("aria-label", "Message tools");
    this.toolbar.append(
      cannedButton,
      emoticonButton,
      separator(),
      this.button("Cut", "edit-cut", "Cut (Ctrl+X)", () => this.copy(true)),
      this.button("Copy", "edit-copy", "Copy (Ctrl+C)", () => this.copy(false)),
      this.button("Paste", "edit-paste", "Paste (Ctrl+V)", () => this.paste()),
      separator(),
      this.button("Undo", "edit-undo", "Undo (Ctrl+Z)", () => edit(this.input, "undo")),
      this.button("Redo", "edit-redo", "Redo (Ctrl+Y)", () => edit(this.input, "redo")),
    );
    this.input.rows = 3;
    this.input.dir = "auto";
    this.input.spellcheck = true;
    this.input.placeholder = "Type a message — Enter sends, Ctrl+Enter adds a line, #shortcut + Tab inserts a canned response";
    this.input.setAttribute("aria-label", "Message");
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("contextmenu", (event) => this.onContextMenu(event));
    this.root.append(this.picker.popover.root, this.emoticons.popover.root, this.toolbar, this.input, this.menu.root);
  }

  /** Drafts kept from an earlier run. */
  loadDrafts(drafts: readonly Draft[]): void {
    for (const { conversation_id, text } of drafts) {
      if (!this.drafts.has(conversation_id)) this.drafts.set(conversation_id, text);
    }
    if (this.chatId && this.input.value === "") this.input.value = this.drafts.get(this.chatId) ?? "";
  }

  /** The canned responses to offer. */
  setCanned(responses: readonly CannedResponse[]): void {
    this.canned = responses;
    this.picker.setResponses(responses);
  }

  /** The emoticon table of the server. */
  setEmoticons(emoticons: readonly Emoticon[]): void {
    this.emoticons.setEmoticons(emoticons);
  }

  /** Applies the view settings (spell check). */
  setPrefs(prefs: ComposerPrefs): void {
    this.input.spellcheck = prefs.spell_check;
  }

  /** Shows chat `id` (its draft), or nothing; `disabled` for an ended chat. */
  show(id: string | null, disabled: boolean, context: PlaceholderContext): void {
    this.context = context;
    if (id !== this.chatId) {
      this.typing.stop();
      this.flushDrafts();
      this.chatId = id;
      this.input.value = id ? (this.drafts.get(id) ?? "") : "";
      setDirection(this.input, "auto");
    }
    this.input.disabled = disabled;
    this.toolbar.querySelectorAll("button").forEach((button) => (button.disabled = disabled));
  }

  /** Adds more tools (e.g. files and screenshots) at the end of the toolbar. */
  addTools(...buttons: HTMLButtonElement[]): void {
    this.toolbar.append(el("span", "toolbar-separator"), ...buttons);
  }

  focus(): void {
    if (!this.input.disabled) this.input.focus();
  }

  /** Opens the canned responses picker. */
  openPicker(): void {
    if (!this.input.disabled) this.picker.open();
  }

  /** Inserts a canned response (placeholders filled) at the caret. */
  insertCanned(response: CannedResponse): void {
    if (this.input.disabled) return;
    insertText(this.input, fillPlaceholders(response.text, this.context));
  }

  /** Sends a canned response as is (placeholders filled), leaving the draft alone. */
  sendCanned(response: CannedResponse): void {
    if (!this.chatId || this.input.disabled) return;
    this.actions.send(this.chatId, fillPlaceholders(response.text, this.context));
  }

  private button(label: string, testId: string, title: string, run: () => void): HTMLButtonElement {
    const button = el("button", "tool", label, testId);
    button.type = "button";
    button.title = title;
    button.setAttribute("aria-label", title);
    // toolbar buttons act on the input's selection: do not take the focus from it
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", run);
    return button;
  }

  private copy(cut: boolean): void {
    void copySelection(this.input, (text) => this.actions.writeClipboard(text), cut);
  }

  private async paste(): Promise<void> {
    const text = await this.actions.readClipboard();
    if (text) insertText(this.input, text);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key === "Tab" && !ctrl && !event.shiftKey && !event.altKey) {
      const { selectionStart, selectionEnd, value } = this.input;
      const expansion = selectionStart === selectionEnd ? expandShortcut(value, selectionStart, this.canned, this.context) : null;
      if (expansion) {
        event.preventDefault();
        replaceAll(this.input, expansion.value, expansion.caret);
      }
      return;
    }
    if (ctrl && !event.shiftKey && event.key.toLowerCase() === "y") {
      event.preventDefault();
      edit(this.input, "redo");
      return;
    }
    if (ctrl && event.shiftKey && event.key.toLowerCase() === "c") {
      event.preventDefault();
      this.openPicker();
      return;
    }
    if (event.key !== "Enter") return;
    if (ctrl) {
      event.preventDefault();
      insertText(this.input, "\n");
      return;
    }
    if (event.shiftKey) return;
    event.preventDefault();
    const text = this.input.value;
    if (!this.chatId || text.trim() === "") return;
    this.actions.send(this.chatId, text);
    this.input.value = "";
    this.typing.stop();
    this.setDraft(this.chatId, "");
  }

  private onInput(): void {
    if (!this.chatId) return;
    this.setDraft(this.chatId, this.input.value);
    this.typing.input(this.chatId, this.input.value.trim() === "");
  }

  private setDraft(id: string, text: string): void {
    if (text) this.drafts.set(id, text);
    else this.drafts.delete(id);
    this.unsaved.add(id);
    this.input.dataset.draft = "unsaved";
    if (this.saveTimer !== null) window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.flushDrafts(), DRAFT_SAVE_DELAY_MS);
  }

  /** Writes every changed draft now. */
  flushDrafts(): void {
    if (this.saveTimer !== null) window.clearTimeout(this.saveTimer);
    this.saveTimer = null;
    for (const id of this.unsaved) {
      this.saving += 1;
      this.input.dataset.draft = "saving";
      void this.actions.saveDraft(id, this.drafts.get(id) ?? "").finally(() => {
        this.saving -= 1;
        // `data-draft="saved"`: every draft typed so far is on disk
        if (this.saving === 0 && this.unsaved.size === 0) this.input.dataset.draft = "saved";
      });
    }
    this.unsaved.clear();
  }

  private onContextMenu(event: MouseEvent): void {
    if (event.shiftKey) return; // the webview's own menu, with spelling suggestions
    event.preventDefault();
    const input = this.input;
    const selected = input.selectionStart !== input.selectionEnd;
    this.menu.open(event, [
      { label: "Cut", testId: "menu-cut", disabled: !selected || input.disabled, run: () => this.copy(true) },
      { label: "Copy", testId: "menu-copy", disabled: !selected, run: () => this.copy(false) },
      { label: "Paste", testId: "menu-paste", disabled: input.disabled, run: () => void this.paste() },
      { label: "Select All", testId: "menu-select-all", run: () => edit(input, "selectAll") },
      null,
      { label: "Left-to-Right", testId: "menu-ltr", checked: input.dir === "ltr", run: () => setDirection(input, "ltr") },
      { label: "Right-to-Left", testId: "menu-rtl", checked: input.dir === "rtl", run: () => setDirection(input, "rtl") },
    ]);
  }
}
