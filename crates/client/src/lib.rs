//! The Switchboard agent connection, shared by the desktop app, the command-line operator, load
//! tools and tests.
//!
//! [`login`] trades an email and password for a session token; [`AgentClient::connect`] spawns
//! the one task that owns the operator's WebSocket. That task reconnects with backoff, resumes
//! every followed conversation from the last sequence number it handed out (so the application
//! sees each conversation event exactly once and in order), and keeps an outbox of messages that
//! goes out again after every reconnect until the server acknowledges each one.
//!
//! ```no_run
//! # async fn demo() -> Result<(), switchboard_client::ClientError> {
//! use switchboard_client::{login, AgentClient, ClientEvent};
//! use switchboard_protocol::Status;
//!
//! let server = url::Url::parse("http://127.0.0.1:8080/").expect("valid URL");
//! let session = login(&server, "admin@localhost", "secret").await?;
//! let (client, mut events) = AgentClient::connect(server, session.token);
//! while let Some(event) = events.recv().await {
//!     if let ClientEvent::Connection(state) = &event {
//!         println!("{state:?}");
//!     }
//! #   break;
//! }
//! client.set_status(Status::Online).await?;
//! # Ok(()) }
//! ```

mod backoff;
mod connection;
mod endpoints;
mod error;
mod files;
mod http;
mod outbox;
mod pacer;
mod tracker;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use switchboard_protocol::http::LoginResponse;
use switchboard_protocol::limits::MAX_HISTORY_PAGE;
use switchboard_protocol::visitors::BlockTarget;
use switchboard_protocol::{
    AgentEvent, CannedDraft, CannedScope, ConversationEvent, ErrorCode, ProtocolError, Status,
};
use tokio::sync::{mpsc, oneshot, watch};
use ts_rs::TS;
use url::Url;

use connection::{Answer, Command, Request};
pub use error::ClientError;
pub use files::{FileTransfers, Progress};

/// How long a request waits for the server's answer before it fails with
/// [`ClientError::Timeout`].
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Logs in with `POST /api/v1/login`. A wrong email or password is [`ClientError::Unauthorized`];
/// too many attempts is [`ClientError::Server`] with [`ErrorCode::RateLimited`].
pub async fn login(
    server: &Url,
    email: &str,
    password: &str,
) -> Result<LoginResponse, ClientError> {
    http::login(server, email, password).await
}

/// Ends a session with `POST /api/v1/logout`; the token stops working at once.
pub async fn logout(server: &Url, token: &str) -> Result<(), ClientError> {
    http::logout(server, token).await
}

/// What the connection task reports, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "../../client/bindings/")]
#[expect(
    clippy::large_enum_variant,
    reason = "each event is moved once through a channel; consumers match on the frame directly"
)]
pub enum ClientEvent {
    /// The connection's state changed.
    Connection(ConnectionState),
    /// A frame from the server. Conversation events (`Event`) arrive at most once each and in
    /// seq order per conversation, across reconnects. Answers to requests (`Ack`,
    /// `HistoryPage`, `Error` with a `req`) are not repeated here: the request returns them.
    Server(AgentEvent),
    /// A queued message moved on (queued → sent, or failed).
    Outbox(OutboxUpdate),
}

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export_to = "../../client/bindings/")]
pub enum ConnectionState {
    /// Opening the socket and saying hello.
    Connecting,
    /// Authenticated; requests go through.
    Connected,
    /// The connection failed or was lost; the next try starts in `retry_in_ms`.
    Reconnecting {
        /// 1 for the first retry since the last good connection.
        attempt: u32,
        /// Milliseconds until the next try.
        #[ts(type = "number")]
        retry_in_ms: u64,
    },
    /// The server refused the session token: log in again. The task has stopped.
    Unauthorized,
    /// The connection was shut down for good.
    Closed,
}

/// Progress of one message written by this operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "../../client/bindings/")]
pub struct OutboxUpdate {
    /// The conversation it goes to.
    pub conversation_id: String,
    /// The message's idempotency key, as returned by [`AgentClient::send`].
    pub client_msg_id: String,
    /// The text as written (the server may normalise it; the stored event has the final text).
    pub text: String,
    /// Where it stands.
    pub delivery: Delivery,
}

