//! The Switchboard wire protocol: the one source of truth for every frame that crosses the
//! network between the visitor widget, the server and the agent (operator) clients.
//!
//! Frames are JSON objects with a `type` tag, sent over WebSocket
//! (`/ws/v1/agent`, `/ws/v1/visitor`). HTTP bodies (login, uploads) live in [`http`].
//! TypeScript types for the desktop UI and the widget are generated from these Rust types with
//! `ts-rs` (see `tests/ts_bindings.rs`); never edit `bindings/` by hand.

pub mod agent;
pub mod composer;
pub mod conversation;
pub mod error;
pub mod http;
pub mod limits;
pub mod team;
pub mod visitor;
pub mod visitors;

pub use agent::{AgentEvent, AgentRequest};
pub use composer::{CannedDraft, CannedResponse, CannedScope, Emoticon};
pub use conversation::*;
pub use error::{ErrorCode, ProtocolError};
pub use team::{AccountSetting, TeamMember};
pub use visitor::{VisitorConversation, VisitorEvent, VisitorRequest};

/// Version of this protocol; sent in every hello and checked by the server.
pub const PROTOCOL_VERSION: u32 = 1;
