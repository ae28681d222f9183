import { describe, expect, it, vi } from "vitest";

import type { TransferUpdate } from "../src/bindings/TransferUpdate";
import { findChat, initialState, reduce, type Action, type State } from "../src/store";
import { formatBytes, TransferList, type FileActions } from "../src/views/files";
import { session, summary } from "./fixtures";

const file = { id: "ab".repeat(32), name: "shot.png", size: 2048, mime: "image/png", preview: true };

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

function transfer(id: string, transferred: number, state: TransferUpdate["state"] = { state: "active" }): TransferUpdate {
  return {
    id,
    conversation_id: "a",
    direction: "upload",
    name: "big.zip",
    size: 10 * 1024 * 1024,
    transferred,
    bytes_per_second: 2 * 1024 * 1024,
    state,
    saved_to: null,
  };
}

describe("files in chats", () => {
  it("a shared file becomes a file item and counts as unread from a visitor", () => {
    const state = run(
      { type: "session_started", session: session([summary("a", 10, "active"), summary("b", 20, "active")]) },
      { type: "select", conversationId: "b" },
      {
        type: "server",
        event: {
          type: "event",
          conversation_id: "a",
          event: { seq: 2, at: 5, body: { type: "file", author: { kind: "visitor", name: "Vera" }, file } },
        },
      },
    );
    const chat = findChat(state, "a")!;
    expect(chat.items).toEqual([{ kind: "file", key: "file-2", seq: 2, at: 5, author: { kind: "visitor", name: "Vera" }, file }]);
    expect(chat.unread).toBe(1);
  });

  it("transfers update in place, newest first, until dismissed", () => {
    let state = run({ type: "transfer", update: transfer("t1", 0) }, { type: "transfer", update: transfer("t2", 0) });
    state = reduce(state, { type: "transfer", update: transfer("t1", 512) });
    expect(state.transfers.map((t) => [t.id, t.transferred])).toEqual([
      ["t2", 0],
      ["t1", 512],
    ]);
    state = reduce(state, { type: "dismiss_transfer", id: "t2" });
    expect(state.transfers.map((t) => t.id)).toEqual(["t1"]);
  });
});

describe("transfer list", () => {
  it("shows progress and speed, and cancels an active transfer", () => {
    const actions: FileActions = {
      download: vi.fn(),
      preview: vi.fn(),
      cancelTransfer: vi.fn(),
      dismissTransfer: vi.fn(),
      openDownload: vi.fn(),
    };
    const list = new TransferList(actions);
    list.update([transfer("t1", 5 * 1024 * 1024)]);
    const figures = list.root.querySelector("[data-testid=transfer-figures]")!.textContent;
    expect(figures).toBe("5.0 MB of 10.0 MB · 2.0 MB/s");
    list.root.querySelector<HTMLButtonElement>("[data-testid=cancel-transfer]")!.click();
    expect(actions.cancelTransfer).toHaveBeenCalledWith("t1");
    list.update([transfer("t1", 0, { state: "failed", message: "files are limited to 1 MB" })]);
    expect(list.root.querySelector("[data-testid=transfer-figures]")!.textContent).toBe("Failed: files are limited to 1 MB");
    expect(formatBytes(100)).toBe("100 B");
  });
});
