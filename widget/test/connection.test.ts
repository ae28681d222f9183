import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VisitorConnection, WELCOME_TIMEOUT_MS, type ConnectionStatus } from "../src/chat/connection";
import type { VisitorEvent, VisitorRequest } from "../src/protocol";
import { FakeServer } from "./fake-socket";

const welcome: VisitorEvent = {
  type: "welcome",
  visitor_token: "t",
  visitor_id: "v",
  online: true,
  survey: [],
  conversation: null,
};

function setup(lastSeq: () => number | null = () => null) {
  const server = new FakeServer();
  const statuses: ConnectionStatus[] = [];
  const events: VisitorEvent[] = [];
  const hello = (): VisitorRequest => ({
    type: "hello",
    protocol: 1,
    visitor_token: null,
    page: { url: "https://shop.example/", title: "Shop", referrer: null },
    time_zone: "Europe/Berlin",
    last_seq: lastSeq(),
  });
  const connection = new VisitorConnection({
    url: "ws://chat.example/ws/v1/visitor",
    hello,
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    createSocket: server.createSocket,
    random: () => 0,
  });
  return { server, statuses, events, connection };
}

describe("visitor connection", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says hello first and is ready once welcomed", () => {
    const { server, statuses, connection } = setup();
    connection.start();
    expect(server.last.url).toBe("ws://chat.example/ws/v1/visitor");
    expect(connection.send({ type: "close", req: 1 })).toBe(false);
    server.last.open();
    expect(server.last.sent[0]).toMatchObject({ type: "hello", protocol: 1 });
    expect(connection.ready).toBe(false);
    server.last.receive(welcome);
    expect(connection.ready).toBe(true);
    expect(statuses.map((status) => status.state)).toEqual(["connecting", "connected"]);
  });

  it("reconnects with growing delays and resumes from the last seq", () => {
    let lastSeq: number | null = null;
    const { server, statuses, connection } = setup(() => lastSeq);
    connection.start();
    server.last.open();
    server.last.receive(welcome);
    lastSeq = 7;

    server.last.drop();
    expect(statuses.at(-1)).toEqual({ state: "reconnecting", attempt: 1, retryInMs: 500 });
    vi.advanceTimersByTime(499);
    expect(server.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(server.sockets).toHaveLength(2);

    server.last.drop();
    expect(statuses.at(-1)).toEqual({ state: "reconnecting", attempt: 2, retryInMs: 1000 });
    vi.advanceTimersByTime(1000);
    server.last.open();
    expect(server.last.sent[0]).toMatchObject({ type: "hello", last_seq: 7 });
    server.last.receive(welcome);

    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ attempt: 1, retryInMs: 500 });
  });

  it("drops a socket the server never welcomes", () => {
    const { server, connection } = setup();
    connection.start();
    server.last.open();
    vi.advanceTimersByTime(WELCOME_TIMEOUT_MS);
    expect(server.sockets[0].closed).toBe(true);
    vi.advanceTimersByTime(500);
    expect(server.sockets).toHaveLength(2);
  });

  it("stops for good when the origin is denied", () => {
    const { server, statuses, connection } = setup();
    connection.start();
    server.last.open();
    server.last.receive({
      type: "error",
      req: null,
      error: { code: "origin_denied", message: "not allowed" },
    });
    server.last.drop();
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({ state: "stopped" });
  });

  it("retries at once when the network comes back", () => {
    const { server, connection } = setup();
    connection.start();
    server.last.drop();
    connection.retryNow();
    expect(server.sockets).toHaveLength(2);
  });
});
