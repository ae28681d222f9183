// Starts the agent UI: wires the core's events into the store, asks the core what to show
// (a restored session or the login screen), and turns the operator's actions into commands.

import "./styles.css";

import type { Status } from "../../crates/protocol/bindings/Status";
import type { Layout } from "./bindings/Layout";
import type { Preferences } from "./bindings/Preferences";
import * as platform from "./platform";
import { playSound, setRingChoice, setRinging } from "./settings/alerts";
import { applyTheme } from "./settings/appearance";
import { findChat, sessionAction, Store, type Action, type State } from "./store";
import { ringsNow } from "./team/state";
import { LoginView } from "./views/login";
import { MainView } from "./views/main";

const store = new Store();
const app = document.getElementById("app")!;

const report = (error: unknown) => console.error("switchboard:", error);

const loginView = new LoginView({
  login(serverUrl, email, password, remember) {
    store.dispatch({ type: "login_started" });
    platform
      .login({ server_url: serverUrl, email, password, remember })
      // the core's session event normally got here first, with nothing older after it
      .then((session) => store.state.session || store.dispatch({ type: "session_started", session }))
      .catch((error: unknown) => store.dispatch({ type: "login_failed", error: messageOf(error) }));
  },
});

const mainView = new MainView({
  select: (id) => store.dispatch({ type: "select", conversationId: id }),
  accept: (id) => platform.accept(id).catch(report),
  decline: (id) => platform.decline(id).catch(report),
  requestClose: (id) => store.dispatch({ type: "confirm_close", conversationId: id }),
  closeTab(id) {
    const chat = findChat(store.state, id);
    if (!chat) return;
    if (chat.closed) store.dispatch({ type: "dismiss", conversationId: id });
    else if (chat.summary.state === "ringing") platform.decline(id).catch(report);
    else store.dispatch({ type: "confirm_close", conversationId: id });
  },
  confirmClose(id) {
    store.dispatch({ type: "confirm_close", conversationId: null });
    platform
      .closeChat(id)
      .then(() => store.dispatch({ type: "dismiss", conversationId: id }))
      .catch(report);
  },
  cancelClose: () => store.dispatch({ type: "confirm_close", conversationId: null }),
  send: (id, text) => platform.sendMessage(id, text).catch(report),
  typing: (id, typing) => platform.sendTyping(id, typing).catch(report),
  saveDraft: (id, text) => platform.saveDraft(id, text).then(() => undefined, report),
  readClipboard: () => platform.readClipboard().catch((error: unknown) => (report(error), "")),
  writeClipboard: (text) => platform.writeClipboard(text).then(() => undefined, report),
  save: (id, draft) => platform.saveCanned(id, draft).then(() => undefined),
  remove: (id) => platform.deleteCanned(id).then(() => undefined),
  reorder: (scope, ids) => platform.reorderCanned(scope, ids).then(() => undefined),
  setPrefs(prefs) {
    store.dispatch({ type: "prefs", prefs });
    return platform.saveComposerPrefs(prefs).then(() => undefined, report);
  },
  openLink: (href) => platform.openExternalLink(href).catch(report),
  setStatus: (status: Status) =>
    platform.setStatus(status).catch((error: unknown) => {
      report(error);
      mainView.update(store.state); // put the control back to the status in effect
    }),
  logout: () => platform.logout().catch(report),
  show: (view) => store.dispatch({ type: "show", view }),
  invite: (visitorId, text) => platform.inviteVisitor(visitorId, text).then(() => undefined),
  inviteOperator: (id, operatorId, transfer) =>
    platform.inviteOperator(id, operatorId, transfer).then(() => undefined),
  leaveChat: (id) => platform.leaveChat(id).then(() => undefined),
  startInternalChat: (operatorId) => platform.startInternalChat(operatorId).catch(report),
  readAccount: () => platform.readAccount().catch(report),
  addOperator: (email, name, password, admin) =>
    platform.addOperator(email, name, password, admin).then(() => undefined),
  resetPassword: (id, password) => platform.resetPassword(id, password).then(() => undefined),
  removeOperator: (id) => platform.removeOperator(id).then(() => undefined),
  setOperatorDisabled: (id, disabled) => platform.setOperatorDisabled(id, disabled).then(() => undefined),
  setOperatorCap: (id, maxChats) => platform.setOperatorCap(id, maxChats).then(() => undefined),
  setAccountSetting: (key, value) => platform.setAccountSetting(key, value).then(() => undefined),
  joinChat(id) {
    store.dispatch({ type: "invitation_answered", conversationId: id });
    platform.accept(id).catch(report);
  },
  declineInvitation(id) {
    store.dispatch({ type: "invitation_answered", conversationId: id });
    platform.decline(id).catch(report);
  },
  dismissTeamNotice: () => store.dispatch({ type: "dismiss_team_notice" }),
  unblock: (blockId) => platform.unblockVisitors(blockId).catch(report),
  block: (target) => platform.blockVisitors(target).catch(report),
  openArchive: (conversationId, title) =>
    platform
      .loadHistory(conversationId, null)
      .then((page) => mainView.archive.show(title, page.events))
      .catch(report),
  sendFiles: (id) => platform.pickAndSendFiles(id).catch(report),
  download: (id, file) => platform.downloadFile(id, file).catch(report),
  preview: (file) => platform.filePreview(file).then((preview) => preview.data_url),
  cancelTransfer: (id) => platform.cancelTransfer(id).catch(report),
  dismissTransfer: (id) => store.dispatch({ type: "dismiss_transfer", id }),
  openDownload: (path) => platform.openDownload(path).catch(report),
  savePreferences: (preferences) => platform.savePreferences(preferences).then(() => applyPreferences(preferences)),
  setSnipShortcut: (shortcut) => platform.setSnipShortcut(shortcut).then(() => undefined),
  playSound,
  startSnip: () => platform.startSnip().catch(report),
  pasteScreenshot: () => platform.pasteScreenshot().catch(report),
  sendSnip(marks) {
    const id = store.state.activeId;
    if (!id) return;
    platform
      .sendSnip(id, marks)
      .then(() => store.dispatch({ type: "snip", preview: null }))
      .catch(report);
  },
  discardSnip() {
    store.dispatch({ type: "snip", preview: null });
    platform.discardSnip().catch(report);
  },
});

