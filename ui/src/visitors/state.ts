// The visitors the server reports (live list and blocking rules), folded from its events, plus
// the pure helpers the Visitors page and the chat sidebar share: filtering, sorting, times.

import type { AgentEvent } from "../../../crates/protocol/bindings/AgentEvent";
import type { BlockRule } from "../../../crates/protocol/bindings/BlockRule";
import type { LiveVisitor } from "../../../crates/protocol/bindings/LiveVisitor";
import type { Location } from "../../../crates/protocol/bindings/Location";
import type { VisitorChatState } from "../../../crates/protocol/bindings/VisitorChatState";

/** Everyone on the site and the blocking rules. */
export interface VisitorsState {
  /** Visitors by id. */
  byId: ReadonlyMap<string, LiveVisitor>;
  /** Blocking rules, newest first. */
  blocks: BlockRule[];
}

/** Nothing known yet. */
export const noVisitors: VisitorsState = { byId: new Map(), blocks: [] };

/** The visitor events of the agent protocol. */
export type VisitorEvent = Extract<
  AgentEvent,
  { type: "visitor_list" | "visitor_updated" | "visitor_gone" | "block_list" }
>;

/** Applies one visitor event. Never mutates `state`. */
export function applyVisitorEvent(state: VisitorsState, event: VisitorEvent): VisitorsState {
  switch (event.type) {
    case "visitor_list":
      return { ...state, byId: new Map(event.visitors.map((v) => [v.id, v])) };
    case "visitor_updated": {
      const byId = new Map(state.byId);
      byId.set(event.visitor.id, event.visitor);
      return { ...state, byId };
    }
    case "visitor_gone": {
      if (!state.byId.has(event.visitor_id)) return state;
      const byId = new Map(state.byId);
      byId.delete(event.visitor_id);
      return { ...state, byId };
    }
    case "block_list":
      return { ...state, blocks: event.blocks };
  }
}

/** How the Visitors page orders its rows. */
export type VisitorSort = "arrival" | "time_on_site" | "name" | "location";

/** Visitors whose name, location, page or address contain `filter` (any case), sorted. */
export function listVisitors(state: VisitorsState, filter: string, sort: VisitorSort): LiveVisitor[] {
  const needle = filter.trim().toLowerCase();
  const rows = [...state.byId.values()].filter(
    (v) =>
      needle === "" ||
      [v.name, v.ip, locationText(v.location), currentPage(v)?.title, currentPage(v)?.url]
        .filter(Boolean)
        .some((text) => text!.toLowerCase().includes(needle)),
  );
  const compare: Record<VisitorSort, (a: LiveVisitor, b: LiveVisitor) => number> = {
    arrival: (a, b) => b.arrived_at - a.arrived_at,
    time_on_site: (a, b) => a.arrived_at - b.arrived_at,
    name: (a, b) => a.name.localeCompare(b.name),
    location: (a, b) => locationText(a.location).localeCompare(locationText(b.location)),
  };
  return rows.sort(compare[sort]);
}

/** The page the visitor is on (the last of the visit). */
export function currentPage(visitor: LiveVisitor) {
  return visitor.pages[visitor.pages.length - 1] ?? null;
}

/** "Berlin, State of Berlin, DE"; "Unknown" when the database does not know the address. */
export function locationText(location: Location | null): string {
  if (!location) return "Unknown";
  const parts = [location.city, location.region, location.country_code].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "Unknown";
}

/** "1 h 5 min", "3 min 20 s", "12 s". */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** The visitor's local time in their IANA zone ("14:05"), or null if unknown or invalid. */
export function localTime(zone: string | null, now: number = Date.now()): string | null {
  if (!zone) return null;
  try {
    return new Date(now).toLocaleTimeString(undefined, { timeZone: zone, hour: "2-digit", minute: "2-digit" });
  } catch {
    return null;
  }
}

/** What a visitor's chat state reads as. */
export function chatStateText(chat: VisitorChatState): string {
  switch (chat.state) {
    case "idle":
      return "Browsing";
    case "invited":
      return `Invited by ${chat.by.name}`;
    case "ringing":
      return "Calling";
    case "chatting":
      return `Chatting with ${chat.operators.map((o) => o.name).join(", ")}`;
  }
}

/** "Chrome 120 on Linux". */
export function browserText(visitor: LiveVisitor): string {
  const { name, version, os, os_version } = visitor.browser;
  const known = (text: string) => text && text !== "UNKNOWN";
  const browser = [name, version].filter(known).join(" ") || "Unknown browser";
  const system = [os, os_version].filter(known).join(" ");
  return system ? `${browser} on ${system}` : browser;
}
