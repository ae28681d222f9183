// The only module that talks to the Tauri core. Views and the store call these typed
// functions and never `invoke` with strings of their own; every type comes from the Rust side.

import { convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { ClientEvent } from "../../crates/client/bindings/ClientEvent";
import type { BlockTarget } from "../../crates/protocol/bindings/BlockTarget";
import type { CannedDraft } from "../../crates/protocol/bindings/CannedDraft";
import type { CannedScope } from "../../crates/protocol/bindings/CannedScope";
import type { Emoticon } from "../../crates/protocol/bindings/Emoticon";
import type { FileInfo } from "../../crates/protocol/bindings/FileInfo";
import type { Status } from "../../crates/protocol/bindings/Status";
import type { CommandError } from "./bindings/CommandError";
import type { ComposerPrefs } from "./bindings/ComposerPrefs";
import type { ComposerState } from "./bindings/ComposerState";
import { EVENTS, type EventPayloads } from "./bindings/events";
import type { FilePreview } from "./bindings/FilePreview";
import type { HistoryChunk } from "./bindings/HistoryChunk";
import type { Mark } from "./bindings/Mark";
import type { Layout } from "./bindings/Layout";
import type { LoginForm } from "./bindings/LoginForm";
import type { Preferences } from "./bindings/Preferences";
import type { SessionEvents } from "./bindings/SessionEvents";
import type { SessionEventsJson } from "./bindings/SessionEventsJson";
import type { SessionView } from "./bindings/SessionView";
import type { SettingsView } from "./bindings/SettingsView";
import type { StartupState } from "./bindings/StartupState";

/** Logs in with the login screen's form. */
export const login = (form: LoginForm) => call<SessionView>("login", { form });
/** Logs out and forgets the session in the keychain. */
export const logout = () => call<null>("logout");
/** What to show at start: a session restored from the keychain, or the login screen. */
export const restoreSession = () => call<StartupState>("restore_session");
/** Sets the operator's status. */
export const setStatus = (status: Status) => call<null>("set_status", { status });
/** Accepts a ringing call. */
export const accept = (conversationId: string) =>
  call<null>("accept", { conversation_id: conversationId });
/** Declines a ringing call. */
export const decline = (conversationId: string) =>
  call<null>("decline", { conversation_id: conversationId });
/** Ends a chat. */
export const closeChat = (conversationId: string) =>
  call<null>("close_chat", { conversation_id: conversationId });
/** Queues a message; resolves with its client message id. */
export const sendMessage = (conversationId: string, text: string) =>
  call<string>("send_message", { conversation_id: conversationId, text });
/** Loads a page of history older than `beforeSeq` (or the newest page). */
export const loadHistory = (conversationId: string, beforeSeq: number | null) =>
  call<HistoryChunk>("load_history", { conversation_id: conversationId, before_seq: beforeSeq });
/** Tells the visitor the chat was seen up to `seq`. */
export const markSeen = (conversationId: string, seq: number) =>
  call<null>("mark_seen", { conversation_id: conversationId, seq });
/** Asks for the live visitor list and blocking rules (they arrive as server events). */
export const watchVisitors = () => call<null>("watch_visitors");
/** Invites a visitor to chat (only while Online). */
export const inviteVisitor = (visitorId: string, text: string) =>
  call<null>("invite_visitor", { visitor_id: visitorId, text });
/** Blocks an IP address or a country. */
export const blockVisitors = (target: BlockTarget) => call<null>("block_visitors", { target });
/** Removes a blocking rule. */
export const unblockVisitors = (blockId: string) => call<null>("unblock_visitors", { block_id: blockId });
/** Asks for the team list (it arrives as server events and stays current). */
export const watchTeam = () => call<null>("watch_team");
/** Invites a colleague into a chat; with `transfer`, hands it over once they accept. */
export const inviteOperator = (conversationId: string, operatorId: string, transfer: boolean) =>
  call<null>("invite_operator", { conversation_id: conversationId, operator_id: operatorId, transfer });
/** Starts an internal chat with a colleague (it arrives as a new active chat). */
export const startInternalChat = (operatorId: string) =>
  call<null>("start_internal_chat", { operator_id: operatorId });
/** Asks for the account settings (administrators; they arrive as a server event). */
export const readAccount = () => call<null>("read_account");
/** Changes one account setting (administrators). */
export const setAccountSetting = (key: string, value: string) =>
  call<null>("set_account_setting", { key, value });
/** Adds an operator (administrators). */
export const addOperator = (email: string, name: string, password: string, admin: boolean) =>
  call<null>("add_operator", { email, name, password, admin });
/** Sets a new password for an operator (administrators). */
export const resetPassword = (operatorId: string, password: string) =>
  call<null>("reset_password", { operator_id: operatorId, password });
/** Removes an operator who has no open chats (administrators). */
export const removeOperator = (operatorId: string) => call<null>("remove_operator", { operator_id: operatorId });
/** Disables an operator (logged out, chats back to the queue) or enables them (administrators). */
export const setOperatorDisabled = (operatorId: string, disabled: boolean) =>
  call<null>("set_operator_disabled", { operator_id: operatorId, disabled });
/** Sets an operator's own chat cap; null: the account's (administrators). */
export const setOperatorCap = (operatorId: string, maxChats: number | null) =>
  call<null>("set_operator_cap", { operator_id: operatorId, max_chats: maxChats });
/** Leaves a chat without ending it. */
export const leaveChat = (conversationId: string) => call<null>("leave_chat", { conversation_id: conversationId });
/** Opens a message link in the default browser or mail program. */
export const openExternalLink = (href: string) => call<null>("open_external_link", { href });

/** Creates (`id` null) or changes a canned response; the new list arrives as a server event. */
export const saveCanned = (id: string | null, draft: CannedDraft) => call<null>("save_canned", { id, draft });
/** Deletes a canned response. */
export const deleteCanned = (id: string) => call<null>("delete_canned", { id });
/** Puts one list of canned responses in a new order. */
export const reorderCanned = (scope: CannedScope, ids: string[]) => call<null>("reorder_canned", { scope, ids });
/** Tells the visitor whether the operator is typing. */
export const sendTyping = (conversationId: string, typing: boolean) =>
  call<null>("send_typing", { conversation_id: conversationId, typing });
/** The emoticon shortcuts the server converts. */
export const emoticons = () => call<Emoticon[]>("emoticons");
/** Drafts and view settings kept on this machine. */
export const loadComposer = () => call<ComposerState>("load_composer");
/** Keeps a chat's draft (empty removes it). */
export const saveDraft = (conversationId: string, text: string) =>
  call<null>("save_draft", { conversation_id: conversationId, text });
/** Keeps the composer's view settings. */
export const saveComposerPrefs = (prefs: ComposerPrefs) => call<null>("save_composer_prefs", { prefs });
/** The text on the clipboard. */
export const readClipboard = () => call<string>("read_clipboard");
/** Puts text on the clipboard. */
export const writeClipboard = (text: string) => call<null>("write_clipboard", { text });
/** Opens the native file dialog and sends the chosen files; resolves with their transfer ids. */
export const pickAndSendFiles = (conversationId: string) =>
  call<string[]>("pick_and_send_files", { conversation_id: conversationId });
/** Sends the file at `path` (e.g. dropped on the window); resolves with its transfer id. */
export const sendFile = (conversationId: string, path: string) =>
  call<string>("send_file", { conversation_id: conversationId, path });
/** Downloads a shared file into the Downloads folder; resolves with its transfer id. */
export const downloadFile = (conversationId: string, file: FileInfo) =>
  call<string>("download_file", { conversation_id: conversationId, file });
/** Stops a transfer. */
export const cancelTransfer = (id: string) => call<null>("cancel_transfer", { id });
/** Opens a downloaded file with the system's program. */
export const openDownload = (path: string) => call<null>("open_download", { path });
/** An image file as a `data:` URL for a preview. */
export const filePreview = (file: FileInfo) => call<FilePreview>("file_preview", { file });

/** Captures the screens and opens the snipping overlays. */
export const startSnip = () => call<null>("start_snip");
/** An overlay shows its frozen frame. */
export const snipShown = (monitor: number) => call<null>("snip_shown", { monitor });
/** The selection on an overlay, in the monitor's pixels. */
export const snipSelect = (monitor: number, x: number, y: number, width: number, height: number) =>
  call<null>("snip_select", { monitor, x, y, width, height });
/** Where an overlay loads its monitor's frozen frame. */
export const snipFrameUrl = (monitor: number) => convertFileSrc(String(monitor), "snip");
/** Calls `handler` when an overlay is shown again and must load its new frame. */
export const onSnipFrame = (handler: () => void) => listen("snip://frame", () => handler());
/** Closes the overlays without a screenshot. */
export const snipCancel = () => call<null>("snip_cancel");
/** Takes the clipboard's image as the screenshot to send. */
export const pasteScreenshot = () => call<null>("paste_screenshot");
/** Sends the waiting screenshot with its marks; resolves with the transfer id. */
export const sendSnip = (conversationId: string, marks: Mark[]) =>
  call<string>("send_snip", { conversation_id: conversationId, marks });
/** Drops the waiting screenshot. */
export const discardSnip = () => call<null>("discard_snip");

/** The operator's preferences and layout kept on this machine, as in effect now. */
export const loadPreferences = () => call<SettingsView>("load_preferences");
/** Applies and keeps the preferences (the snipping shortcut changes with `setSnipShortcut`). */
export const savePreferences = (preferences: Preferences) => call<null>("save_preferences", { preferences });
/** Makes `shortcut` the snipping shortcut; rejects with the reason when it cannot be. */
export const setSnipShortcut = (shortcut: string) => call<null>("set_snip_shortcut", { shortcut });
/** Keeps the page and chat tab shown, for the next start. */
export const saveLayout = (layout: Layout) => call<null>("save_layout", { layout });

/** Handlers for every event of the core, by the names in `EVENTS`. */
export type EventHandlers = { [K in keyof EventPayloads]: (payload: EventPayloads[K]) => void };

/** Subscribes to every event of the core; resolves once all listeners are in place. */
export async function subscribe(handlers: EventHandlers): Promise<UnlistenFn> {
  const keys = Object.keys(EVENTS) as (keyof EventPayloads)[];
  const unlisteners = await Promise.all(
    keys.map((key) =>
      listen(EVENTS[key], (event) => (handlers[key] as (p: unknown) => void)(event.payload)),
    ),
  );
  return () => unlisteners.forEach((unlisten) => unlisten());
}

/** The events in a `session://events` payload, oldest first. */
export const sessionEvents = (text: SessionEventsJson): ClientEvent[] => (JSON.parse(text) as SessionEvents).events;

/** A failed command, as thrown by the functions above. */
export class PlatformError extends Error {
  constructor(readonly detail: CommandError) {
    super(detail.message);
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw new PlatformError(asCommandError(error));
  }
}

function asCommandError(error: unknown): CommandError {
  if (typeof error === "object" && error !== null && "code" in error && "message" in error) {
    return error as CommandError;
  }
  return { code: "other", message: String(error) };
}
