//! What operators see of each other: the team list with live presence, and the frames that let
//! one operator bring another into a chat (invite, transfer) or step out of it (leave).
//!
//! Operators ask for live presence with [`crate::AgentRequest::WatchTeam`]; the server then
//! sends [`crate::AgentEvent::TeamList`] and keeps it current with
//! [`crate::AgentEvent::TeamMemberUpdated`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Millis, OperatorRef, Role, Status};

/// One operator as the team list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamMember {
    /// Who.
    pub operator: OperatorRef,
    /// Their permissions.
    pub role: Role,
    /// Their status as others see it: `Offline` while no app of theirs is connected.
    pub status: Status,
    /// Open chats they take part in.
    pub chats: u32,
    /// Since when they are in `status` (server time; the server's start for operators not
    /// seen since).
    #[ts(type = "number")]
    pub status_since: Millis,
    /// Disabled by an administrator: cannot log in, is never rung.
    pub disabled: bool,
    /// Their own cap on concurrent chats; `None`: the account's `max_chats`.
    pub max_chats: Option<u32>,
}

/// One account setting as administrators see and change it (distribution, ring timeout, chat
/// cap, reconnect grace, pre-chat survey, file limits, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccountSetting {
    /// The setting's key, e.g. `distribution`.
    pub key: String,
    /// Its current value (empty: the default).
    pub value: String,
    /// What it holds and which values it takes.
    pub about: String,
}