/// Where a written message stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export_to = "../../client/bindings/")]
pub enum Delivery {
    /// Waiting for the server (sent again after every reconnect).
    Queued,
    /// Stored by the server as event `seq` of the conversation.
    Sent {
        /// The message event's sequence number.
        seq: u32,
    },
    /// Refused by the server; it will not be sent again.
    Failed {
        /// Why.
        error: ProtocolError,
    },
}

/// A page of a conversation's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// Events, oldest first.
    pub events: Vec<ConversationEvent>,
    /// Whether older events exist (ask again with `before_seq` = the first seq here).
    pub has_more: bool,
}

/// A cheap, cloneable handle to one connection task. The task ends when [`shutdown`] is called,
/// when the server refuses the token, or when every handle is dropped.
///
/// [`shutdown`]: AgentClient::shutdown
#[derive(Clone, Debug)]
pub struct AgentClient {
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<ConnectionState>,
}

impl AgentClient {
    /// Spawns the connection task on the current Tokio runtime and returns a handle plus the
    /// stream of [`ClientEvent`]s. The task connects, reconnects with backoff (0.5–20 s, full
    /// jitter), resumes with the last seq per conversation and flushes the outbox after every
    /// reconnect, paced under the server's rate limit. Read the events promptly: when the buffer
    /// is full the task waits for you.
    ///
    /// # Panics
    /// Outside a Tokio runtime.
    pub fn connect(server: Url, token: String) -> (AgentClient, mpsc::Receiver<ClientEvent>) {
        let (commands, state, events) = connection::spawn(server, token);
        (AgentClient { commands, state }, events)
    }

    /// Sets this operator's status (Online rings for new calls).
    pub async fn set_status(&self, status: Status) -> Result<(), ClientError> {
        self.acked(Request::SetStatus(status)).await
    }

    /// Accepts a ringing call; a call someone else took fails with [`ErrorCode::Conflict`].
    pub async fn accept(&self, conversation_id: &str) -> Result<(), ClientError> {
        self.acked(Request::Accept(conversation_id.to_owned()))
            .await
    }

    /// Declines a ringing call; it keeps ringing for the other operators.
    pub async fn decline(&self, conversation_id: &str) -> Result<(), ClientError> {
        self.acked(Request::Decline(conversation_id.to_owned()))
            .await
    }

    /// Ends a conversation this operator takes part in.
    pub async fn close(&self, conversation_id: &str) -> Result<(), ClientError> {
        self.acked(Request::Close(conversation_id.to_owned())).await
    }

    /// Queues a message in the outbox and returns its `client_msg_id` at once, connected or not.
    /// Progress arrives as [`ClientEvent::Outbox`]: `Queued` now, then `Sent` or `Failed`.
    /// Empty or oversized text is refused here with [`ClientError::Invalid`].
    pub fn send(&self, conversation_id: &str, text: &str) -> Result<String, ClientError> {
        outbox::check_text(text).map_err(ClientError::Invalid)?;
        let client_msg_id = outbox::new_client_msg_id();
        self.commands
            .send(Command::Send {
                conversation_id: conversation_id.to_owned(),
                client_msg_id: client_msg_id.clone(),
                text: text.to_owned(),
            })
            .map_err(|_| self.ended())?;
        Ok(client_msg_id)
    }

    /// Asks for the live visitor list: `VisitorList` and `BlockList` follow as server events,
    /// then `VisitorUpdated` / `VisitorGone` / `BlockList` as things change. The connection asks
    /// again after every reconnect; asked while disconnected, it succeeds and asks on connecting.
    pub async fn watch_visitors(&self) -> Result<(), ClientError> {
        self.acked(Request::WatchVisitors).await
    }

    /// Asks for the team list: `TeamList` follows as a server event, then `TeamMemberUpdated`
    /// as operators' presence changes. Asked again after every reconnect, like the visitors.
    pub async fn watch_team(&self) -> Result<(), ClientError> {
        self.acked(Request::WatchTeam).await
    }

