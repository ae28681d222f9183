//! One logged-in session: owns the [`AgentClient`] and the task that forwards every
//! [`ClientEvent`] to the UI (in batches: see [`ipc::SessionEvents`]), keeping a small [`SessionView`] (status,
//! connection, open and ringing conversations) that the tray, the notifications and a reloaded
//! UI read.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_client::{AgentClient, ClientEvent, ConnectionState};
use switchboard_protocol::{
    AgentEvent, ConversationState, ConversationSummary, EventBody, Operator, Side, Status,
};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::mpsc::Receiver;
use url::Url;

use crate::ipc::{self, SessionEventsJson, SessionView};
use crate::keychain::Secret;
use crate::locks::lock;
use crate::notify::Ringer;
use crate::team_notify::TeamNotices;

/// The shortest time between two batches of events sent to the UI: an event that comes alone
/// goes at once; a burst is gathered into a batch at most this often.
const BATCH_INTERVAL: Duration = Duration::from_millis(16);
/// The most events in one batch.
const BATCH_MAX: usize = 256;

/// A live session with the server.
pub struct Session {
    client: AgentClient,
    server: Url,
    token: Secret,
    view: Mutex<SessionView>,
    events: Mutex<Option<Receiver<ClientEvent>>>,
    forwarder: Mutex<Option<JoinHandle<()>>>,
}

impl Session {
    /// Connects with `token`. Events wait in the channel until [`Session::forward`].
    pub fn start(server: Url, token: Secret, operator: Operator) -> Arc<Session> {
        let (client, events) = AgentClient::connect(server.clone(), token.expose().to_owned());
        let watcher = client.clone();
        tauri::async_runtime::spawn(async move {
            // Asked once; the connection renews it after every reconnect.
            if let Err(error) = watcher.watch_visitors().await {
                tracing::warn!(%error, "could not ask for the visitor list");
            }
        });
        Arc::new(Session {
            client,
            view: Mutex::new(SessionView {
                server_url: server.to_string(),
                operator,
                status: Status::Offline,
                connection: ConnectionState::Connecting,
                conversations: Vec::new(),
                canned: Vec::new(),
            }),
            server,
            token,
            events: Mutex::new(Some(events)),
            forwarder: Mutex::new(None),
        })
    }

    /// Starts forwarding events to the UI of `app`. Called once the UI knows the session, so
    /// that every event it gets is newer than the view it started from.
    pub fn forward(self: &Arc<Self>, app: &AppHandle) {
        let Some(mut events) = lock(&self.events).take() else {
            return;
        };
        let app = app.clone();
        let weak = Arc::downgrade(self);
        let task = tauri::async_runtime::spawn(async move {
            let mut batch = Vec::new();
            while events.recv_many(&mut batch, BATCH_MAX).await > 0 {
                let Some(session) = weak.upgrade() else {
                    return;
                };
                session.handle(&app, std::mem::take(&mut batch));
                drop(session);
                // What arrives meanwhile waits in the channel and goes as the next batch.
                tokio::time::sleep(BATCH_INTERVAL).await;
            }
        });
        *lock(&self.forwarder) = Some(task);
    }

    /// The agent connection, for requests.
    pub fn client(&self) -> &AgentClient {
        &self.client
    }

    /// The server this session talks to.
    pub fn server(&self) -> &Url {
        &self.server
    }

    /// The session token.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// A copy of the current view.
    pub fn view(&self) -> SessionView {
        lock(&self.view).clone()
    }

    /// Closes the connection and stops forwarding events.
    pub async fn end(&self) {
        self.client.shutdown().await;
        if let Some(task) = lock(&self.forwarder).take() {
            task.abort();
        }
    }

    /// Follows a batch of events, then sends the UI the ones it shows, as one event.
    fn handle(&self, app: &AppHandle, batch: Vec<ClientEvent>) {
        let mut events = Vec::with_capacity(batch.len());
        for event in batch {
            self.follow(app, &event);
            if !matches!(&event, ClientEvent::Server(frame) if !ipc::forwards_to_ui(frame)) {
                events.push(event);
            }
        }
        if events.is_empty() {
            return;
        }
        let welcomed = events
            .iter()
            .any(|event| matches!(event, ClientEvent::Server(AgentEvent::Welcome { .. })));
        let emitted = SessionEventsJson::new(events)
            .map_err(tauri::Error::from)
            .and_then(|payload| app.emit(ipc::SESSION_EVENTS, payload));
        if let Err(error) = emitted {
            tracing::warn!(%error, "could not send events to the UI");
        }
        if welcomed {
            crate::startup::reached(crate::startup::Milestone::ChatList);
        }
    }

