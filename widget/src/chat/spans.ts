/**
 * Turns a message's spans into DOM nodes: text spans become text nodes and link spans become
 * anchors that open in a new tab. Message text never passes through an HTML parser, so markup a
 * visitor or operator types is shown as the characters they typed.
 */
import type { TextSpan } from "../protocol";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The href to use for a link span, or null when it is not an http(s) or mailto URL. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Renders spans into a fragment of text nodes and `<a target=_blank rel="noopener noreferrer">`. */
export function renderSpans(spans: readonly TextSpan[], doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const span of spans) {
    const href = span.kind === "link" ? safeHref(span.href) : null;
    if (href === null) {
      fragment.append(doc.createTextNode(span.text));
      continue;
    }
    const link = doc.createElement("a");
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = span.text;
    fragment.append(link);
  }
  return fragment;
}
