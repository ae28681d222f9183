import { describe, expect, it } from "vitest";
import { renderSpans, safeHref } from "../src/chat/spans";

function render(spans: Parameters<typeof renderSpans>[0]): HTMLElement {
  const container = document.createElement("div");
  container.append(renderSpans(spans));
  return container;
}

describe("span rendering", () => {
  it("shows markup as the characters typed, never as elements", () => {
    const text = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const container = render([{ kind: "text", text }]);
    expect(container.textContent).toBe(text);
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.childNodes).toHaveLength(1);
    expect(container.firstChild?.nodeType).toBe(Node.TEXT_NODE);
  });

  it("renders links as anchors that open in a new tab without an opener", () => {
    const container = render([
      { kind: "text", text: "see " },
      { kind: "link", text: "example.com/docs", href: "https://example.com/docs" },
      { kind: "text", text: " or mail " },
      { kind: "link", text: "help@example.com", href: "mailto:help@example.com" },
    ]);
    const links = [...container.querySelectorAll("a")];
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "https://example.com/docs",
      "mailto:help@example.com",
    ]);
    for (const link of links) {
      expect(link.target).toBe("_blank");
      expect(link.rel).toBe("noopener noreferrer");
    }
    expect(container.textContent).toBe("see example.com/docs or mail help@example.com");
  });

  it("shows links with other schemes as plain text", () => {
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
    const container = render([{ kind: "link", text: "click", href: "javascript:alert(1)" }]);
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toBe("click");
  });

  it("keeps link text as text even when it looks like markup", () => {
    const container = render([
      { kind: "link", text: "<b>bold</b>", href: "https://example.com/?q=<b>" },
    ]);
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("a")?.textContent).toBe("<b>bold</b>");
  });
});
