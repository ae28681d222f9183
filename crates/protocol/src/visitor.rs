//! Frames between the visitor widget and the server, on `/ws/v1/visitor`.
//!
//! A visitor has at most one open conversation. The widget keeps the signed `visitor_token`
//! from [`VisitorEvent::Welcome`] (localStorage) so a reload resumes the same chat.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::visitors::Invitation;
use crate::{
    ConversationEvent, ConversationState, OperatorRef, PageInfo, ProtocolError, ReadMarks,
    SurveyAnswer, SurveyField,
};

/// A frame from the widget to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorRequest {
    /// Identifies the visitor. Must be the first frame.
    Hello {
        /// [`crate::PROTOCOL_VERSION`].
        protocol: u32,
        /// Token from an earlier `Welcome`, if the widget has one.
        visitor_token: Option<String>,
        /// The page the widget is on.
        page: PageInfo,
        /// The browser's IANA time zone (`Intl`), e.g. `Europe/Berlin`.
        time_zone: Option<String>,
        /// Highest seq the widget holds of its open conversation.
        last_seq: Option<u32>,
    },
    /// The visitor moved to another page.
    PageView {
        /// The new page.
        page: PageInfo,
    },
    /// Calls: opens a conversation (after the optional pre-chat survey).
    StartChat {
        /// Request number.
        req: u32,
        /// Survey answers (`name` and `email` keys also name the visitor).
        survey: Vec<SurveyAnswer>,
    },
    /// Sends a message into the open conversation.
    Send {
        /// Request number.
        req: u32,
        /// Idempotency key.
        client_msg_id: String,
        /// Plain text.
        text: String,
    },
    /// Reports how far the widget has received and shown the conversation.
    Receipt {
        /// Highest seq received.
        delivered: u32,
        /// Highest seq shown.
        seen: u32,
    },
    /// Ends the open conversation.
    Close {
        /// Request number.
        req: u32,
    },
    /// Answers an operator's invitation: the chat starts, already accepted by that operator,
    /// with the invitation and this reply. Acked like `StartChat`.
    AnswerInvitation {
        /// Request number.
        req: u32,
        /// Idempotency key of the reply.
        client_msg_id: String,
        /// The reply.
        text: String,
    },
    /// Dismisses an operator's invitation without answering.
    DismissInvitation,
    /// The visitor started or stopped typing. Never stored; rate-limited.
    Typing {
        /// Whether the visitor is typing now.
        typing: bool,
        /// The unsent text; send it only when `TypingPolicy` said agents see it.
        text: Option<String>,
    },
    /// Leaves a message while no operator is online.
    OfflineMessage {
        /// Request number.
        req: u32,
        /// The visitor's name.
        name: String,
        /// Where to answer.
        email: String,
        /// The message.
        text: String,
    },
}

impl VisitorRequest {
    /// The request number its answer (Ack or Error) carries; `None` for requests that get none.
    pub fn req(&self) -> Option<u32> {
        match self {
            VisitorRequest::StartChat { req, .. }
            | VisitorRequest::Send { req, .. }
            | VisitorRequest::Close { req }
            | VisitorRequest::AnswerInvitation { req, .. }
            | VisitorRequest::OfflineMessage { req, .. } => Some(*req),
            VisitorRequest::Hello { .. }
            | VisitorRequest::PageView { .. }
            | VisitorRequest::Receipt { .. }
            | VisitorRequest::DismissInvitation
            | VisitorRequest::Typing { .. } => None,
        }
    }
}

/// The visitor's view of its open conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitorConversation {
    /// Conversation id.
    pub id: String,
    /// Where it stands.
    pub state: ConversationState,
    /// Operators taking part.
    pub operators: Vec<OperatorRef>,
    /// Highest committed seq.
    pub last_seq: u32,
    /// The operators' read marks.
    pub operator_marks: ReadMarks,
}

/// A frame from the server to the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorEvent {
    /// The visitor is identified.
    Welcome {
        /// Signed token to keep and send in the next `Hello`.
        visitor_token: String,
        /// Stable visitor id.
        visitor_id: String,
        /// Whether any operator is Online (the chat button's state).
        online: bool,
        /// Pre-chat survey fields (empty: no survey).
        survey: Vec<SurveyField>,
        /// The open conversation, if any.
        conversation: Option<VisitorConversation>,
    },
    /// A new event in the open conversation (also sent as replay after `Welcome`).
    Event {
        /// Conversation id.
        conversation_id: String,
        /// The event.
        event: ConversationEvent,
    },
    /// The resume gap was too large: these are the newest events; drop what you hold.
    Snapshot {
        /// Conversation id.
        conversation_id: String,
        /// Newest events, oldest first.
        events: Vec<ConversationEvent>,
    },
    /// Whether any operator is Online changed.
    Availability {
        /// True when at least one operator is Online.
        online: bool,
    },
    /// The operators' read marks moved.
    Receipt {
        /// Highest seq received by an operator.
        delivered: u32,
        /// Highest seq shown to an operator.
        seen: u32,
    },
    /// An operator invites the visitor to chat (pop it up).
    Invited {
        /// The invitation.
        invitation: Invitation,
    },
    /// The invitation is no longer open (answered, dismissed or withdrawn).
    InvitationEnded,
    /// A request succeeded.
    Ack {
        /// The request number.
        req: u32,
        /// For `Send`: the message's seq. For `StartChat`: unused.
        seq: Option<u32>,
        /// For `StartChat`: the new conversation.
        conversation: Option<VisitorConversation>,
    },
    /// Sent after `Welcome`: whether agents see what the visitor types before sending
    /// (sneak peek). The widget tells the visitor when they do.
    TypingPolicy {
        /// True when agents see unsent text.
        sneak_peek: bool,
    },
    /// An operator started or stopped typing.
    Typing {
        /// Whether an operator is typing now.
        typing: bool,
        /// Who, when typing.
        name: Option<String>,
    },
    /// A request failed.
    Error {
        /// The request number, if known.
        req: Option<u32>,
        /// What went wrong.
        error: ProtocolError,
    },
    /// An operator of the chat lost their connection (`connected: false`: they are
    /// reconnecting and keep the chat for a grace period) or is back.
    OperatorConnection {
        /// Who.
        operator: OperatorRef,
        /// Whether they are connected now.
        connected: bool,
    },
}
