//! Frames between an operator's client (desktop app, CLI, tests) and the server, on
//! `/ws/v1/agent`.
//!
//! The first frame a client sends is [`AgentRequest::Hello`]; the server answers
//! [`AgentEvent::Welcome`] and then replays missing events for every [`ResumePoint`].
//! Requests that expect an answer carry a client-chosen `req` number echoed in
//! [`AgentEvent::Ack`], [`AgentEvent::HistoryPage`] or [`AgentEvent::Error`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::visitors::{BlockRule, BlockTarget, LiveVisitor};
use crate::{
    AccountSetting, CannedDraft, CannedResponse, CannedScope, ConversationEvent,
    ConversationSummary, Operator, OperatorRef, ProtocolError, ResumePoint, RingEnd, Side, Status,
    TeamMember,
};

/// A frame from an agent client to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentRequest {
    /// Authenticates the socket and asks for replay. Must be the first frame.
    Hello {
        /// [`crate::PROTOCOL_VERSION`].
        protocol: u32,
        /// Session token from `POST /api/v1/login`.
        token: String,
        /// Last seq seen per conversation the client holds.
        resume: Vec<ResumePoint>,
    },
    /// Changes this operator's status.
    SetStatus {
        /// Request number.
        req: u32,
        /// New status.
        status: Status,
    },
    /// Accepts a ringing call.
    Accept {
        /// Request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
    },
    /// Declines a ringing call (it keeps ringing for others).
    Decline {
        /// Request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
    },
    /// Ends a conversation the operator takes part in.
    Close {
        /// Request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
    },
    /// Sends a message. Sending into a ringing call accepts it first.
    Send {
        /// Request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
        /// Idempotency key: resending the same id returns the original seq.
        client_msg_id: String,
        /// Plain text, at most [`crate::limits::MAX_MESSAGE_BYTES`].
        text: String,
    },
    /// Reports how far this client has received and shown a conversation.
    Receipt {
        /// Conversation id.
        conversation_id: String,
        /// Highest seq received.
        delivered: u32,
        /// Highest seq shown.
        seen: u32,
    },
    /// Asks for a page of history, newest last.
    History {
        /// Request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
        /// Only events with a seq below this; `None` for the newest page.
        before_seq: Option<u32>,
        /// Page size, at most [`crate::limits::MAX_HISTORY_PAGE`].
        limit: u32,
    },
    /// Keep-alive; answered with an `Ack`.
    Ping {
        /// Request number.
        req: u32,
    },
    /// Asks for the live visitor list: `Ack`, then `VisitorList` and `BlockList`, then updates.
    WatchVisitors {
        /// Request number.
        req: u32,
    },
    /// Proactively invites a visitor to chat (Online only). If the visitor answers, the chat
    /// starts already accepted by this operator.
    Invite {
        /// Request number.
        req: u32,
        /// The visitor.
        visitor_id: String,
        /// The invitation text, at most [`crate::visitors::MAX_INVITATION_BYTES`].
        text: String,
    },
    /// Blocks an IP address or a country.
    Block {
        /// Request number.
        req: u32,
        /// What to block.
        target: BlockTarget,
    },
    /// Removes a blocking rule.
    Unblock {
        /// Request number.
        req: u32,
        /// The rule's id.
        block_id: String,
    },
    /// Creates (`id` is `None`) or changes a canned response. Company-wide ones need an admin.
    SaveCanned {
        /// Request number.
        req: u32,
        /// The response to change, or `None` to create one (added at the end of its scope).
        id: Option<String>,
        /// Its new content.
        draft: CannedDraft,
    },
    /// Deletes a canned response.
    DeleteCanned {
        /// Request number.
        req: u32,
        /// Its id.
        id: String,
    },
    /// Puts the canned responses of one scope in a new order.
    ReorderCanned {
        /// Request number.
        req: u32,
        /// Which list.
        scope: CannedScope,
        /// Every id of that list, in the new order.
        ids: Vec<String>,
    },
    /// The operator started or stopped typing in a conversation. Never stored; rate-limited.
    Typing {
        /// Conversation id.
        conversation_id: String,
        /// Whether the operator is typing now.
        typing: bool,
    },
    /// Asks for the team list: `Ack`, then `TeamList`, then `TeamMemberUpdated` on changes.
    WatchTeam {
        /// Request number.
        req: u32,
    },
    /// Invites another operator (Online or Away) into a chat this operator takes part in. The
    /// invitee gets `InvitedToChat` and answers with `Accept` or `Decline`. With `transfer`,
    /// this operator leaves the chat as soon as the invitee accepts.
    InviteOperator {
        /// Request number.
        req: u32,
        /// The chat.
        conversation_id: String,
        /// The operator to invite.
        operator_id: String,
        /// Whether to hand the chat over (leave once they accept).
        transfer: bool,
    },
    /// Asks for the account settings (administrators only): `AccountSettings` follows.
    ReadAccount {
        /// Request number.
        req: u32,
    },
    /// Changes one account setting (administrators only); `AccountSettings` follows.
    SetAccountSetting {
        /// Request number.
        req: u32,
        /// The setting's key.
        key: String,
        /// The new value (checked like `switchboard-server settings set`).
        value: String,
    },
    /// Adds an operator (administrators only); the team list shows them at once.
    AddOperator {
        /// Request number.
        req: u32,
        /// Login email.
        email: String,
        /// Display name.
        name: String,
        /// Initial password, at least 8 characters.
        password: String,
        /// Whether they are an administrator.
        admin: bool,
    },
    /// Sets a new password for an operator (administrators only).
    ResetPassword {
        /// Request number.
        req: u32,
        /// The operator.
        operator_id: String,
        /// The new password, at least 8 characters.
        password: String,
    },
    /// Removes an operator who has no open chats (administrators only; not oneself). Their
    /// apps are disconnected and their sessions end.
    RemoveOperator {
        /// Request number.
        req: u32,
        /// The operator.
        operator_id: String,
    },
    /// Disables an operator or enables them again (administrators only; not oneself). A
    /// disabled operator cannot log in; their sessions end, their apps get `Unauthorized` and
    /// are disconnected, and their chats go back to the queue.
    SetOperatorDisabled {
        /// Request number.
        req: u32,
        /// The operator.
        operator_id: String,
        /// Whether they are disabled from now on.
        disabled: bool,
    },
    /// Sets one operator's cap on concurrent chats (administrators only): calls stop ringing
    /// for them at the cap, in every distribution mode. `None`: the account's `max_chats`.
    SetOperatorCap {
        /// Request number.
        req: u32,
        /// The operator.
        operator_id: String,
        /// At least 1, or `None` for the account's cap.
        max_chats: Option<u32>,
    },
    /// Starts an internal chat with a colleague (Online or Away). It is accepted for both at
    /// once (each gets `ConversationUpdated`), works while Away, and no visitor ever sees it.
    StartInternalChat {
        /// Request number.
        req: u32,
        /// The colleague.
        operator_id: String,
    },
    /// Leaves a chat without closing it; the other operators and the visitor go on. The last
    /// operator of a chat cannot leave it (close or transfer it instead).
    Leave {
        /// Request number.
        req: u32,
        /// The chat.
        conversation_id: String,
    },
}