    /// Invites a colleague (Online or Away) into a chat this operator takes part in; with
    /// `transfer`, this operator leaves the chat once the colleague accepts.
    pub async fn invite_operator(
        &self,
        conversation_id: &str,
        operator_id: &str,
        transfer: bool,
    ) -> Result<(), ClientError> {
        self.acked(Request::InviteOperator {
            conversation_id: conversation_id.to_owned(),
            operator_id: operator_id.to_owned(),
            transfer,
        })
        .await
    }

    /// Starts an internal chat with a colleague (Online or Away); it arrives for both as a
    /// `ConversationUpdated`, already active.
    pub async fn start_internal_chat(&self, operator_id: &str) -> Result<(), ClientError> {
        self.acked(Request::StartInternalChat(operator_id.to_owned()))
            .await
    }

    /// Asks for the account settings (administrators only); `AccountSettings` follows as a
    /// server event.
    pub async fn read_account(&self) -> Result<(), ClientError> {
        self.acked(Request::ReadAccount).await
    }

    /// Changes one account setting (administrators only); `AccountSettings` follows.
    pub async fn set_account_setting(&self, key: &str, value: &str) -> Result<(), ClientError> {
        self.acked(Request::SetAccountSetting {
            key: key.to_owned(),
            value: value.to_owned(),
        })
        .await
    }

    /// Adds an operator (administrators only).
    pub async fn add_operator(
        &self,
        email: &str,
        name: &str,
        password: &str,
        admin: bool,
    ) -> Result<(), ClientError> {
        self.acked(Request::AddOperator {
            email: email.to_owned(),
            name: name.to_owned(),
            password: password.to_owned(),
            admin,
        })
        .await
    }

    /// Sets a new password for an operator (administrators only).
    pub async fn reset_password(
        &self,
        operator_id: &str,
        password: &str,
    ) -> Result<(), ClientError> {
        self.acked(Request::ResetPassword {
            operator_id: operator_id.to_owned(),
            password: password.to_owned(),
        })
        .await
    }

    /// Removes an operator who has no open chats (administrators only).
    pub async fn remove_operator(&self, operator_id: &str) -> Result<(), ClientError> {
        self.acked(Request::RemoveOperator(operator_id.to_owned()))
            .await
    }

    /// Disables an operator (they are logged out, their chats go back to the queue) or enables
    /// them again (administrators only).
    pub async fn set_operator_disabled(
        &self,
        operator_id: &str,
        disabled: bool,
    ) -> Result<(), ClientError> {
        self.acked(Request::SetOperatorDisabled {
            operator_id: operator_id.to_owned(),
            disabled,
        })
        .await
    }

    /// Sets an operator's own cap on concurrent chats; `None`: the account's (administrators
    /// only).
    pub async fn set_operator_cap(
        &self,
        operator_id: &str,
        max_chats: Option<u32>,
    ) -> Result<(), ClientError> {
        self.acked(Request::SetOperatorCap {
            operator_id: operator_id.to_owned(),
            max_chats,
        })
        .await
    }

    /// Leaves a chat without ending it (refused for its last operator).
    pub async fn leave(&self, conversation_id: &str) -> Result<(), ClientError> {
        self.acked(Request::Leave(conversation_id.to_owned())).await
    }

    /// Invites a visitor to chat; refused with [`ErrorCode::Conflict`] unless Online. If the
    /// visitor answers, the chat arrives as a `ConversationUpdated`, already accepted.
    pub async fn invite(&self, visitor_id: &str, text: &str) -> Result<(), ClientError> {
        self.acked(Request::Invite {
            visitor_id: visitor_id.to_owned(),
            text: text.to_owned(),
        })
        .await
    }

    /// Blocks an IP address or a country.
    pub async fn block(&self, target: BlockTarget) -> Result<(), ClientError> {
        self.acked(Request::Block(target)).await
    }

    /// Removes a blocking rule.
    pub async fn unblock(&self, block_id: &str) -> Result<(), ClientError> {
        self.acked(Request::Unblock(block_id.to_owned())).await
    }

