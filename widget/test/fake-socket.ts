/** A scripted stand-in for the browser's WebSocket, for tests of the connection and widget. */
import type { SocketLike } from "../src/chat/connection";
import type { VisitorEvent, VisitorRequest } from "../src/protocol";

/** One fake socket: records what the widget sends and lets the test play the server. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: VisitorRequest[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as VisitorRequest);
  }

  close(): void {
    this.closed = true;
    this.readyState = 3;
  }

  /** The server accepted the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }

  /** The server sends a frame. */
  receive(event: VisitorEvent): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(event) }));
  }

  /** The connection dropped. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close"));
  }

  /** The requests of one type the widget sent. */
  sentOfType<T extends VisitorRequest["type"]>(type: T): Extract<VisitorRequest, { type: T }>[] {
    return this.sent.filter((request): request is Extract<VisitorRequest, { type: T }> => request.type === type);
  }
}

/** Hands out fake sockets and keeps them for the test to drive. */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];

  /** A `createSocket` for the widget or connection. */
  readonly createSocket = (url: string): FakeSocket => {
    const socket = new FakeSocket(url);
    this.sockets.push(socket);
    return socket;
  };

  /** The most recent socket. */
  get last(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) {
      throw new Error("no socket was opened");
    }
    return socket;
  }
}
