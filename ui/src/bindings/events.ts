// Generated from the Rust event names (ipc.rs) by the bindings test. Do not edit.

import type { AgentEvent } from "../../../crates/protocol/bindings/AgentEvent";
import type { ConnectionState } from "../../../crates/client/bindings/ConnectionState";
import type { DroppedFiles } from "./DroppedFiles";
import type { OpenChat } from "./OpenChat";
import type { OutboxUpdate } from "../../../crates/client/bindings/OutboxUpdate";
import type { RingState } from "./RingState";
import type { SessionEnded } from "./SessionEnded";
import type { SessionView } from "./SessionView";
import type { SnipPreview } from "./SnipPreview";
import type { TransferUpdate } from "./TransferUpdate";

/** The events of the core, by key. */
export const EVENTS = {
  sessionStarted: "session://started",
  sessionEnded: "session://ended",
  connectionChanged: "connection://changed",
  serverEvent: "server://event",
  outboxChanged: "outbox://changed",
  ringChanged: "ring://changed",
  chatOpen: "chat://open",
  transferChanged: "transfer://changed",
  filesDropped: "files://dropped",
  snipCaptured: "snip://captured",
} as const;

/** The payload of each event. */
export type EventPayloads = {
  sessionStarted: SessionView;
  sessionEnded: SessionEnded;
  connectionChanged: ConnectionState;
  serverEvent: AgentEvent;
  outboxChanged: OutboxUpdate;
  ringChanged: RingState;
  chatOpen: OpenChat;
  transferChanged: TransferUpdate;
  filesDropped: DroppedFiles;
  snipCaptured: SnipPreview;
};
