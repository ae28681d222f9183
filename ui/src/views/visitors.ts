// The Visitors page: everyone on the site right now (live), with location, current page, time
// on site, referrer and chat state; filter and sort; a proactive invitation to the selected
// visitor (the button reads Invite); and the Blocked list to undo blocks.

import type { BlockRule } from "../../../crates/protocol/bindings/BlockRule";
import type { LiveVisitor } from "../../../crates/protocol/bindings/LiveVisitor";
import { el } from "../format";
import {
  chatStateText,
  currentPage,
  duration,
  listVisitors,
  locationText,
  type VisitorSort,
  type VisitorsState,
} from "../visitors/state";
import { attribution } from "./attribution";

/** What the Visitors page asks of the app. */
export interface VisitorsActions {
  /** Sends an invitation; resolves when the server took it, rejects with a message. */
  invite(visitorId: string, text: string): Promise<void>;
  unblock(blockId: string): void;
  openLink(href: string): void;
}

const SORTS: [VisitorSort, string][] = [
  ["arrival", "Newest first"],
  ["time_on_site", "Longest on site"],
  ["name", "Name"],
  ["location", "Location"],
];

/** The Visitors page. */
export class VisitorsPage {
  readonly root = el("section", "visitors-page", undefined, "visitors-page");
  private filter = el("input", "visitor-filter", undefined, "visitor-filter");
  private sort = el("select", "visitor-sort", undefined, "visitor-sort");
  private rows = el("tbody", undefined, undefined, "visitor-rows");
  private count = el("span", "visitor-count", "", "visitor-count");
  private invitePanel = el("div", "invite-panel", undefined, "invite-panel");
  private inviteTitle = el("h3", "invite-title", "");
  private inviteText = el("textarea", "invite-text", undefined, "invite-text");
  private inviteButton = el("button", "primary", "Invite", "invite-send");
  private inviteStatus = el("p", "invite-status", "", "invite-status");
  private blocked = el("ul", "blocked-list", undefined, "blocked-list");
  private selected: string | null = null;
  private shown: VisitorsState | null = null;
  private times = new Map<string, HTMLElement>();

  constructor(private actions: VisitorsActions) {
    this.filter.type = "search";
    this.filter.placeholder = "Filter by name, place, page or address";
    this.filter.setAttribute("aria-label", "Filter visitors");
    this.filter.addEventListener("input", () => this.redraw());
    for (const [value, label] of SORTS) {
      const option = el("option", undefined, label);
      option.value = value;
      this.sort.append(option);
    }
    this.sort.setAttribute("aria-label", "Sort visitors");
    this.sort.addEventListener("change", () => this.redraw());
    const tools = el("div", "visitor-tools");
    tools.append(el("h2", "page-title", "Visitors on the site"), this.count, this.filter, this.sort);

    const head = el("thead");
    const headRow = el("tr");
    for (const title of ["Visitor", "Location", "Current page", "On site", "Came from", "Chat"]) {
      headRow.append(el("th", undefined, title));
    }
    head.append(headRow);
    const table = el("table", "visitor-table", undefined, "visitor-table");
    table.append(head, this.rows);

    this.inviteText.rows = 3;
    this.inviteText.placeholder = "Hi! Can I help you with anything?";
    this.inviteText.setAttribute("aria-label", "Invitation");
    this.inviteButton.addEventListener("click", () => this.sendInvitation());
    this.inviteStatus.setAttribute("role", "status");
    this.invitePanel.append(this.inviteTitle, this.inviteText, this.inviteButton, this.inviteStatus);
    this.invitePanel.hidden = true;

    const blockedBox = el("div", "blocked");
    blockedBox.append(el("h3", undefined, "Blocked"), this.blocked);
    this.root.append(tools, table, this.invitePanel, blockedBox, attribution(actions.openLink));
    window.setInterval(() => this.tick(), 1000);
  }

