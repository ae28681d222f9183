import { describe, expect, it, vi } from "vitest";
import { clipPage, HostBridge } from "../src/chat/host";
import type { PageInfo } from "../src/protocol";

/** A window inside a frame, with a parent that records what it is sent. */
function framedWindow() {
  const listeners: ((event: MessageEvent) => void)[] = [];
  const parent = { postMessage: vi.fn() };
  const win = {
    parent,
    document: { referrer: "https://shop.example/", title: "Chat", documentElement: { dataset: {} } },
    location: { href: "https://chat.example/widget/chat.html" },
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (id: number) => clearTimeout(id),
    addEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.push(listener),
  };
  const deliver = (data: unknown, origin: string, source: unknown = parent) => {
    for (const listener of listeners) {
      listener({ data, origin, source } as MessageEvent);
    }
  };
  return { win: win as unknown as Window, parent, deliver };
}

const page: PageInfo = { url: "https://shop.example/pricing", title: "Pricing", referrer: null };

describe("host bridge", () => {
  it("takes the page from the parent and answers only to the parent's origin", () => {
    const { win, parent, deliver } = framedWindow();
    const pages: PageInfo[] = [];
    const bridge = new HostBridge(win, (reported) => pages.push(reported));
    bridge.setOpen(true);
    expect(parent.postMessage).not.toHaveBeenCalled();

    deliver({ source: "switchboard-host", type: "page", page }, "https://shop.example");
    expect(pages).toEqual([page]);
    expect(parent.postMessage).toHaveBeenCalledWith(
      { source: "switchboard-widget", type: "layout", open: true },
      "https://shop.example",
    );
  });

  it("ignores messages from other windows and malformed ones", () => {
    const { win, deliver } = framedWindow();
    const pages: PageInfo[] = [];
    new HostBridge(win, (reported) => pages.push(reported));
    deliver({ source: "switchboard-host", type: "page", page }, "https://evil.example", {});
    deliver({ source: "switchboard-host", type: "page", page: { url: 1 } }, "https://shop.example");
    deliver("hello", "https://shop.example");
    expect(pages).toEqual([]);
  });

  it("falls back to the referrer when the host page stays silent", () => {
    vi.useFakeTimers();
    const { win } = framedWindow();
    const pages: PageInfo[] = [];
    new HostBridge(win, (reported) => pages.push(reported), 2000);
    vi.advanceTimersByTime(2000);
    expect(pages).toEqual([{ url: "https://shop.example/", title: "", referrer: null }]);
    vi.useRealTimers();
  });

  it("clips page reports to the server's limits", () => {
    const long = clipPage({
      url: `https://shop.example/${"é".repeat(3000)}`,
      title: "t".repeat(400),
      referrer: null,
    });
    expect(new TextEncoder().encode(long.url).length).toBeLessThanOrEqual(2048);
    expect(long.url.startsWith("https://shop.example/éé")).toBe(true);
    expect(long.title).toHaveLength(300);
  });
});
