// Canned responses as pure logic: filling in placeholders, expanding a `#shortcut` before the
// caret, ranking search results, and grouping for the picker and the quick texts panel.

import type { CannedResponse } from "../../../crates/protocol/bindings/CannedResponse";

/** What placeholders are filled from. */
export interface PlaceholderContext {
  visitor: { name: string; email: string | null };
  operator: { name: string; email: string };
}

/** `{visitor.name}`-style placeholders; anything else in braces is left as typed. */
const PLACEHOLDER = /\{(visitor|operator)\.(name|email|first_name)\}/g;

/** Fills in `{visitor.name}`, `{visitor.first_name}`, `{visitor.email}`, `{operator.name}`, … */
export function fillPlaceholders(text: string, context: PlaceholderContext): string {
  return text.replace(PLACEHOLDER, (_, who: "visitor" | "operator", field: string) => {
    const person = context[who];
    if (field === "first_name") return person.name.trim().split(/\s+/)[0] ?? "";
    return (field === "email" ? person.email : person.name) ?? "";
  });
}

/** The placeholders an operator can use, for the editor's help line. */
export const PLACEHOLDERS = ["{visitor.name}", "{visitor.first_name}", "{visitor.email}", "{operator.name}", "{operator.first_name}"];

/** The result of expanding a shortcut: the new value and where the caret goes. */
export interface Expansion {
  value: string;
  caret: number;
  response: CannedResponse;
}

/** The response a shortcut names (personal ones win over the company's), if any. */
export function findShortcut(responses: readonly CannedResponse[], shortcut: string): CannedResponse | undefined {
  const wanted = shortcut.toLowerCase();
  const matches = responses.filter((r) => r.shortcut?.toLowerCase() === wanted);
  return matches.find((r) => r.scope === "personal") ?? matches[0];
}

/**
 * Expands the `#shortcut` that ends at `caret` (it must start the text or follow white space)
 * into its response's text, placeholders filled. `null` when there is nothing to expand.
 */
export function expandShortcut(
  value: string,
  caret: number,
  responses: readonly CannedResponse[],
  context: PlaceholderContext,
): Expansion | null {
  const before = value.slice(0, caret);
  const match = /(^|\s)#([\p{L}\p{N}_-]+)$/u.exec(before);
  if (!match) return null;
  const response = findShortcut(responses, match[2]);
  if (!response) return null;
  const start = caret - match[2].length - 1;
  const text = fillPlaceholders(response.text, context);
  return { value: value.slice(0, start) + text + value.slice(caret), caret: start + text.length, response };
}

/** Lower-cased fields of a response, computed once per response object. */
interface Haystack {
  shortcut: string;
  title: string;
  group: string;
  text: string;
}
const haystacks = new WeakMap<CannedResponse, Haystack>();

function haystack(response: CannedResponse): Haystack {
  let found = haystacks.get(response);
  if (!found) {
    found = {
      shortcut: response.shortcut?.toLowerCase() ?? "",
      title: response.title.toLowerCase(),
      group: response.group.toLowerCase(),
      text: response.text.toLowerCase(),
    };
    haystacks.set(response, found);
  }
  return found;
}

/** How well one query word matches a response; 0 when it does not. */
function wordScore(h: Haystack, word: string): number {
  const bare = word.startsWith("#") ? word.slice(1) : word;
  if (bare && h.shortcut === bare) return 100;
  if (bare && h.shortcut.startsWith(bare)) return 60;
  if (h.title.startsWith(word)) return 40;
  if (h.title.includes(` ${word}`)) return 30;
  if (h.title.includes(word)) return 20;
  if (h.group.includes(word)) return 10;
  if (h.text.includes(word)) return 5;
  return 0;
}

/**
 * The responses matching every word of `query`, best first: shortcut, then title, group and
 * text matches; ties keep the list's order. An empty query returns the list as it is.
 */
export function searchCanned(responses: readonly CannedResponse[], query: string): CannedResponse[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...responses];
  const scored: { response: CannedResponse; score: number; index: number }[] = [];
  responses.forEach((response, index) => {
    const h = haystack(response);
    let score = 0;
    for (const word of words) {
      const s = wordScore(h, word);
      if (s === 0) return;
      score += s;
    }
    scored.push({ response, score, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.response);
}

/** A titled run of responses for lists: the company's groups first, then the operator's own. */
export interface CannedGroup {
  label: string;
  responses: CannedResponse[];
}

/** Groups responses by scope and group name, keeping the list's order within each. */
export function groupCanned(responses: readonly CannedResponse[]): CannedGroup[] {
  const groups = new Map<string, CannedGroup>();
  for (const response of responses) {
    const scope = response.scope === "company" ? "Company" : "Mine";
    const label = response.group ? `${scope} · ${response.group}` : scope;
    let group = groups.get(label);
    if (!group) {
      group = { label, responses: [] };
      groups.set(label, group);
    }
    group.responses.push(response);
  }
  return [...groups.values()];
}
