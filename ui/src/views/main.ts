// The main window: the operator's bar (name, Chats/Visitors/Settings, status control, view settings,
// log out), the reconnecting banner, one tab per chat (newest first, unread counts, ringing
// marks), the chat pane with its quick texts panel and visitor sidebar, the Visitors page, and
// the canned responses dialog.

import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";
import type { Emoticon } from "../../../crates/protocol/bindings/Emoticon";
import type { Status } from "../../../crates/protocol/bindings/Status";
import type { ConnectionState } from "../../../crates/client/bindings/ConnectionState";
import type { ComposerPrefs } from "../bindings/ComposerPrefs";
import type { Draft } from "../bindings/Draft";
import { CannedManager, type ManagerActions } from "../composer/manager";
import { QuickTexts } from "../composer/quickTexts";
import { el } from "../format";
import { SettingsPage, type SettingsActions } from "../settings/page";
import { findChat, type Chat, type State } from "../store";
import { ArchiveDialog } from "./archive";
import { ChatPane, type ChatActions } from "./chat";
import { VisitorSidebar, type SidebarActions } from "./visitor-sidebar";
import { VisitorsPage, type VisitorsActions } from "./visitors";
import { TransferList } from "./files";
import { ChatTabs } from "./tabs";
import { ChatTeamTools, type ChatTeamActions } from "../team/chatTools";
import { InvitationBar, type InvitationActions } from "../team/invitations";
import { TeamPage, type TeamPageActions } from "../team/page";
import { inviteTarget } from "../team/state";

/** What the main window asks of the app. */
export interface MainActions
  extends Omit<ChatActions, "manageCanned">,
    ManagerActions,
    VisitorsActions,
    SidebarActions,
    ChatTeamActions,
    InvitationActions,
    TeamPageActions,
    SettingsActions {
  show(view: State["view"]): void;
  /** Applies and keeps view settings; resolves once they are kept. */
  setPrefs(prefs: ComposerPrefs): Promise<void>;
  select(conversationId: string): void;
  closeTab(conversationId: string): void;
  confirmClose(conversationId: string): void;
  cancelClose(): void;
  setStatus(status: Status): void;
  logout(): void;
}

const STATUSES: [Status, string][] = [
  ["online", "Online"],
  ["away", "Away"],
  ["offline", "Offline"],
];

/** The main window's content. */
export class MainView {
  readonly root = el("div", "main", undefined, "main-screen");
  private operatorName = el("span", "operator-name", "", "operator-name");
  private status = el("select", "status-select", undefined, "status-select");
  private banner = el("div", "banner", "", "connection-banner");
  private tabs: ChatTabs;
  private pane: ChatPane;
  private visitorSidebar: VisitorSidebar;
  private visitorsPage: VisitorsPage;
  /** Read-only earlier chats. */
  readonly archive: ArchiveDialog;
  private body = el("div", "body");
  private navChats = el("button", "nav-button", "Chats", "nav-chats");
  private navVisitors = el("button", "nav-button", "Visitors", "nav-visitors");
  private navTeam = el("button", "nav-button", "Team", "nav-team");
  private teamPage: TeamPage;
  private teamTools: ChatTeamTools;
  private invitations: InvitationBar;
  private selfId = "";
  private navSettings = el("button", "nav-button", "Settings", "nav-settings");
  /** The Settings page. */
  readonly settings: SettingsPage;
  private transfers: TransferList;
  private dialog = el("div", "dialog-backdrop", undefined, "confirm-close");
  private lastTabs: Chat[] | null = null;
  private lastActive: string | null = null;
  private lastDialog: string | null = null;
  private quickTexts: QuickTexts;
  private manager: CannedManager;
  private viewMenu = el("div", "view-menu", undefined, "view-settings-menu");
  private spellCheck = el("input", undefined, undefined, "pref-spell-check");
  private quickTextsPref = el("input", undefined, undefined, "pref-quick-texts");
  private lastCanned: readonly CannedResponse[] | null = null;
  private lastPrefs: ComposerPrefs | null = null;

