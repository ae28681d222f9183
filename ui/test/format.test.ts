import { describe, expect, it, vi } from "vitest";

import { formatTime, renderSpans } from "../src/format";
import { bannerText } from "../src/views/main";

describe("message spans", () => {
  it("renders markup in messages as text, never as elements", () => {
    const host = document.createElement("div");
    host.append(renderSpans([{ kind: "text", text: "<b>x</b><img src=x onerror=alert(1)>" }], () => {}));
    expect(host.textContent).toBe("<b>x</b><img src=x onerror=alert(1)>");
    expect(host.querySelector("b, img")).toBeNull();
  });

  it("renders links as anchors whose clicks go to the handler, not to the page", () => {
    const opened = vi.fn();
    const host = document.createElement("div");
    host.append(
      renderSpans(
        [
          { kind: "text", text: "see " },
          { kind: "link", text: "example.com", href: "https://example.com/" },
        ],
        opened,
      ),
    );
    const link = host.querySelector("a")!;
    expect(link.textContent).toBe("example.com");
    const click = new MouseEvent("click", { cancelable: true, bubbles: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(opened).toHaveBeenCalledWith("https://example.com/");
  });
});

describe("times", () => {
  it("shows only the time for today and adds the date otherwise", () => {
    const now = new Date(2026, 2, 10, 15, 0).getTime();
    const today = formatTime(new Date(2026, 2, 10, 9, 5).getTime(), now);
    const earlier = formatTime(new Date(2026, 2, 3, 9, 5).getTime(), now);
    expect(today).toMatch(/09.05|9.05/);
    expect(earlier.length).toBeGreaterThan(today.length);
    expect(earlier).toContain(today);
  });
});

describe("connection banner", () => {
  it("is hidden while connected and explains reconnecting", () => {
    expect(bannerText({ state: "connected" })).toBeNull();
    expect(bannerText({ state: "reconnecting", attempt: 2, retry_in_ms: 1500 })).toContain("Reconnecting in 2 s");
  });
});