impl AgentRequest {
    /// The request number its answer (Ack, HistoryPage or Error) carries; `None` for requests
    /// that get none.
    pub fn req(&self) -> Option<u32> {
        match self {
            AgentRequest::SetStatus { req, .. }
            | AgentRequest::Accept { req, .. }
            | AgentRequest::Decline { req, .. }
            | AgentRequest::Close { req, .. }
            | AgentRequest::Send { req, .. }
            | AgentRequest::History { req, .. }
            | AgentRequest::Ping { req }
            | AgentRequest::WatchVisitors { req }
            | AgentRequest::Invite { req, .. }
            | AgentRequest::Block { req, .. }
            | AgentRequest::Unblock { req, .. }
            | AgentRequest::SaveCanned { req, .. }
            | AgentRequest::DeleteCanned { req, .. }
            | AgentRequest::ReorderCanned { req, .. }
            | AgentRequest::WatchTeam { req }
            | AgentRequest::InviteOperator { req, .. }
            | AgentRequest::StartInternalChat { req, .. }
            | AgentRequest::ReadAccount { req }
            | AgentRequest::AddOperator { req, .. }
            | AgentRequest::ResetPassword { req, .. }
            | AgentRequest::RemoveOperator { req, .. }
            | AgentRequest::SetOperatorDisabled { req, .. }
            | AgentRequest::SetOperatorCap { req, .. }
            | AgentRequest::SetAccountSetting { req, .. }
            | AgentRequest::Leave { req, .. } => Some(*req),
            AgentRequest::Hello { .. }
            | AgentRequest::Receipt { .. }
            | AgentRequest::Typing { .. } => None,
        }
    }
}