/** Puts the operator's preferences in effect in the window. */
function applyPreferences(preferences: Preferences): void {
  applyTheme(preferences.theme);
  setRingChoice(preferences);
}

/** Goes back to the page and chat tab of the last run when the main window first shows, then
 * keeps them whenever they change, for the next start. */
function followLayout(state: State): void {
  if (state.screen !== "main") return;
  if (layoutToRestore) {
    const { page, selected_chat } = layoutToRestore;
    layoutToRestore = null;
    queueMicrotask(() => {
      if (selected_chat && findChat(store.state, selected_chat)) {
        store.dispatch({ type: "select", conversationId: selected_chat });
      }
      store.dispatch({ type: "show", view: page });
    });
    return;
  }
  const layout: Layout = { page: state.view, selected_chat: state.activeId };
  if (layout.page === keptLayout?.page && layout.selected_chat === keptLayout.selected_chat) return;
  keptLayout = layout;
  platform.saveLayout(layout).catch(report);
}
let layoutToRestore: Layout | null = null;
let keptLayout: Layout | null = null;

/** Asks for the visitor list and the team list when a login appears (the core keeps them
 * coming after that, also across reconnects; asking again after a reload of the UI brings the
 * whole lists). */
function watchVisitors(state: State): void {
  const operatorId = state.session?.operator.id ?? null;
  if (operatorId === watchedBy) return;
  watchedBy = operatorId;
  if (operatorId !== null) {
    platform.watchVisitors().catch(report);
    platform.watchTeam().catch(report);
  }
}
let watchedBy: string | null = null;

