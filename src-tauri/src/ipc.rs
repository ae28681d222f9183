//! Everything that crosses the IPC boundary besides errors: the arguments and results of the
//! commands, and the events (named `domain://action`) with their payloads. TypeScript types for
//! all of them are generated into `ui/src/bindings/` (see the `bindings` test).

use serde::{Deserialize, Serialize};
use switchboard_client::{ClientEvent, ConnectionState};
use switchboard_protocol::{
    AgentEvent, CannedResponse, ConversationEvent, ConversationSummary, Operator, Status,
};
use ts_rs::TS;

/// What the login screen sends.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LoginForm {
    /// Server address, e.g. `https://chat.example.com`.
    pub server_url: String,
    /// Operator email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Keep the login in the OS keychain so the next start logs in by itself.
    pub remember: bool,
}

/// The logged-in state, as the UI needs it to draw the main window.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionView {
    /// The server this session talks to.
    pub server_url: String,
    /// Who is logged in.
    pub operator: Operator,
    /// The operator's current status.
    pub status: Status,
    /// The connection to the server.
    pub connection: ConnectionState,
    /// Open and ringing conversations, newest first.
    pub conversations: Vec<ConversationSummary>,
    /// The canned responses this operator can use (company-wide first).
    pub canned: Vec<CannedResponse>,
}

/// The answer of `restore_session`: either a live session or what the login screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StartupState {
    /// Logged in (by the keychain or the environment).
    LoggedIn {
        /// The session.
        session: SessionView,
    },
    /// Show the login screen.
    LoggedOut {
        /// Server address to prefill.
        server_url: Option<String>,
        /// Email to prefill.
        email: Option<String>,
        /// Why the app is not logged in, when there is something to say (expired session...).
        notice: Option<String>,
    },
}

/// One page of a conversation's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HistoryChunk {
    /// Events, oldest first.
    pub events: Vec<ConversationEvent>,
    /// Whether older events exist.
    pub has_more: bool,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The operator logged out.
    LoggedOut,
    /// The server no longer accepts the session and no password was remembered.
    Expired,
}

/// Events of the session's connection, oldest first. A burst (twenty busy chats) arrives as
/// one batch rather than one event each, which keeps the web view from evaluating a script per
/// message.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionEvents {
    /// The events, in the order they happened.
    pub events: Vec<ClientEvent>,
}

/// Payload of [`SESSION_EVENTS`]: [`SessionEvents`] as JSON text. An event's payload is written
/// into the script that delivers it: as text, the web view reads it with its JSON parser rather
/// than compiling a large object literal as script code for every batch.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(type = "string")]
pub struct SessionEventsJson(String);

impl SessionEventsJson {
    /// `events` as JSON text.
    pub fn new(events: Vec<ClientEvent>) -> serde_json::Result<Self> {
        serde_json::to_string(&SessionEvents { events }).map(Self)
    }
}

/// Payload of [`SESSION_ENDED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SessionEnded {
    /// Why.
    pub reason: EndReason,
}

/// Payload of [`RING_CHANGED`]: the calls ringing for this operator right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RingState {
    /// Conversation ids, oldest call first.
    pub ringing: Vec<String>,
}

/// Payload of [`CHAT_OPEN`]: show this conversation's tab (e.g. its notification was clicked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenChat {
    /// Conversation id.
    pub conversation_id: String,
}

/// Which way a file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferDirection {
    /// From this computer into a chat.
    Upload,
    /// From a chat onto this computer.
    Download,
}

/// Where a transfer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TransferState {
    /// Bytes are moving.
    Active,
    /// Finished: uploaded and shared, or saved to disk.
    Done,
    /// Stopped by the operator.
    Cancelled,
    /// Failed for good.
    Failed {
        /// Why, as a sentence.
        message: String,
    },
}

/// Payload of [`TRANSFER_CHANGED`]: one file transfer's progress.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TransferUpdate {
    /// Transfer id (for `cancel_transfer` and `open_download`).
    pub id: String,
    /// The chat it belongs to.
    pub conversation_id: String,
    /// Up or down.
    pub direction: TransferDirection,
    /// File name.
    pub name: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Bytes moved so far.
    #[ts(type = "number")]
    pub transferred: u64,
    /// Average speed since the transfer (re)started, in bytes per second.
    #[ts(type = "number")]
    pub bytes_per_second: u64,
    /// Where it stands.
    pub state: TransferState,
    /// For a finished download: where it was saved.
    pub saved_to: Option<String>,
}

/// Payload of [`FILES_DROPPED`]: files dropped onto the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DroppedFiles {
    /// Their paths.
    pub paths: Vec<String>,
}

/// A shared file's preview, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FilePreview {
    /// A `data:` URL of the image.
    pub data_url: String,
}

/// A session started (login, restore or automatic re-login). Payload: [`SessionView`].
pub const SESSION_STARTED: &str = "session://started";
/// The session ended. Payload: [`SessionEnded`].
pub const SESSION_ENDED: &str = "session://ended";
/// What the session's connection reported (connection state, frames from the server about
/// conversations or status, outbox progress), in order. Payload: [`SessionEventsJson`].
pub const SESSION_EVENTS: &str = "session://events";
/// The set of ringing calls changed. Payload: [`RingState`].
pub const RING_CHANGED: &str = "ring://changed";
/// Bring a conversation's tab to the front. Payload: [`OpenChat`].
pub const CHAT_OPEN: &str = "chat://open";

/// A file transfer made progress. Payload: [`TransferUpdate`].
pub const TRANSFER_CHANGED: &str = "transfer://changed";
/// Files were dropped onto the window. Payload: [`DroppedFiles`].
pub const FILES_DROPPED: &str = "files://dropped";

/// A screenshot waits in the composer. Payload: `SnipPreview`.
pub const SNIP_CAPTURED: &str = crate::snip::SNIP_CAPTURED;

/// Every event with the name of its payload's TypeScript type (for the generated `events.ts`).
pub const EVENTS: &[(&str, &str, &str)] = &[
    ("sessionStarted", SESSION_STARTED, "SessionView"),
    ("sessionEnded", SESSION_ENDED, "SessionEnded"),
    ("sessionEvents", SESSION_EVENTS, "SessionEventsJson"),
    ("ringChanged", RING_CHANGED, "RingState"),
    ("chatOpen", CHAT_OPEN, "OpenChat"),
    ("transferChanged", TRANSFER_CHANGED, "TransferUpdate"),
    ("filesDropped", FILES_DROPPED, "DroppedFiles"),
    ("snipCaptured", SNIP_CAPTURED, "SnipPreview"),
];

/// Whether a server frame is worth forwarding to the UI (answers to requests are not: the
/// command that made the request returns them).
pub fn forwards_to_ui(event: &AgentEvent) -> bool {
    !matches!(
        event,
        AgentEvent::Ack { .. }
            | AgentEvent::HistoryPage { .. }
            | AgentEvent::Error { req: Some(_), .. }
    )
}
