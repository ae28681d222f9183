/**
 * The visitor's file uploads: announce (`POST /api/v1/files`), stream the bytes with progress
 * (`PATCH /api/v1/files/{id}` with `Upload-Offset`), cancel, and resume an interrupted upload
 * from the offset the server reports. A finished upload leaves the list: the server shares it
 * in the chat as a `file` event.
 */
import { MAX_FILE_BYTES } from "../limits";
import type { UploadStatus } from "../protocol";

/** One upload as the UI shows it. */
export interface UploadView {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Bytes the server has (or is receiving). */
  readonly sent: number;
  /** Recent speed, in bytes per second. */
  readonly bytesPerSecond: number;
  readonly state: "sending" | "failed";
  /** Why it failed. */
  readonly error: string | null;
  /** Whether "Resume" can continue it (the server keeps what arrived). */
  readonly resumable: boolean;
}

/** What uploads need from the page. */
export interface UploadEnvironment {
  /** `http(s)://host/api/v1/files`. */
  readonly filesUrl: string;
  /** The visitor token to authenticate with. */
  token(): string | null;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Something changed; redraw. */
  onChange(): void;
  /** Makes a request object (tests pass a fake). */
  createXhr?(): XMLHttpRequest;
  /** `fetch` (tests pass a fake). */
  fetch?: typeof fetch;
}

interface Upload {
  localId: string;
  serverId: string | null;
  file: Blob;
  name: string;
  conversationId: string;
  sent: number;
  startedAt: number;
  startOffset: number;
  state: "sending" | "failed";
  error: string | null;
  resumable: boolean;
  xhr: XMLHttpRequest | null;
}

let counter = 0;

/** Every upload of this page. */
export class Uploads {
  private readonly uploads: Upload[] = [];

  constructor(private readonly env: UploadEnvironment) {}

  /** Starts uploading `file` into the conversation. */
  start(file: File, conversationId: string): void {
    const upload: Upload = {
      localId: `up-${++counter}`,
      serverId: null,
      file,
      name: file.name,
      conversationId,
      sent: 0,
      startedAt: this.env.now(),
      startOffset: 0,
      state: "sending",
      error: null,
      resumable: false,
      xhr: null,
    };
    this.uploads.push(upload);
    if (file.size > MAX_FILE_BYTES) {
      this.fail(upload, "Files can be at most 100 MB.", false);
      return;
    }
    void this.announce(upload);
  }

  /** Stops an upload and tells the server to forget it. */
  cancel(localId: string): void {
    const upload = this.find(localId);
    if (!upload) {
      return;
    }
    upload.xhr?.abort();
    this.uploads.splice(this.uploads.indexOf(upload), 1);
    if (upload.serverId !== null) {
      void this.call(`${this.env.filesUrl}/${upload.serverId}`, { method: "DELETE" }).catch(() => undefined);
    }
    this.env.onChange();
  }

  /** Continues a failed upload from where the server's copy ends. */
  resume(localId: string): void {
    const upload = this.find(localId);
    if (!upload || upload.state !== "failed" || !upload.resumable || upload.serverId === null) {
      return;
    }
    upload.state = "sending";
    upload.error = null;
    this.env.onChange();
    void this.call(`${this.env.filesUrl}/${upload.serverId}/upload`, { method: "GET" })
      .then((status) => this.send(upload, status.received))
      .catch((error: unknown) => this.fail(upload, messageOf(error), true));
  }

  /** The uploads in progress or failed, oldest first. */
  list(): UploadView[] {
    const now = this.env.now();
    return this.uploads.map((upload) => {
      const seconds = Math.max((now - upload.startedAt) / 1000, 0.001);
      return {
        id: upload.localId,
        name: upload.name,
        size: upload.file.size,
        sent: upload.sent,
        bytesPerSecond: upload.state === "sending" ? (upload.sent - upload.startOffset) / seconds : 0,
        state: upload.state,
        error: upload.error,
        resumable: upload.resumable,
      };
    });
  }

  private find(localId: string): Upload | undefined {
    return this.uploads.find((upload) => upload.localId === localId);
  }

  private async announce(upload: Upload): Promise<void> {
    try {
      const status = await this.call(this.env.filesUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ conversation_id: upload.conversationId, name: upload.name, size: upload.file.size }),
      });
      upload.serverId = status.id;
      this.send(upload, 0);
    } catch (error) {
      this.fail(upload, messageOf(error), false);
    }
  }

  private send(upload: Upload, offset: number): void {
    if (!this.uploads.includes(upload) || upload.serverId === null) {
      return;
    }
    const xhr = this.env.createXhr?.() ?? new XMLHttpRequest();
    upload.xhr = xhr;
    upload.sent = offset;
    upload.startOffset = offset;
    upload.startedAt = this.env.now();
    xhr.open("PATCH", `${this.env.filesUrl}/${upload.serverId}`);
    xhr.setRequestHeader("Authorization", `Visitor ${this.env.token() ?? ""}`);
    xhr.setRequestHeader("Upload-Offset", String(offset));
    xhr.upload.onprogress = (event) => {
      upload.sent = offset + event.loaded;
      this.env.onChange();
    };
    xhr.onload = () => {
      upload.xhr = null;
      if (xhr.status >= 200 && xhr.status < 300) {
        this.uploads.splice(this.uploads.indexOf(upload), 1);
        this.env.onChange();
      } else {
        this.fail(upload, errorText(xhr.responseText, xhr.status), xhr.status === 409);
      }
    };
    xhr.onerror = () => this.fail(upload, "The connection was lost.", true);
    xhr.send(upload.file.slice(offset));
    this.env.onChange();
  }

  private fail(upload: Upload, error: string, resumable: boolean): void {
    upload.xhr = null;
    upload.state = "failed";
    upload.error = error;
    upload.resumable = resumable;
    this.env.onChange();
  }

  private async call(url: string, init: RequestInit): Promise<UploadStatus> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Visitor ${this.env.token() ?? ""}`);
    const response = await (this.env.fetch ?? fetch)(url, { ...init, headers });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(errorText(text, response.status));
    }
    return text === "" ? ({ id: "", received: 0, size: 0, seq: null } as UploadStatus) : (JSON.parse(text) as UploadStatus);
  }
}

/** The server's error sentence from an error body, or a generic one. */
export function errorText(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } };
    if (parsed.error?.message) {
      return parsed.error.message;
    }
  } catch {
    // not JSON: fall through
  }
  return `The upload failed (HTTP ${status}).`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "1.5 MB", "320 KB", "12 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  }
  if (bytes >= 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  return `${bytes} B`;
}