    /// Folds one event into the view and acts on it: the tray's status, the ringing calls,
    /// team notifications, and logging in again when the server refuses the session.
    fn follow(&self, app: &AppHandle, event: &ClientEvent) {
        let (status_before, status_after, conversations, operator_id) = {
            let mut view = lock(&self.view);
            let before = view.status;
            apply(&mut view, event);
            let operator_id = view.operator.id.clone();
            (before, view.status, view.conversations.clone(), operator_id)
        };
        if status_before != status_after {
            crate::tray::show_status(app, Some(status_after));
        }
        app.state::<Ringer>().sync(app, &conversations);
        match event {
            ClientEvent::Connection(ConnectionState::Unauthorized) => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    crate::account::session_expired(&app).await;
                });
            }
            ClientEvent::Server(frame) if ipc::forwards_to_ui(frame) => {
                app.state::<TeamNotices>()
                    .on_event(app, frame, &operator_id);
            }
            _ => {}
        }
    }
}

/// Folds one client event into the view.
pub fn apply(view: &mut SessionView, event: &ClientEvent) {
    match event {
        ClientEvent::Connection(state) => view.connection = state.clone(),
        ClientEvent::Server(event) => apply_server(view, event),
        ClientEvent::Outbox(_) => {}
    }
}

fn apply_server(view: &mut SessionView, event: &AgentEvent) {
    match event {
        AgentEvent::Welcome {
            operator,
            status,
            conversations,
        } => {
            view.operator = operator.clone();
            view.status = *status;
            view.conversations = conversations.clone();
            sort_newest_first(&mut view.conversations);
        }
        AgentEvent::StatusChanged { status } => view.status = *status,
        AgentEvent::Ringing { conversation } | AgentEvent::ConversationUpdated { conversation } => {
            upsert(view, conversation.clone());
        }
        AgentEvent::RingStopped {
            conversation_id, ..
        } => view
            .conversations
            .retain(|c| c.id != *conversation_id || c.state != ConversationState::Ringing),
        AgentEvent::Event {
            conversation_id,
            event,
        } => {
            let left = matches!(&event.body, EventBody::OperatorLeft { operator } if operator.id == view.operator.id);
            if left || matches!(event.body, EventBody::Closed { .. }) {
                view.conversations.retain(|c| c.id != *conversation_id);
                return;
            }
            if let Some(conversation) = find(view, conversation_id) {
                conversation.last_seq = conversation.last_seq.max(event.seq);
                if let EventBody::OperatorJoined { operator } = &event.body {
                    conversation.state = ConversationState::Active;
                    if !conversation.operators.contains(operator) {
                        conversation.operators.push(operator.clone());
                    }
                }
            }
        }
        AgentEvent::Snapshot {
            conversation_id,
            events,
        } => {
            if let (Some(conversation), Some(last)) = (find(view, conversation_id), events.last()) {
                conversation.last_seq = last.seq;
            }
        }
        AgentEvent::Receipt {
            conversation_id,
            side,
            delivered,
            seen,
        } => {
            if let Some(conversation) = find(view, conversation_id) {
                let marks = match side {
                    Side::Visitor => &mut conversation.visitor_marks,
                    Side::Operator => &mut conversation.operator_marks,
                };
                marks.delivered = marks.delivered.max(*delivered);
                marks.seen = marks.seen.max(*seen);
            }
        }
        AgentEvent::CannedResponses { responses } => view.canned = responses.clone(),
        AgentEvent::Typing { .. }
        | AgentEvent::Ack { .. }
        | AgentEvent::HistoryPage { .. }
        | AgentEvent::Error { .. } => {}
        // The visitor list lives in the UI, which asks for it again when it starts.
        AgentEvent::VisitorList { .. }
        | AgentEvent::VisitorUpdated { .. }
        | AgentEvent::VisitorGone { .. }
        | AgentEvent::BlockList { .. } => {}
        // So do the team list and invitations from colleagues (sent again on reconnect).
        AgentEvent::TeamList { .. }
        | AgentEvent::TeamMemberUpdated { .. }
        | AgentEvent::InvitedToChat { .. }
        | AgentEvent::InvitationDeclined { .. }
        | AgentEvent::AccountSettings { .. } => {}
    }
}

