//! The chat model shared by both roles: people, statuses, conversations and their events.
//!
//! Ids are strings (UUIDs) so that TypeScript never meets a 64-bit integer. Sequence numbers are
//! `u32`: gap-free per conversation, assigned by the server when the event is committed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

/// An operator's availability. Only `Online` operators ring for new calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Takes new calls and proactive invitations.
    Online,
    /// Keeps current chats; no new calls.
    Away,
    /// Not available at all.
    Offline,
}

/// What an operator may do beyond chatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages operators and account settings.
    Admin,
    /// Chats with visitors.
    Agent,
}

/// An operator as other parties see them (visitors see only the name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OperatorRef {
    /// Stable operator id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// The logged-in operator's own record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Operator {
    /// Stable operator id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Permissions.
    pub role: Role,
}

/// Who wrote or caused an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Author {
    /// The conversation's visitor.
    Visitor {
        /// The name the visitor gave, or a generated one ("Visitor 1234").
        name: String,
    },
    /// An operator.
    Operator {
        /// Operator id.
        id: String,
        /// Display name.
        name: String,
    },
    /// The system (timeouts, automatic closes).
    System,
}

/// A piece of display text: plain text, or a link detected by the server.
/// Clients render spans as DOM text nodes / anchors, never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TextSpan {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// A URL or email address.
    Link {
        /// The text as it appears in the message.
        text: String,
        /// The target (`https://…`, `mailto:…`).
        href: String,
    },
}

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    /// The visitor called; no operator has accepted yet.
    Ringing,
    /// At least one operator accepted.
    Active,
    /// Ended by an operator, the visitor or the system.
    Closed,
}

/// One stored, sequenced event of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationEvent {
    /// Gap-free position in the conversation, starting at 1.
    pub seq: u32,
    /// When the server committed it.
    #[ts(type = "number")]
    pub at: Millis,
    /// What happened.
    pub body: EventBody,
}

/// What a conversation event says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// A chat message. `text` is already normalised (emoticons, `/nosmile`) by the server.
    Message {
        /// The sender's idempotency key.
        client_msg_id: String,
        /// The sender.
        author: Author,
        /// The final text.
        text: String,
        /// `text` split into text and link spans, for display.
        spans: Vec<TextSpan>,
    },
    /// The visitor called (the conversation started).
    Started {
        /// The visitor who called.
        visitor: String,
    },
    /// An operator accepted or joined.
    OperatorJoined {
        /// Who joined.
        operator: OperatorRef,
    },
    /// An operator left without closing the conversation.
    OperatorLeft {
        /// Who left.
        operator: OperatorRef,
    },
    /// A file was shared (its upload completed). Fetch it from `GET /api/v1/files/{id}`.
    File {
        /// Who shared it.
        author: Author,
        /// What was shared.
        file: FileInfo,
    },
    /// The conversation ended.
    Closed {
        /// Who ended it.
        by: Author,
    },
}

/// A file shared in a conversation. Files live only as long as their conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileInfo {
    /// Unguessable file id (64 hex digits).
    pub id: String,
    /// The file name as given by the sender, without any path.
    pub name: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// The type the server serves it as (derived from the name, never from the sender).
    pub mime: String,
    /// Whether clients may show it inline as an image preview (PNG, JPEG, GIF, WebP only;
    /// never SVG or HTML).
    pub preview: bool,
}

/// A pre-chat survey field, configured in the account settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SurveyField {
    /// Key sent back in [`SurveyAnswer::key`]. `name` and `email` are also used as the
    /// visitor's name and email.
    pub key: String,
    /// Label shown to the visitor.
    pub label: String,
    /// Input kind.
    pub kind: SurveyFieldKind,
    /// Whether the visitor must fill it in.
    pub required: bool,
}

/// The input kind of a survey field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SurveyFieldKind {
    /// One line of text.
    Text,
    /// An email address.
    Email,
    /// Several lines.
    Textarea,
}

/// A visitor's answer to one survey field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SurveyAnswer {
    /// The field key.
    pub key: String,
    /// The answer.
    pub value: String,
}

/// A page the visitor is on, as reported by the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct PageInfo {
    /// The page URL.
    pub url: String,
    /// The page title.
    pub title: String,
    /// The referrer, if any.
    #[serde(default)]
    pub referrer: Option<String>,
}

/// What an operator knows about a conversation's visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitorInfo {
    /// Stable visitor id.
    pub id: String,
    /// Display name (given or generated).
    pub name: String,
    /// Email, if given.
    pub email: Option<String>,
    /// Pre-chat survey answers.
    pub survey: Vec<SurveyAnswer>,
    /// The page the chat was started from.
    pub called_from: Option<PageInfo>,
    /// The page the visitor is on now.
    pub current_page: Option<PageInfo>,
    /// Whether the visitor's widget is connected right now.
    pub connected: bool,
}

/// A conversation as listed to an operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationSummary {
    /// Conversation id.
    pub id: String,
    /// Where it stands.
    pub state: ConversationState,
    /// The visitor.
    pub visitor: VisitorInfo,
    /// Operators taking part.
    pub operators: Vec<OperatorRef>,
    /// The first message the visitor sent, if any (for call notifications).
    pub first_message: Option<String>,
    /// Highest sequence number committed so far.
    pub last_seq: u32,
    /// When the visitor called.
    #[ts(type = "number")]
    pub started_at: Millis,
    /// Read marks of the visitor's side.
    pub visitor_marks: ReadMarks,
    /// Read marks of the operators' side.
    pub operator_marks: ReadMarks,
    /// An operator-to-operator chat: no visitor takes part (`visitor` is a placeholder named
    /// "Team chat") and none ever sees it.
    #[serde(default)]
    pub internal: bool,
}

/// Which side of a conversation a read mark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The visitor.
    Visitor,
    /// The operators.
    Operator,
}

/// How far one side has received (`delivered`) and displayed (`seen`) a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ReadMarks {
    /// Highest seq the side's client has received.
    pub delivered: u32,
    /// Highest seq the side has shown to its human.
    pub seen: u32,
}

/// Why a ringing call stopped ringing for an operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RingEnd {
    /// Another operator accepted it.
    Taken {
        /// Who took it.
        by: OperatorRef,
    },
    /// This operator declined it.
    Declined,
    /// The visitor left or closed before anyone accepted.
    VisitorLeft,
    /// The operator's status no longer allows ringing.
    StatusChanged,
    /// The chat ended before this operator joined it (an invitation into it lapsed).
    ChatEnded,
    /// This operator did not answer within the ring timeout: the call moved on to a colleague
    /// and this operator was set Away.
    NotAnswered,
}

/// The last sequence a client saw for one conversation; sent on reconnect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResumePoint {
    /// Conversation id.
    pub conversation_id: String,
    /// Highest seq received.
    pub last_seq: u32,
}