  constructor(private actions: MainActions) {
    this.manager = new CannedManager(actions);
    this.tabs = new ChatTabs(actions);
    this.pane = new ChatPane({ ...actions, manageCanned: () => this.manager.open() });
    this.quickTexts = new QuickTexts({
      insert: (response) => this.pane.composer.insertCanned(response),
      send: (response) => this.pane.composer.sendCanned(response),
    });
    this.visitorSidebar = new VisitorSidebar(actions);
    this.visitorsPage = new VisitorsPage(actions);
    this.archive = new ArchiveDialog((href) => actions.openLink(href));
    this.navChats.addEventListener("click", () => actions.show("chats"));
    this.navVisitors.addEventListener("click", () => actions.show("visitors"));
    this.navTeam.addEventListener("click", () => actions.show("team"));
    this.teamPage = new TeamPage(actions, () => this.selfId);
    this.teamTools = new ChatTeamTools(actions);
    this.pane.headerTools.append(this.teamTools.root);
    this.invitations = new InvitationBar(actions);
    this.navSettings.addEventListener("click", () => actions.show("settings"));
    this.settings = new SettingsPage(actions);
    this.transfers = new TransferList(actions);
    for (const [value, label] of STATUSES) {
      const option = el("option", undefined, label);
      option.value = value;
      this.status.append(option);
    }
    this.status.setAttribute("aria-label", "My status");
    this.status.addEventListener("change", () => actions.setStatus(this.status.value as Status));
    const logout = el("button", "link-button", "Log out", "logout");
    logout.addEventListener("click", () => actions.logout());

    const statusDot = el("span", "status-dot");
    const bar = el("header", "topbar");
    const left = el("div", "topbar-left");
    const nav = el("nav", "views");
    nav.setAttribute("aria-label", "Pages");
    nav.append(this.navChats, this.navVisitors, this.navTeam, this.navSettings);
    left.append(el("span", "brand", "Switchboard"), this.operatorName, nav);
    const right = el("div", "topbar-right");
    right.append(statusDot, this.status, this.buildViewMenu(), logout);
    bar.append(left, right);

    this.banner.setAttribute("role", "status");
    const sidebar = el("nav", "sidebar");
    sidebar.setAttribute("aria-label", "Chats");
    this.pane.root.setAttribute("role", "tabpanel");
    sidebar.append(el("h3", "sidebar-title", "Chats"), this.invitations.root, this.tabs.root, this.transfers.root);
    this.body.append(sidebar, this.pane.root, this.quickTexts.root, this.visitorSidebar.root);
    this.dialog.hidden = true;
    this.root.append(bar, this.banner, this.body, this.visitorsPage.root, this.teamPage.root, this.settings.root, this.dialog, this.archive.root, this.manager.root);
  }

  /** The emoticon table of the server, for the composer's picker. */
  setEmoticons(emoticons: readonly Emoticon[]): void {
    this.pane.composer.setEmoticons(emoticons);
  }

  /** Drafts kept from an earlier run. */
  loadDrafts(drafts: readonly Draft[]): void {
    this.pane.composer.loadDrafts(drafts);
  }

  /** Writes drafts not yet saved. */
  flushDrafts(): void {
    this.pane.composer.flushDrafts();
  }

  /** The "View" button: spell checking and the quick texts panel. */
  private buildViewMenu(): HTMLElement {
    const wrap = el("div", "view-settings");
    const button = el("button", "link-button", "View", "view-settings");
    button.type = "button";
    button.setAttribute("aria-haspopup", "true");
    this.viewMenu.hidden = true;
    button.addEventListener("click", () => (this.viewMenu.hidden = !this.viewMenu.hidden));
    const option = (input: HTMLInputElement, label: string) => {
      input.type = "checkbox";
      input.addEventListener("change", () => {
        // `data-prefs="saved"` once the choice is kept on disk
        this.viewMenu.dataset.prefs = "saving";
        void this.actions
          .setPrefs({ spell_check: this.spellCheck.checked, quick_texts: this.quickTextsPref.checked })
          .then(() => (this.viewMenu.dataset.prefs = "saved"));
      });
      const row = el("label", "check");
      row.append(input, label);
      return row;
    };
    this.viewMenu.append(option(this.quickTextsPref, "Quick texts panel"), option(this.spellCheck, "Check spelling while typing"));
    wrap.append(button, this.viewMenu);
    return wrap;
  }

