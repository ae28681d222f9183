import { describe, expect, it } from "vitest";
import { Uploads, errorText, formatBytes } from "../src/chat/uploads";

/** A stand-in for XMLHttpRequest that records what was sent and lets the test finish it. */
class FakeXhr {
  method = "";
  url = "";
  headers = new Map<string, string>();
  body: Blob | null = null;
  status = 0;
  responseText = "";
  aborted = false;
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }
  send(body: Blob): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
  }
}

function setup() {
  const xhrs: FakeXhr[] = [];
  const calls: { url: string; method: string; auth: string | null; body: string | null }[] = [];
  let received = 0;
  let clock = 1_000;
  const uploads = new Uploads({
    filesUrl: "http://chat.test/api/v1/files",
    token: () => "visitor.token",
    now: () => clock,
    onChange: () => undefined,
    createXhr: () => {
      const xhr = new FakeXhr();
      xhrs.push(xhr);
      return xhr as unknown as XMLHttpRequest;
    },
    fetch: (async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      calls.push({ url, method: init.method ?? "GET", auth: headers.get("Authorization"), body: (init.body as string) ?? null });
      const body = init.method === "DELETE" ? "" : JSON.stringify({ id: "f1", received, size: 10, seq: null });
      return new Response(body, { status: init.method === "POST" ? 201 : 200 });
    }) as typeof fetch,
  });
  return {
    uploads,
    xhrs,
    calls,
    setReceived: (n: number) => (received = n),
    tick: (ms: number) => (clock += ms),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("uploads", () => {
  it("announce the file, stream it with progress and leave the list when done", async () => {
    const { uploads, xhrs, calls, tick } = setup();
    uploads.start(new File(["0123456789"], "notes.txt"), "c1");
    await settle();
    expect(calls[0]).toMatchObject({ method: "POST", auth: "Visitor visitor.token" });
    expect(JSON.parse(calls[0].body!)).toEqual({ conversation_id: "c1", name: "notes.txt", size: 10 });
    const xhr = xhrs[0];
    expect([xhr.method, xhr.url, xhr.headers.get("Upload-Offset")]).toEqual(["PATCH", "http://chat.test/api/v1/files/f1", "0"]);
    tick(500);
    xhr.upload.onprogress?.({ loaded: 4 });
    expect(uploads.list()[0]).toMatchObject({ sent: 4, size: 10, state: "sending", bytesPerSecond: 8 });
    xhr.status = 200;
    xhr.onload?.();
    expect(uploads.list()).toEqual([]);
  });

  it("resume an interrupted upload from the server's offset", async () => {
    const { uploads, xhrs, calls, setReceived } = setup();
    uploads.start(new File(["0123456789"], "notes.txt"), "c1");
    await settle();
    xhrs[0].onerror?.();
    const [failed] = uploads.list();
    expect(failed).toMatchObject({ state: "failed", resumable: true, error: "The connection was lost." });
    setReceived(6);
    uploads.resume(failed.id);
    await settle();
    expect(calls[1]).toMatchObject({ method: "GET", url: "http://chat.test/api/v1/files/f1/upload" });
    expect(xhrs[1].headers.get("Upload-Offset")).toBe("6");
    expect(await xhrs[1].body!.text()).toBe("6789");
  });

  it("cancel aborts the request and tells the server", async () => {
    const { uploads, xhrs, calls } = setup();
    uploads.start(new File(["0123456789"], "notes.txt"), "c1");
    await settle();
    uploads.cancel(uploads.list()[0].id);
    await settle();
    expect(xhrs[0].aborted).toBe(true);
    expect(calls[1]).toMatchObject({ method: "DELETE", url: "http://chat.test/api/v1/files/f1" });
    expect(uploads.list()).toEqual([]);
  });

  it("refuse files over 100 MB before sending anything", () => {
    const { uploads, calls } = setup();
    const big = { name: "big.iso", size: 100 * 1024 * 1024 + 1, slice: () => new Blob() } as unknown as File;
    uploads.start(big, "c1");
    expect(uploads.list()[0]).toMatchObject({ state: "failed", resumable: false, error: "Files can be at most 100 MB." });
    expect(calls).toEqual([]);
  });

  it("show the server's error sentence", () => {
    expect(errorText('{"error":{"code":"too_large","message":"files are limited to 1 MB"}}', 413)).toBe("files are limited to 1 MB");
    expect(errorText("<html>", 502)).toBe("The upload failed (HTTP 502).");
    expect(formatBytes(1536)).toBe("2 KB");
  });
});