fn find<'a>(view: &'a mut SessionView, id: &str) -> Option<&'a mut ConversationSummary> {
    view.conversations.iter_mut().find(|c| c.id == id)
}

fn upsert(view: &mut SessionView, conversation: ConversationSummary) {
    match find(view, &conversation.id) {
        Some(existing) => *existing = conversation,
        None => view.conversations.push(conversation),
    }
    sort_newest_first(&mut view.conversations);
}

fn sort_newest_first(conversations: &mut [ConversationSummary]) {
    conversations.sort_by_key(|c| std::cmp::Reverse(c.started_at));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use switchboard_protocol::{
        ConversationEvent, OperatorRef, ReadMarks, RingEnd, Role, VisitorInfo,
    };

    fn operator() -> Operator {
        Operator {
            id: "op-1".into(),
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: Role::Agent,
        }
    }

    fn view() -> SessionView {
        SessionView {
            server_url: "http://127.0.0.1/".into(),
            operator: operator(),
            status: Status::Offline,
            connection: ConnectionState::Connecting,
            conversations: Vec::new(),
            canned: Vec::new(),
        }
    }

    /// A ringing call `id`, for tests.
    pub(crate) fn call(id: &str, started_at: i64) -> ConversationSummary {
        ConversationSummary {
            id: id.into(),
            state: ConversationState::Ringing,
            visitor: VisitorInfo {
                id: format!("v-{id}"),
                name: "Visitor".into(),
                email: None,
                survey: Vec::new(),
                called_from: None,
                current_page: None,
                connected: true,
            },
            operators: Vec::new(),
            first_message: None,
            last_seq: 1,
            started_at,
            visitor_marks: ReadMarks::default(),
            operator_marks: ReadMarks::default(),
            internal: false,
        }
    }

    fn server(event: AgentEvent) -> ClientEvent {
        ClientEvent::Server(event)
    }

    #[test]
    fn calls_are_listed_newest_first() {
        let mut view = view();
        for (id, at) in [("a", 10), ("b", 30), ("c", 20)] {
            apply(
                &mut view,
                &server(AgentEvent::Ringing {
                    conversation: call(id, at),
                }),
            );
        }
        let ids: Vec<_> = view.conversations.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["b", "c", "a"]);
    }

    #[test]
    fn a_call_taken_by_a_colleague_disappears() {
        let mut view = view();
        apply(
            &mut view,
            &server(AgentEvent::Ringing {
                conversation: call("a", 1),
            }),
        );
        apply(
            &mut view,
            &server(AgentEvent::RingStopped {
                conversation_id: "a".into(),
                reason: RingEnd::Taken {
                    by: OperatorRef {
                        id: "op-2".into(),
                        name: "Bob".into(),
                    },
                },
            }),
        );
        assert!(view.conversations.is_empty());
    }

    #[test]
    fn accepting_makes_the_call_an_active_chat_that_closing_removes() {
        let mut view = view();
        apply(
            &mut view,
            &server(AgentEvent::Ringing {
                conversation: call("a", 1),
            }),
        );
        let joined = ConversationEvent {
            seq: 2,
            at: 5,
            body: EventBody::OperatorJoined {
                operator: OperatorRef {
                    id: "op-1".into(),
                    name: "Ann".into(),
                },
            },
        };
        apply(
            &mut view,
            &server(AgentEvent::Event {
                conversation_id: "a".into(),
                event: joined,
            }),
        );
        assert_eq!(view.conversations[0].state, ConversationState::Active);
        assert_eq!(view.conversations[0].last_seq, 2);
        let closed = ConversationEvent {
            seq: 3,
            at: 6,
            body: EventBody::Closed {
                by: switchboard_protocol::Author::System,
            },
        };
        apply(
            &mut view,
            &server(AgentEvent::Event {
                conversation_id: "a".into(),
                event: closed,
            }),
        );
        assert!(view.conversations.is_empty());
    }

    #[test]
    fn status_and_connection_follow_the_server() {
        let mut view = view();
        apply(
            &mut view,
            &server(AgentEvent::StatusChanged {
                status: Status::Away,
            }),
        );
        apply(
            &mut view,
            &ClientEvent::Connection(ConnectionState::Connected),
        );
        assert_eq!(view.status, Status::Away);
        assert_eq!(view.connection, ConnectionState::Connected);
    }
}