  update(state: State): void {
    const session = state.session;
    if (!session) return;
    this.operatorName.textContent = session.operator.name;
    this.root.dataset.status = session.status;
    if (this.status.value !== session.status) this.status.value = session.status;
    this.renderBanner(session.connection);
    if (state.chats !== this.lastTabs || state.activeId !== this.lastActive) {
      this.tabs.update(state.chats, state.activeId, session.operator.id);
      this.lastTabs = state.chats;
      this.lastActive = state.activeId;
    }
    if (session.canned !== this.lastCanned) {
      this.lastCanned = session.canned;
      this.pane.composer.setCanned(session.canned);
      this.quickTexts.update(session.canned);
      this.manager.update(session.canned, session.operator.role === "admin");
    }
    if (state.prefs !== this.lastPrefs) {
      this.lastPrefs = state.prefs;
      this.pane.composer.setPrefs(state.prefs);
      this.quickTexts.root.hidden = !state.prefs.quick_texts;
      this.spellCheck.checked = state.prefs.spell_check;
      this.quickTextsPref.checked = state.prefs.quick_texts;
    }
    this.pane.setOperator(session.operator);
    const active = findChat(state, state.activeId);
    this.pane.update(active, session.operator.id);
    this.body.hidden = state.view !== "chats";
    this.visitorsPage.root.hidden = state.view !== "visitors";
    this.navChats.setAttribute("aria-current", String(state.view === "chats"));
    this.navVisitors.setAttribute("aria-current", String(state.view === "visitors"));
    this.navTeam.setAttribute("aria-current", String(state.view === "team"));
    this.selfId = session.operator.id;
    this.teamPage.update(
      state.team,
      state.view === "team",
      session.operator.role === "admin",
      inviteTarget(active?.summary, session.operator.id),
    );
    this.teamTools.update(active, state.team, session.operator.id);
    this.invitations.update(state.team);
    this.settings.root.hidden = state.view !== "settings";
    this.navSettings.setAttribute("aria-current", String(state.view === "settings"));
    this.visitorsPage.update(state.visitors);
    this.visitorSidebar.update(active?.summary, active && state.visitors.byId.get(active.summary.visitor.id));
    this.transfers.update(state.transfers);
    this.pane.snip.update(state.snip);
    this.renderDialog(state);
  }

  focusComposer(): void {
    this.pane.focusComposer();
  }

  private renderBanner(connection: ConnectionState): void {
    const text = bannerText(connection);
    this.banner.textContent = text ?? "";
    this.banner.hidden = text === null;
    this.banner.dataset.state = connection.state;
  }

  private renderDialog(state: State): void {
    if (state.confirmClose === this.lastDialog) return;
    this.lastDialog = state.confirmClose;
    const chat = findChat(state, state.confirmClose);
    this.dialog.hidden = !chat;
    if (!chat) {
      this.dialog.replaceChildren();
      return;
    }
    const box = el("div", "dialog");
    box.setAttribute("role", "alertdialog");
    const text = chat.summary.visitor.connected
      ? `${chat.summary.visitor.name} is still here. End this chat?`
      : `End the chat with ${chat.summary.visitor.name}?`;
    const end = el("button", "danger", "End chat", "confirm-end-chat");
    end.addEventListener("click", () => this.actions.confirmClose(chat.summary.id));
    const cancel = el("button", undefined, "Cancel", "cancel-end-chat");
    cancel.addEventListener("click", () => this.actions.cancelClose());
    const buttons = el("div", "dialog-buttons");
    buttons.append(cancel, end);
    box.append(el("p", undefined, text), buttons);
    this.dialog.replaceChildren(box);
    end.focus();
  }
}

/** The banner's text for a connection state; `null` hides it. */
export function bannerText(connection: ConnectionState): string | null {
  switch (connection.state) {
    case "connected":
      return null;
    case "connecting":
      return "Connecting to the server…";
    case "reconnecting": {
      const seconds = Math.ceil(connection.retry_in_ms / 1000);
      return `Connection lost. Reconnecting${seconds > 0 ? ` in ${seconds} s` : "…"} — messages you send are queued.`;
    }
    case "unauthorized":
      return "The server ended this session. Logging in again…";
    case "closed":
      return "Disconnected.";
  }
}