/// A frame from the server to an agent client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentEvent {
    /// The socket is authenticated.
    Welcome {
        /// Who is logged in.
        operator: Operator,
        /// The operator's current status.
        status: Status,
        /// Open conversations the operator takes part in or is being rung for.
        conversations: Vec<ConversationSummary>,
    },
    /// A new event in a conversation the operator takes part in (or is rung for).
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
    /// A call rings for this operator.
    Ringing {
        /// The calling conversation.
        conversation: ConversationSummary,
    },
    /// A call stopped ringing for this operator.
    RingStopped {
        /// Conversation id.
        conversation_id: String,
        /// Why.
        reason: RingEnd,
    },
    /// Details of a conversation changed (visitor page, connection, participants).
    ConversationUpdated {
        /// The new summary.
        conversation: ConversationSummary,
    },
    /// The other side's read marks moved.
    Receipt {
        /// Conversation id.
        conversation_id: String,
        /// Whose marks.
        side: Side,
        /// Highest seq received.
        delivered: u32,
        /// Highest seq shown.
        seen: u32,
    },
    /// This operator's status changed (by this or another session).
    StatusChanged {
        /// The new status.
        status: Status,
    },
    /// A request succeeded.
    Ack {
        /// The request number.
        req: u32,
        /// For `Send`: the message's seq.
        seq: Option<u32>,
    },
    /// Answer to `History`.
    HistoryPage {
        /// The request number.
        req: u32,
        /// Conversation id.
        conversation_id: String,
        /// Events, oldest first.
        events: Vec<ConversationEvent>,
        /// Whether older events exist.
        has_more: bool,
    },
    /// The canned responses this operator can use, company-wide first, each scope in its
    /// order. Ends the greeting (after `Welcome` and the replay) and is sent again after every
    /// change to them.
    CannedResponses {
        /// The whole list.
        responses: Vec<CannedResponse>,
    },
    /// The visitor of a conversation started or stopped typing.
    Typing {
        /// Conversation id.
        conversation_id: String,
        /// Whether the visitor is typing now.
        typing: bool,
        /// The visitor's unsent text, only when the account enables sneak peek.
        text: Option<String>,
    },
    /// A request (or an unparseable frame, with `req` unknown) failed.
    Error {
        /// The request number, if known.
        req: Option<u32>,
        /// What went wrong.
        error: ProtocolError,
    },
    /// Everyone on the site now (after `WatchVisitors`).
    VisitorList {
        /// The visitors, earliest arrival first.
        visitors: Vec<LiveVisitor>,
    },
    /// A visitor arrived or changed (page, chat state, connection).
    VisitorUpdated {
        /// The visitor as it is now.
        visitor: LiveVisitor,
    },
    /// A visitor left the site (after a grace period) or was blocked.
    VisitorGone {
        /// The visitor's id.
        visitor_id: String,
    },
    /// The blocking rules (after `WatchVisitors` and whenever they change).
    BlockList {
        /// Every rule, newest first.
        blocks: Vec<BlockRule>,
    },
    /// Every operator of the account (after `WatchTeam`), by name.
    TeamList {
        /// The operators.
        members: Vec<TeamMember>,
    },
    /// An operator's status or chat count changed (after `WatchTeam`).
    TeamMemberUpdated {
        /// The operator as they are now.
        member: TeamMember,
    },
    /// Another operator invites this one into a chat. The history so far is available with
    /// `History`; new events arrive as `Event` while the invitation is open. Answer with
    /// `Accept` (join) or `Decline`; `RingStopped` ends it otherwise.
    InvitedToChat {
        /// The chat.
        conversation: ConversationSummary,
        /// Who invites.
        by: OperatorRef,
        /// Whether the inviter hands the chat over (leaves once this operator accepts).
        transfer: bool,
    },
    /// The account settings (after `ReadAccount` or `SetAccountSetting`; administrators).
    AccountSettings {
        /// Every editable setting, in a stable order.
        settings: Vec<AccountSetting>,
    },
    /// An operator this one invited declined (or could no longer be reached).
    InvitationDeclined {
        /// The chat.
        conversation_id: String,
        /// Who declined.
        operator: OperatorRef,
    },
}