  /** Shows the visitors; redraws only when they changed. */
  update(visitors: VisitorsState): void {
    if (visitors === this.shown) return;
    const blocksChanged = visitors.blocks !== this.shown?.blocks;
    this.shown = visitors;
    this.redraw();
    if (blocksChanged) this.renderBlocks(visitors.blocks);
  }

  private redraw(): void {
    const state = this.shown;
    if (!state) return;
    const list = listVisitors(state, this.filter.value, this.sort.value as VisitorSort);
    this.count.textContent = `${state.byId.size} on the site`;
    this.times.clear();
    this.rows.replaceChildren(...list.map((visitor) => this.row(visitor)));
    if (this.selected && !state.byId.has(this.selected)) this.selected = null;
    this.renderInvitePanel();
  }

  private row(visitor: LiveVisitor): HTMLElement {
    const row = el("tr", "visitor-row", undefined, "visitor-row");
    row.dataset.visitorId = visitor.id;
    row.dataset.connected = String(visitor.connected);
    row.classList.toggle("selected", visitor.id === this.selected);
    row.classList.toggle("left", !visitor.connected);
    const page = currentPage(visitor);
    const pageCell = el("td", "visitor-page", page?.title || page?.url || "", "visitor-page");
    if (page) pageCell.title = page.url;
    const time = el("td", "visitor-time", duration(Date.now() - visitor.arrived_at), "visitor-time");
    this.times.set(visitor.id, time);
    row.append(
      el("td", "visitor-name", visitor.connected ? visitor.name : `${visitor.name} (left)`, "visitor-name"),
      el("td", "visitor-location", locationText(visitor.location), "visitor-location"),
      pageCell,
      time,
      el("td", "visitor-referrer", visitor.referrer ?? "Direct", "visitor-referrer"),
      el("td", "visitor-chat", chatStateText(visitor.chat), "visitor-chat"),
    );
    row.addEventListener("click", () => {
      this.selected = visitor.id;
      this.inviteStatus.textContent = "";
      this.redraw();
      this.inviteText.focus();
    });
    return row;
  }

  private renderInvitePanel(): void {
    const visitor = this.selected ? this.shown?.byId.get(this.selected) : undefined;
    this.invitePanel.hidden = !visitor;
    if (visitor) this.inviteTitle.textContent = `Invite ${visitor.name} to chat`;
  }

  private sendInvitation(): void {
    const id = this.selected;
    const text = this.inviteText.value.trim();
    if (!id || text === "") return;
    this.inviteButton.disabled = true;
    this.inviteStatus.dataset.state = "sending";
    this.inviteStatus.textContent = "Sending…";
    this.actions
      .invite(id, text)
      .then(() => {
        this.inviteText.value = "";
        this.inviteStatus.dataset.state = "sent";
        this.inviteStatus.textContent = "Invitation sent. The chat opens when the visitor answers.";
      })
      .catch((error: unknown) => {
        this.inviteStatus.dataset.state = "failed";
        this.inviteStatus.textContent = error instanceof Error ? error.message : String(error);
      })
      .finally(() => (this.inviteButton.disabled = false));
  }

  private renderBlocks(blocks: BlockRule[]): void {
    if (blocks.length === 0) {
      this.blocked.replaceChildren(el("li", "empty", "Nobody is blocked."));
      return;
    }
    this.blocked.replaceChildren(
      ...blocks.map((rule) => {
        const item = el("li", "blocked-rule", undefined, "blocked-rule");
        const what = rule.target.kind === "ip" ? `IP ${rule.target.ip}` : `Country ${rule.target.country_code}`;
        const unblock = el("button", undefined, "Unblock", "unblock");
        unblock.addEventListener("click", () => this.actions.unblock(rule.id));
        item.append(el("span", "blocked-target", what, "blocked-target"), el("span", "muted", ` by ${rule.by.name}`), unblock);
        return item;
      }),
    );
  }

  private tick(): void {
    if (this.root.hidden || !this.shown) return;
    for (const [id, cell] of this.times) {
      const visitor = this.shown.byId.get(id);
      if (visitor) cell.textContent = duration(Date.now() - visitor.arrived_at);
    }
  }
}
