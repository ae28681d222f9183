// Generated from the Rust event names (ipc.rs) by the bindings test. Do not edit.

import type { DroppedFiles } from "./DroppedFiles";
import type { OpenChat } from "./OpenChat";
import type { RingState } from "./RingState";
import type { SessionEnded } from "./SessionEnded";
import type { SessionEventsJson } from "./SessionEventsJson";
import type { SessionView } from "./SessionView";
import type { SnipPreview } from "./SnipPreview";
import type { TransferUpdate } from "./TransferUpdate";

/** The events of the core, by key. */
export const EVENTS = {
  sessionStarted: "session://started",
  sessionEnded: "session://ended",
  sessionEvents: "session://events",
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
  sessionEvents: SessionEventsJson;
  ringChanged: RingState;
  chatOpen: OpenChat;
  transferChanged: TransferUpdate;
  filesDropped: DroppedFiles;
  snipCaptured: SnipPreview;
};
