// Small display helpers: times, and message spans as DOM nodes (text nodes and anchors only;
// message text is never parsed as HTML).

import type { TextSpan } from "../../crates/protocol/bindings/TextSpan";

// Made once: `toLocaleTimeString` with options builds a new formatter on every call.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** "14:05" today, "3 Mar 14:05" on other days, in the operator's locale and zone. */
export function formatTime(at: number, now: number = Date.now()): string {
  const date = new Date(at);
  const time = timeFormat.format(date);
  if (new Date(now).toDateString() === date.toDateString()) return time;
  return `${dayFormat.format(date)} ${time}`;
}

/** Builds a message body from its spans. `onLink` gets the href of a clicked link. */
export function renderSpans(spans: TextSpan[], onLink: (href: string) => void): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const span of spans) {
    if (span.kind === "text") {
      fragment.append(document.createTextNode(span.text));
      continue;
    }
    const link = document.createElement("a");
    link.textContent = span.text;
    link.href = span.href;
    link.title = span.href;
    link.rel = "noreferrer noopener";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      onLink(span.href);
    });
    fragment.append(link);
  }
  return fragment;
}

/** Creates an element with a class and optional text (as a text node) and test id. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
  testId?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  if (testId) element.dataset.testid = testId;
  return element;
}
