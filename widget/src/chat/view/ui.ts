/**
 * The chat window's DOM: finds the elements of `chat.html`, shows a `ViewModel`, and turns the
 * visitor's clicks and keys into calls on the widget. Focus follows the visitor: into the chat
 * window when it opens or changes screen, back to the chat button when it closes.
 */
import { MAX_MESSAGE_BYTES, utf8Bytes } from "../../limits";
import type { FileInfo } from "../../protocol";
import { formatBytes, type UploadView } from "../uploads";
import { OFFLINE_FIELDS, validateForm, validateOfflineMessage } from "../survey";
import type { Screen, ViewModel } from "../widget";
import { FieldsView } from "./form";
import { InvitationView } from "./invitation";
import { MessageList } from "./messages";

/** What the UI asks of the widget. */
export interface UiActions {
  setOpen(open: boolean): void;
  startChat(answers: { key: string; value: string }[]): void;
  send(text: string): void;
  typed(text: string): void;
  retry(clientMsgId: string): void;
  endChat(): void;
  newChat(): void;
  sendOfflineMessage(name: string, email: string, text: string): void;
  dismissInvitation(): void;
  upload(file: File): void;
  cancelUpload(id: string): void;
  resumeUpload(id: string): void;
  fileLink(file: FileInfo, inline: boolean): string | null;
}

function byId<T extends HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (element === null) {
    throw new Error(`chat.html lacks #${id}`);
  }
  return element as T;
}

const SCREENS: Record<Screen, string> = {
  connecting: "sb-connecting",
  survey: "sb-survey",
  chat: "sb-chat",
  offline: "sb-offline",
  "offline-sent": "sb-offline-sent",
};

/** The bound elements of the chat window. */
export class ChatUi {
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly connection: HTMLElement;
  private readonly endChat: HTMLButtonElement;
  private readonly closed: HTMLElement;
  private readonly composerForm: HTMLFormElement;
  private readonly composer: HTMLTextAreaElement;
  private readonly composerError: HTMLElement;
  private readonly messagesEl: HTMLElement;
  private readonly messages: MessageList;
  private readonly surveyFields: FieldsView;
  private readonly offlineFields: FieldsView;
  private readonly unread: HTMLElement;
  private readonly invitation: InvitationView;
  private readonly typing: HTMLElement;
  private readonly reconnecting: HTMLElement;
  private readonly peekNotice: HTMLElement;
  private readonly uploads: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private model: ViewModel | null = null;

  /** Binds to the elements of `doc` and wires the visitor's input to `actions`. */
  constructor(
    private readonly doc: Document,
    private readonly actions: UiActions,
  ) {
    this.launcher = byId(doc, "sb-launcher");
    this.panel = byId(doc, "sb-panel");
    this.subtitle = byId(doc, "sb-subtitle");
    this.connection = byId(doc, "sb-connection");
    this.endChat = byId(doc, "sb-end-chat");
    this.closed = byId(doc, "sb-closed");
    this.composerForm = byId(doc, "sb-composer-form");
    this.composer = byId(doc, "sb-composer");
    this.composerError = byId(doc, "sb-composer-error");
    this.messagesEl = byId(doc, "sb-messages");
    this.unread = byId(doc, "sb-unread");
    this.typing = byId(doc, "sb-typing");
    this.reconnecting = byId(doc, "sb-reconnecting");
    this.peekNotice = byId(doc, "sb-peek-notice");
    this.uploads = byId(doc, "sb-uploads");
    this.fileInput = byId(doc, "sb-file-input");
    this.messages = new MessageList(
      this.messagesEl,
      (id) => actions.retry(id),
      (file, inline) => actions.fileLink(file, inline),
    );
    this.surveyFields = new FieldsView(byId(doc, "sb-survey-fields"), "sb-survey");
    this.offlineFields = new FieldsView(byId(doc, "sb-offline-fields"), "sb-offline");
    this.offlineFields.setFields(OFFLINE_FIELDS);
    this.invitation = new InvitationView(byId(doc, "sb-invitation"), () =>
      actions.dismissInvitation(),
    );
    this.bind();
  }

