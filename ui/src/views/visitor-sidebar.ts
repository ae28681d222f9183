// The chat tab's visitor sidebar, live: survey answers; the page the chat started on and the
// current page as links; address and location; the visitor's local time (ticking); browser and
// system; visits and chats; blocking; earlier chats (open read-only); and the navigation
// history with time on page in its own tab.

import type { BlockTarget } from "../../../crates/protocol/bindings/BlockTarget";
import type { ConversationSummary } from "../../../crates/protocol/bindings/ConversationSummary";
import type { LiveVisitor } from "../../../crates/protocol/bindings/LiveVisitor";
import type { PageInfo } from "../../../crates/protocol/bindings/PageInfo";
import { el, formatTime } from "../format";
import { browserText, duration, localTime, locationText } from "../visitors/state";
import { attribution } from "./attribution";

/** What the sidebar asks of the app. */
export interface SidebarActions {
  openLink(href: string): void;
  block(target: BlockTarget): void;
  openArchive(conversationId: string, title: string): void;
}

type Tab = "details" | "pages";

/** The sidebar next to the chat pane. */
export class VisitorSidebar {
  readonly root = el("aside", "visitor-sidebar", undefined, "visitor-sidebar");
  private detailsTab = el("button", "sidebar-tab", "Visitor", "sidebar-tab-details");
  private pagesTab = el("button", "sidebar-tab", "Pages", "sidebar-tab-pages");
  private details = el("div", "sidebar-details", undefined, "visitor-details");
  private pages = el("ol", "page-history", undefined, "page-history");
  private clock: { element: HTMLElement; zone: string } | null = null;
  private shown: { summary: ConversationSummary | undefined; visitor: LiveVisitor | undefined } = {
    summary: undefined,
    visitor: undefined,
  };

  constructor(private actions: SidebarActions) {
    const tabs = el("div", "sidebar-tabs");
    tabs.setAttribute("role", "tablist");
    for (const [button, tab] of [
      [this.detailsTab, "details"],
      [this.pagesTab, "pages"],
    ] as const) {
      button.setAttribute("role", "tab");
      button.addEventListener("click", () => this.select(tab));
      tabs.append(button);
    }
    this.root.append(tabs, this.details, this.pages, attribution(actions.openLink));
    this.select("details");
    window.setInterval(() => this.tickClock(), 1000);
  }

  /** Shows the visitor of `summary` (`visitor` is the live record, when the server has one);
   * hidden for internal chats. */
  update(summary: ConversationSummary | undefined, visitor: LiveVisitor | undefined): void {
    if (summary === this.shown.summary && visitor === this.shown.visitor) return;
    this.shown = { summary, visitor };
    // An internal chat has no visitor: its colleagues show in the tab's title instead.
    this.root.hidden = !summary || summary.internal;
    if (!summary || summary.internal) return;
    this.renderDetails(summary, visitor);
    this.renderPages(visitor);
  }

  private select(tab: Tab): void {
    this.details.hidden = tab !== "details";
    this.pages.hidden = tab !== "pages";
    this.detailsTab.setAttribute("aria-selected", String(tab === "details"));
    this.pagesTab.setAttribute("aria-selected", String(tab === "pages"));
  }

  private renderDetails(summary: ConversationSummary, visitor: LiveVisitor | undefined): void {
    const list = el("dl", "facts");
    const fact = (label: string, value: Node | string, testId: string) => {
      const dd = el("dd", undefined, undefined, testId);
      dd.append(value);
      list.append(el("dt", undefined, label), dd);
    };
    for (const answer of summary.visitor.survey) {
      if (answer.value) fact(answer.key, answer.value, "survey-answer");
    }
    fact("Called from", this.pageLink(summary.visitor.called_from), "called-from");
    const current = visitor?.pages[visitor.pages.length - 1] ?? summary.visitor.current_page;
    fact("Current page", this.pageLink(current ?? null), "current-page");
    this.clock = null;
    if (visitor) {
      fact("IP address", visitor.ip, "visitor-ip");
      fact("Location", locationText(visitor.location), "visitor-location");
      const time = el("span", "local-time");
      if (visitor.time_zone) {
        this.clock = { element: time, zone: visitor.time_zone };
        this.tickClock();
      } else {
        time.textContent = "Unknown";
      }
      fact("Local time", time, "visitor-local-time");
      fact("Browser", browserText(visitor), "visitor-browser");
      fact("Visits", String(visitor.visits), "visitor-visits");
      fact("Chats", String(visitor.chats), "visitor-chats");
    }
    const blocks = el("div", "block-buttons");
    if (visitor) {
      const blockIp = el("button", "danger-outline", `Block ${visitor.ip}`, "block-ip");
      blockIp.addEventListener("click", () => this.actions.block({ kind: "ip", ip: visitor.ip }));
      blocks.append(blockIp);
      const country = visitor.location?.country_code;
      if (country) {
        const blockCountry = el("button", "danger-outline", `Block all from ${country}`, "block-country");
        blockCountry.addEventListener("click", () => this.actions.block({ kind: "country", country_code: country }));
        blocks.append(blockCountry);
      }
    }
    const previous = el("ul", "previous-chats", undefined, "previous-chats");
    for (const chat of visitor?.previous_chats ?? []) {
      const item = el("li", "previous-chat", undefined, "previous-chat");
      item.dataset.conversationId = chat.id;
      const title = `${formatTime(chat.started_at)} with ${chat.operators.join(", ") || "nobody"}`;
      const open = el("button", "link-button", title, "open-previous-chat");
      open.addEventListener("click", () => this.actions.openArchive(chat.id, `Chat of ${title}`));
      item.append(open);
      if (chat.first_message) item.append(el("p", "muted", chat.first_message));
      previous.append(item);
    }
    if (previous.childElementCount === 0) previous.append(el("li", "muted", "No earlier chats"));
    this.details.replaceChildren(list, blocks, el("h4", undefined, "Earlier chats"), previous);
  }

  private renderPages(visitor: LiveVisitor | undefined): void {
    const pages = visitor?.pages ?? [];
    if (pages.length === 0) {
      this.pages.replaceChildren(el("li", "muted", "No pages recorded"));
      return;
    }
    this.pages.replaceChildren(
      ...pages.map((page) => {
        const item = el("li", "history-page", undefined, "history-page");
        item.dataset.url = page.url;
        const stay = page.left_at === null ? "here now" : duration(page.left_at - page.entered_at);
        item.append(
          el("span", "history-title", page.title || page.url, "history-title"),
          this.link(page.url),
          el("span", "muted history-time", `${formatTime(page.entered_at)} · ${stay}`, "history-time"),
        );
        return item;
      }),
    );
  }

  private pageLink(page: Pick<PageInfo, "url" | "title"> | null): Node | string {
    if (!page || !page.url) return "Unknown";
    const link = this.link(page.url);
    link.textContent = page.title || page.url;
    return link;
  }

  private link(href: string): HTMLAnchorElement {
    const link = el("a", "page-link", href);
    link.href = href;
    link.title = href;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      this.actions.openLink(href);
    });
    return link;
  }

  private tickClock(): void {
    if (!this.clock) return;
    const time = localTime(this.clock.zone);
    this.clock.element.textContent = time ? `${time} (${this.clock.zone})` : this.clock.zone;
  }
}