/** Files dropped on the window go into the open chat. */
function sendDropped(paths: string[]): void {
  const chat = findChat(store.state, store.state.activeId);
  if (!chat || chat.closed) return;
  for (const path of paths) platform.sendFile(chat.summary.id, path).catch(report);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Draws the current screen. */
function render(state: State): void {
  document.body.dataset.screen = state.screen;
  if (state.screen === "login") {
    if (app.firstChild !== loginView.root) {
      loginView.reset();
      app.replaceChildren(loginView.root);
      loginView.update(state.login);
      loginView.focus();
    } else {
      loginView.update(state.login);
    }
  } else if (state.screen === "main") {
    if (app.firstChild !== mainView.root) app.replaceChildren(mainView.root);
    mainView.update(state);
  }
  setRinging(ringsNow(state.ringing, state.team));
}

/** Keeps the history of the open tab loaded and tells the visitor what was seen. */
function followActiveChat(state: State): void {
  const chat = findChat(state, state.activeId);
  if (!chat) return;
  if (!chat.historyLoaded && !historyRequested.has(chat.summary.id)) {
    const id = chat.summary.id;
    historyRequested.add(id);
    platform
      .loadHistory(id, null)
      .then((page) => store.dispatch({ type: "history", conversationId: id, events: page.events }))
      .catch((error) => {
        historyRequested.delete(id);
        report(error);
      });
  }
  const lastSeq = chat.summary.last_seq;
  if (document.hasFocus() && !chat.closed && lastSeq > (seenSent.get(chat.summary.id) ?? 0)) {
    seenSent.set(chat.summary.id, lastSeq);
    platform.markSeen(chat.summary.id, lastSeq).catch(report);
  }
}
const historyRequested = new Set<string>();
const seenSent = new Map<string, number>();

/** Ctrl+Tab / Ctrl+Shift+Tab cycle the tabs; Ctrl+1…9 pick one. */
function onKey(event: KeyboardEvent): void {
  if (store.state.screen !== "main" || !(event.ctrlKey || event.metaKey)) return;
  if (event.key === "Tab") {
    event.preventDefault();
    store.dispatch({ type: "select_relative", offset: event.shiftKey ? -1 : 1 });
    mainView.focusComposer();
  } else if (/^[1-9]$/.test(event.key)) {
    event.preventDefault();
    store.dispatch({ type: "select_index", index: Number(event.key) - 1 });
    mainView.focusComposer();
  }
}

async function start(): Promise<void> {
  store.subscribe(render);
  store.subscribe(followActiveChat);
  store.subscribe(watchVisitors);
  document.addEventListener("keydown", onKey);
  window.addEventListener("focus", () => followActiveChat(store.state));
  // Until the startup state is known, the core's events wait: they are newer than it.
  const early: Action[] = [];
  let started = false;
  const deliverAll = (actions: Action[]) => (started ? store.dispatchAll(actions) : early.push(...actions));
  const deliver = (action: Action) => deliverAll([action]);
  await platform.subscribe({
    sessionStarted: (session) => deliver({ type: "session_started", session }),
    sessionEnded: ({ reason }) =>
      deliver({
        type: "logged_out",
        serverUrl: null,
        email: null,
        notice: reason === "expired" ? "Your session has ended. Please log in again." : null,
      }),
    sessionEvents: (text) => deliverAll(platform.sessionEvents(text).map(sessionAction)),
    ringChanged: (ring) => deliver({ type: "ringing", ids: ring.ringing }),
    chatOpen: ({ conversation_id }) => deliver({ type: "select", conversationId: conversation_id }),
    transferChanged: (update) => deliver({ type: "transfer", update }),
    filesDropped: ({ paths }) => sendDropped(paths),
    snipCaptured: (preview) => deliver({ type: "snip", preview }),
  });
  const [composer, emoticons, settings] = await Promise.all([
    platform.loadComposer(),
    platform.emoticons(),
    platform.loadPreferences(),
  ]);
  applyPreferences(settings.saved.preferences);
  mainView.settings.show(settings.saved.preferences, settings.shortcut_problem);
  layoutToRestore = settings.saved.layout;
  keptLayout = settings.saved.layout;
  store.subscribe(followLayout);
  store.dispatch({ type: "prefs", prefs: composer.prefs });
  mainView.loadDrafts(composer.drafts);
  mainView.setEmoticons(emoticons);
  window.addEventListener("beforeunload", () => mainView.flushDrafts());
  const startup = await platform.restoreSession();
  if (startup.kind === "logged_in") {
    store.dispatch({ type: "session_started", session: startup.session });
  } else {
    store.dispatch({
      type: "logged_out",
      serverUrl: startup.server_url,
      email: startup.email,
      notice: startup.notice,
    });
  }
  started = true;
  store.dispatchAll(early.splice(0));
}

start().catch(report);
