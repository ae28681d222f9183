//! What operators see of the visitors on the site: who they are (address, location, browser,
//! local time zone), where they have been, their earlier chats, proactive invitations and
//! blocking rules.
//!
//! Operators ask for live updates with [`crate::AgentRequest::WatchVisitors`]; the server then
//! sends [`crate::AgentEvent::VisitorList`] and keeps it current with `VisitorUpdated` and
//! `VisitorGone`, plus [`crate::AgentEvent::BlockList`] whenever the blocking rules change.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Millis, OperatorRef};

/// Most pages of one visit kept in [`LiveVisitor::pages`] (the oldest are dropped first).
pub const MAX_PAGES_PER_VISIT: usize = 50;
/// Most earlier chats listed in [`LiveVisitor::previous_chats`].
pub const MAX_PREVIOUS_CHATS: usize = 20;
/// Longest invitation text, in bytes of UTF-8.
pub const MAX_INVITATION_BYTES: usize = 1024;

/// Where an IP address is, from the server's offline GeoIP database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct Location {
    /// ISO 3166-1 alpha-2 country code, e.g. `DE`.
    pub country_code: Option<String>,
    /// Region (state, province).
    pub region: Option<String>,
    /// City.
    pub city: Option<String>,
}

/// The visitor's browser and operating system, parsed from the user agent by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct BrowserInfo {
    /// Browser name, e.g. `Chrome` (`UNKNOWN` when not recognised).
    pub name: String,
    /// Browser version.
    pub version: String,
    /// Operating system, e.g. `Linux`, `Windows 10`.
    pub os: String,
    /// Operating system version, when known.
    pub os_version: String,
    /// Device category: `pc`, `smartphone`, `mobilephone`, `appliance`, `crawler`, `misc`.
    pub category: String,
}

/// One page the visitor looked at during the current visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PageVisit {
    /// The page URL.
    pub url: String,
    /// The page title.
    pub title: String,
    /// When the visitor arrived on it.
    #[ts(type = "number")]
    pub entered_at: Millis,
    /// When the visitor left it; `None` while still there.
    #[ts(type = "number | null")]
    pub left_at: Option<Millis>,
}

/// Where a visitor stands with the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VisitorChatState {
    /// Not chatting.
    Idle,
    /// An operator invited the visitor; no answer yet.
    Invited {
        /// Who invited.
        by: OperatorRef,
    },
    /// The visitor called; nobody accepted yet.
    Ringing {
        /// The conversation.
        conversation_id: String,
    },
    /// Chatting.
    Chatting {
        /// The conversation.
        conversation_id: String,
        /// Operators taking part.
        operators: Vec<OperatorRef>,
    },
}

/// An earlier, closed chat of the same visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PastChat {
    /// Conversation id (its history opens read-only).
    pub id: String,
    /// When it started.
    #[ts(type = "number")]
    pub started_at: Millis,
    /// Operators who took part.
    pub operators: Vec<String>,
    /// The visitor's first message, if any.
    pub first_message: Option<String>,
}

/// A visitor on the site (or one who just left, for a grace period), as operators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LiveVisitor {
    /// Stable visitor id.
    pub id: String,
    /// Display name (given in a chat, or generated).
    pub name: String,
    /// The visitor's IP address.
    pub ip: String,
    /// Where the address is, when the GeoIP database knows it.
    pub location: Option<Location>,
    /// The browser's IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: Option<String>,
    /// Browser and operating system.
    pub browser: BrowserInfo,
    /// Visits so far, this one included.
    pub visits: u32,
    /// Chats so far (open and closed).
    pub chats: u32,
    /// When this visit began.
    #[ts(type = "number")]
    pub arrived_at: Millis,
    /// Where the visitor came from (the first page's referrer).
    pub referrer: Option<String>,
    /// Pages of this visit, oldest first; the last one is the current page.
    pub pages: Vec<PageVisit>,
    /// Whether the widget is connected right now.
    pub connected: bool,
    /// The chat state.
    pub chat: VisitorChatState,
    /// Earlier closed chats, newest first.
    pub previous_chats: Vec<PastChat>,
}

/// What a blocking rule matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockTarget {
    /// One IP address.
    Ip {
        /// The address, e.g. `203.0.113.7`.
        ip: String,
    },
    /// Every address the GeoIP database places in a country.
    Country {
        /// ISO 3166-1 alpha-2 country code.
        country_code: String,
    },
}

/// A blocking rule: matching visitors see the chat offline and cannot open a chat socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlockRule {
    /// Rule id (for unblocking).
    pub id: String,
    /// What it matches.
    pub target: BlockTarget,
    /// Who blocked.
    pub by: OperatorRef,
    /// When.
    #[ts(type = "number")]
    pub at: Millis,
}

/// A proactive invitation as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Invitation {
    /// The inviting operator.
    pub operator: OperatorRef,
    /// What the operator wrote.
    pub text: String,
}
