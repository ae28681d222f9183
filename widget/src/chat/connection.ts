/**
 * The visitor's WebSocket to the server: sends `Hello` on every (re)connect, hands each frame to
 * the widget, and reconnects with backoff and jitter after a drop. It owns no chat state: the
 * widget builds the `Hello` (with the seq to resume from) each time it is asked.
 */
import type { ProtocolError, VisitorEvent, VisitorRequest } from "../protocol";
import { reconnectDelay } from "./backoff";

/** Where the connection stands. */
export type ConnectionStatus =
  | { readonly state: "connecting" }
  | { readonly state: "connected" }
  | { readonly state: "reconnecting"; readonly attempt: number; readonly retryInMs: number }
  | { readonly state: "stopped"; readonly error: ProtocolError };

/** The part of the browser's `WebSocket` the connection uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

/** What the connection needs from its owner. */
export interface ConnectionOptions {
  /** `ws(s)://host/ws/v1/visitor`. */
  readonly url: string;
  /** Builds the `Hello` frame for a new socket. */
  hello(): VisitorRequest;
  /** Receives every frame from the server. */
  onEvent(event: VisitorEvent): void;
  /** Receives every status change. */
  onStatus(status: ConnectionStatus): void;
  /** Opens a socket (defaults to `new WebSocket(url)`). */
  createSocket?(url: string): SocketLike;
  /** Random source for the jitter (defaults to `Math.random`). */
  random?(): number;
}

/** How long a new socket may take to be welcomed before it is dropped and retried. */
export const WELCOME_TIMEOUT_MS = 10_000;
const OPEN = 1;
/** Errors after which reconnecting cannot help. */
const FATAL_CODES = new Set(["origin_denied", "unsupported_version"]);

/** One logical connection that survives socket drops. */
export class VisitorConnection {
  private socket: SocketLike | null = null;
  private welcomed = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private welcomeTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  /** Creates the connection; nothing happens until `start`. */
  constructor(private readonly options: ConnectionOptions) {}

  /** Connects (if not already connected or connecting). */
  start(): void {
    this.stopped = false;
    if (this.socket === null) {
      this.open();
    }
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.drop();
  }

  /** While waiting to reconnect, tries again now (e.g. when the browser comes back online). */
  retryNow(): void {
    if (this.retryTimer !== null && !this.stopped) {
      this.clearTimers();
      this.open();
    }
  }

  /** Whether the server has welcomed the current socket (requests can be sent). */
  get ready(): boolean {
    return this.welcomed && this.socket?.readyState === OPEN;
  }

  /** Sends a request; returns false (sending nothing) when not connected. */
  send(request: VisitorRequest): boolean {
    if (!this.ready || this.socket === null) {
      return false;
    }
    this.socket.send(JSON.stringify(request));
    return true;
  }

  private open(): void {
    this.welcomed = false;
    this.options.onStatus({ state: "connecting" });
    const socket = this.options.createSocket
      ? this.options.createSocket(this.options.url)
      : new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify(this.options.hello()));
      this.welcomeTimer = setTimeout(() => this.lost(socket), WELCOME_TIMEOUT_MS);
    };
    socket.onmessage = (message) => this.receive(socket, message);
    socket.onclose = () => this.lost(socket);
    socket.onerror = () => this.lost(socket);
  }

  private receive(socket: SocketLike, message: MessageEvent): void {
    if (socket !== this.socket || typeof message.data !== "string") {
      return;
    }
    let event: VisitorEvent;
    try {
      event = JSON.parse(message.data) as VisitorEvent;
    } catch {
      return;
    }
    if (event.type === "welcome") {
      this.welcomed = true;
      this.attempt = 0;
      this.clearTimers();
      this.options.onStatus({ state: "connected" });
    } else if (event.type === "error" && event.req === null && FATAL_CODES.has(event.error.code)) {
      this.stop();
      this.options.onStatus({ state: "stopped", error: event.error });
    }
    this.options.onEvent(event);
  }

  /** The socket closed or failed: schedule the next attempt (once per socket). */
  private lost(socket: SocketLike): void {
    if (socket !== this.socket || this.stopped) {
      return;
    }
    this.drop();
    this.clearTimers();
    const retryInMs = reconnectDelay(this.attempt, this.options.random);
    this.attempt += 1;
    this.options.onStatus({ state: "reconnecting", attempt: this.attempt, retryInMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, retryInMs);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (socket !== null) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      socket.close();
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.welcomeTimer !== null) {
      clearTimeout(this.welcomeTimer);
      this.welcomeTimer = null;
    }
  }
}