  private bind(): void {
    this.launcher.addEventListener("click", () => this.actions.setOpen(!this.model?.open));
    byId(this.doc, "sb-minimize").addEventListener("click", () => this.actions.setOpen(false));
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.actions.setOpen(false);
      }
    });
    this.endChat.addEventListener("click", () => this.actions.endChat());
    byId(this.doc, "sb-new-chat").addEventListener("click", () => this.actions.newChat());
    byId<HTMLFormElement>(this.doc, "sb-survey").addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitSurvey();
    });
    byId<HTMLFormElement>(this.doc, "sb-offline").addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitOffline();
    });
    this.composerForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitMessage();
    });
    this.composer.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submitMessage();
      }
    });
    this.composer.addEventListener("input", () => {
      this.fitComposer();
      this.actions.typed(this.composer.value);
    });
    byId(this.doc, "sb-attach").addEventListener("click", () => this.fileInput.click());
    this.fileInput.addEventListener("change", () => {
      this.uploadAll(this.fileInput.files);
      this.fileInput.value = "";
    });
    this.acceptDroppedFiles();
  }

  /** Files dropped onto the open chat are sent like chosen ones. */
  private acceptDroppedFiles(): void {
    const canDrop = (event: DragEvent) =>
      event.dataTransfer?.types.includes("Files") === true &&
      this.model?.screen === "chat" &&
      !this.composerForm.hidden;
    this.panel.addEventListener("dragover", (event) => {
      if (!canDrop(event)) return;
      event.preventDefault();
      this.panel.classList.add("sb-dropping");
    });
    this.panel.addEventListener("dragleave", () => this.panel.classList.remove("sb-dropping"));
    this.panel.addEventListener("drop", (event) => {
      this.panel.classList.remove("sb-dropping");
      if (!canDrop(event)) return;
      event.preventDefault();
      this.uploadAll(event.dataTransfer?.files ?? null);
    });
  }

  private uploadAll(files: FileList | null): void {
    for (const file of Array.from(files ?? [])) this.actions.upload(file);
  }

  private submitSurvey(): void {
    const fields = this.model?.survey ?? [];
    const result = validateForm(fields, this.surveyFields.values());
    if (!result.ok) {
      this.surveyFields.showErrors(result.errors);
      return;
    }
    this.surveyFields.showErrors(new Map());
    const name = result.answers.find((answer) => answer.key === "name")?.value;
    if (name !== undefined) {
      this.offlineFields.prefill("name", name);
    }
    this.actions.startChat(result.answers);
  }

  private submitOffline(): void {
    const result = validateOfflineMessage(this.offlineFields.values());
    if (!result.ok) {
      this.offlineFields.showErrors(result.errors);
      return;
    }
    this.offlineFields.showErrors(new Map());
    this.actions.sendOfflineMessage(result.name, result.email, result.text);
  }

  private submitMessage(): void {
    const text = this.composer.value.trim();
    if (text === "") {
      return;
    }
    if (utf8Bytes(text) > MAX_MESSAGE_BYTES) {
      this.showComposerError("This message is too long. Please split it into shorter ones.");
      return;
    }
    this.showComposerError(null);
    this.composer.value = "";
    this.fitComposer();
    this.actions.send(text);
  }

  private showComposerError(message: string | null): void {
    this.composerError.textContent = message ?? "";
    this.composerError.hidden = message === null;
  }

  /** Grows the composer with its text, up to the height CSS allows. */
  private fitComposer(): void {
    const composer = this.composer;
    composer.style.height = "auto";
    const borders = composer.offsetHeight - composer.clientHeight;
    composer.style.height = `${composer.scrollHeight + borders}px`;
  }

  /** Shows `model`. */
  render(model: ViewModel): void {
    const previous = this.model;
    this.model = model;
    this.renderLauncher(model);
    this.renderConnection(model);
    this.subtitle.textContent = model.subtitle;
    this.panel.hidden = !model.open;
    this.doc.documentElement.dataset.open = String(model.open);
    for (const [screen, id] of Object.entries(SCREENS)) {
      byId(this.doc, id).hidden = screen !== model.screen;
    }
    this.surveyFields.setFields(model.survey);
    this.renderFormState("sb-survey", model.busy.survey, model.errors.survey);
    this.renderFormState("sb-offline", model.busy.offline, model.errors.offline);
    const closed = model.conversationState === "closed";
    this.closed.hidden = !closed;
    this.composerForm.hidden = closed;
    this.endChat.hidden = model.conversationState === null || closed;
    this.typing.textContent = model.operatorTyping === null ? "" : `${model.operatorTyping} is typing…`;
    this.typing.hidden = model.operatorTyping === null;
    this.reconnecting.textContent = model.reconnecting ?? "";
    this.reconnecting.hidden = model.reconnecting === null;
    this.peekNotice.hidden = !model.sneakPeek || closed;
    this.renderMessages(model);
    this.invitation.render(model.invitation);
    this.renderUploads(model.uploads);
    if (model.open && (previous?.open !== true || previous.screen !== model.screen)) {
      this.focusScreen(model.screen);
    }
    if (!model.open && previous?.open === true) {
      this.launcher.focus();
    }
  }

  private renderLauncher(model: ViewModel): void {
    this.launcher.dataset.online = String(model.online);
    this.launcher.setAttribute("aria-expanded", String(model.open));
    const label = model.open
      ? "Minimize chat"
      : model.online
        ? "Chat with us (we're online)"
        : "Leave us a message (we're offline)";
    const unread = model.open ? 0 : model.unread;
    this.launcher.setAttribute(
      "aria-label",
      unread > 0 ? `${label}, ${unread} unread message${unread === 1 ? "" : "s"}` : label,
    );
    this.unread.hidden = unread === 0;
    this.unread.textContent = unread > 9 ? "9+" : String(unread);
  }

  private renderConnection(model: ViewModel): void {
    const status = model.connection;
    let text = "";
    if (status.state === "reconnecting") {
      text = "Connection lost. Reconnecting…";
    } else if (status.state === "stopped") {
      text = `Chat is unavailable here: ${status.error.message}`;
    }
    this.connection.dataset.state = status.state;
    this.connection.textContent = text;
    this.connection.hidden = text === "";
  }

  private renderFormState(formId: string, busy: boolean, error: string | null): void {
    const submit = byId<HTMLButtonElement>(this.doc, `${formId}-submit`);
    submit.disabled = busy;
    submit.setAttribute("aria-busy", String(busy));
    const errorEl = byId(this.doc, `${formId}-error`);
    errorEl.textContent = error ?? "";
    errorEl.hidden = error === null;
  }

  private renderMessages(model: ViewModel): void {
    const list = this.messagesEl;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const before = list.childElementCount;
    this.messages.render(model.timeline);
    if (atBottom || list.childElementCount !== before) {
      list.scrollTop = list.scrollHeight;
    }
  }

  private renderUploads(uploads: readonly UploadView[]): void {
    const doc = this.doc;
    this.uploads.hidden = uploads.length === 0;
    this.uploads.replaceChildren(
      ...uploads.map((upload) => {
        const item = doc.createElement("li");
        item.className = "sb-upload";
        item.dataset.testid = "upload";
        item.dataset.state = upload.state;
        const name = doc.createElement("span");
        name.textContent = upload.name;
        const bar = doc.createElement("progress");
        bar.max = upload.size;
        bar.value = upload.sent;
        const figures = doc.createElement("span");
        figures.textContent =
          upload.state === "sending"
            ? `${formatBytes(upload.sent)} of ${formatBytes(upload.size)} · ${formatBytes(upload.bytesPerSecond)}/s`
            : "Not sent";
        item.append(name, bar, figures);
        if (upload.state === "failed" && upload.resumable) {
          item.append(this.uploadButton("Resume", () => this.actions.resumeUpload(upload.id)));
        }
        item.append(this.uploadButton(upload.state === "failed" ? "Dismiss" : "Cancel", () => this.actions.cancelUpload(upload.id)));
        if (upload.error !== null) {
          const error = doc.createElement("span");
          error.className = "sb-upload-error";
          error.setAttribute("role", "alert");
          error.textContent = upload.error;
          item.append(error);
        }
        return item;
      }),
    );
  }

  private uploadButton(label: string, onClick: () => void): HTMLButtonElement {
    const button = this.doc.createElement("button");
    button.type = "button";
    button.className = "sb-link-button";
    button.textContent = label;
    button.addEventListener("click", onClick);
    return button;
  }

  private focusScreen(screen: Screen): void {
    const target: HTMLElement | null =
      screen === "survey"
        ? this.surveyFields.firstInput()
        : screen === "offline"
          ? this.offlineFields.firstInput()
          : screen === "chat" && !this.composerForm.hidden
            ? this.composer
            : this.panel.querySelector<HTMLElement>("#sb-minimize");
    target?.focus();
  }
}