    /// Fetches up to `limit` events older than `before_seq` (the newest ones when `None`).
    pub async fn history(
        &self,
        conversation_id: &str,
        before_seq: Option<u32>,
        limit: u32,
    ) -> Result<HistoryPage, ClientError> {
        if limit == 0 || limit > MAX_HISTORY_PAGE {
            return Err(ClientError::Invalid(ProtocolError::new(
                ErrorCode::Invalid,
                format!("a history page holds 1 to {MAX_HISTORY_PAGE} events"),
            )));
        }
        let request = Request::History {
            conversation_id: conversation_id.to_owned(),
            before_seq,
            limit,
        };
        match self.request(request).await? {
            Answer::History(page) => Ok(page),
            Answer::Ack => Err(ClientError::UnexpectedResponse(
                "an ack instead of a history page".into(),
            )),
        }
    }

    /// Reports that the conversation is shown up to `seq`; sent to the server (and so to the
    /// visitor) as a receipt shortly after.
    pub fn mark_seen(&self, conversation_id: &str, seq: u32) {
        // A closed connection has nobody to tell; nothing to report.
        let _ = self.commands.send(Command::MarkSeen {
            conversation_id: conversation_id.to_owned(),
            seq,
        });
    }

    /// Creates (`id` `None`) or changes a canned response. The new list arrives as
    /// [`AgentEvent::CannedResponses`].
    pub async fn save_canned(
        &self,
        id: Option<String>,
        draft: CannedDraft,
    ) -> Result<(), ClientError> {
        self.acked(Request::SaveCanned { id, draft }).await
    }

    /// Deletes a canned response.
    pub async fn delete_canned(&self, id: &str) -> Result<(), ClientError> {
        self.acked(Request::DeleteCanned(id.to_owned())).await
    }

    /// Puts one list of canned responses in the order of `ids` (every id of that list).
    pub async fn reorder_canned(
        &self,
        scope: CannedScope,
        ids: Vec<String>,
    ) -> Result<(), ClientError> {
        self.acked(Request::ReorderCanned { scope, ids }).await
    }

    /// Tells the visitor whether the operator is typing; dropped while disconnected.
    pub fn typing(&self, conversation_id: &str, typing: bool) {
        // A closed connection has nobody to tell.
        let _ = self.commands.send(Command::Typing {
            conversation_id: conversation_id.to_owned(),
            typing,
        });
    }

    /// Closes the socket and ends the task; returns once it has ended.
    pub async fn shutdown(&self) {
        let (done, finished) = oneshot::channel();
        if self.commands.send(Command::Shutdown { done }).is_ok() {
            // An error here means the task already ended on its own.
            let _ = finished.await;
        }
    }

    async fn acked(&self, request: Request) -> Result<(), ClientError> {
        match self.request(request).await? {
            Answer::Ack => Ok(()),
            Answer::History(_) => Err(ClientError::UnexpectedResponse(
                "a history page instead of an ack".into(),
            )),
        }
    }

    async fn request(&self, request: Request) -> Result<Answer, ClientError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Request { request, reply })
            .map_err(|_| self.ended())?;
        match tokio::time::timeout(REQUEST_TIMEOUT, answer).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(self.ended()),
            Err(_) => Err(ClientError::Timeout),
        }
    }

    /// Why the task no longer takes commands.
    fn ended(&self) -> ClientError {
        match *self.state.borrow() {
            ConnectionState::Unauthorized => ClientError::Unauthorized,
            _ => ClientError::Closed,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use switchboard_protocol::Status;

    use super::*;

    #[test]
    fn client_events_serialise_as_flat_json_objects() {
        let lines = [
            ClientEvent::Connection(ConnectionState::Reconnecting {
                attempt: 2,
                retry_in_ms: 750,
            }),
            ClientEvent::Server(AgentEvent::StatusChanged {
                status: Status::Away,
            }),
            ClientEvent::Outbox(OutboxUpdate {
                conversation_id: "c1".into(),
                client_msg_id: "m1".into(),
                text: "hi".into(),
                delivery: Delivery::Sent { seq: 4 },
            }),
        ]
        .map(|event| serde_json::to_value(event).expect("serialise"));
        assert_eq!(
            lines,
            [
                json!({"kind": "connection", "state": "reconnecting", "attempt": 2, "retry_in_ms": 750}),
                json!({"kind": "server", "type": "status_changed", "status": "away"}),
                json!({"kind": "outbox", "conversation_id": "c1", "client_msg_id": "m1",
                       "text": "hi", "delivery": {"state": "sent", "seq": 4}}),
            ]
        );
    }
}
