//! The hub: live routing of calls and conversation events between visitor and agent sockets.
//!
//! It owns who is connected, every operator's status, and the open conversations. Every change
//! to a conversation goes through [`Hub::commit`]: one writer at a time stores the event (the
//! store assigns the seq) and only then pushes it to the sockets, so every socket sees every
//! conversation's events committed and in order. Sockets get frames through small bounded
//! channels; a socket too slow to drain its channel is dropped and resumes on reconnect.

mod account;
mod canned;
mod disable;
mod grace;
mod internal;
mod operators;
mod routing;
mod sessions;
mod team;
mod typing;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::extract::ws::Utf8Bytes;
use switchboard_protocol::limits::{MAX_HISTORY_PAGE, MAX_REPLAY_EVENTS};
use switchboard_protocol::{
    AgentEvent, Author, ConversationEvent, ConversationState, ConversationSummary, ErrorCode,
    EventBody, Operator, OperatorRef, PageInfo, ProtocolError, ReadMarks, ResumePoint, RingEnd,
    Side, Status, SurveyAnswer, VisitorConversation, VisitorEvent, VisitorInfo,
};
use tokio::sync::mpsc;

use crate::arrival::Arrival;
use crate::clock::Clock;
use crate::files::Files;
use crate::routing::Policy;
use crate::settings::Settings;
use crate::store::{Appended, NewConversation, OperatorRecord, Store, StoreError};
use crate::{auth, text, validate};

mod visitors;
pub use visitors::TrackingConfig;
mod files;

pub use files::{file_error, Party};

/// A serialized frame on its way to a socket.
pub type Frame = Utf8Bytes;

/// Frames a socket may have waiting before it is considered too slow and dropped.
const SOCKET_QUEUE: usize = 256;

/// One registered socket: its id and the receiving end of its frame channel.
pub struct SocketLink {
    /// Id used to unregister the socket.
    pub id: u64,
    /// Frames pushed by the hub.
    pub frames: mpsc::Receiver<Frame>,
}

/// What a socket writes first after its handshake.
pub struct Greeting {
    /// The socket's link to the hub.
    pub link: SocketLink,
    /// Welcome followed by replayed events.
    pub frames: Vec<Frame>,
}

/// A visitor's handshake result.
pub struct VisitorGreeting {
    /// The visitor.
    pub visitor_id: String,
    /// Welcome, replay, and the link.
    pub greeting: Greeting,
}

struct AgentPresence {
    operator: Operator,
    status: Status,
    sockets: HashMap<u64, mpsc::Sender<Frame>>,
}

struct LiveConversation {
    visitor_id: String,
    summary: ConversationSummary,
    declined: HashSet<String>,
    invited: HashMap<String, team::Invitation>,
    /// How the call is distributed (read when it started ringing).
    policy: Policy,
    /// One-at-a-time modes: the operator it rings for and until when.
    assignee: Option<(String, i64)>,
    /// Operators it was shown to as ringing.
    rung: HashSet<String>,
}

impl LiveConversation {
    fn new(visitor_id: String, summary: ConversationSummary, policy: Policy) -> Self {
        LiveConversation {
            visitor_id,
            summary,
            declined: HashSet::new(),
            invited: HashMap::new(),
            policy,
            assignee: None,
            rung: HashSet::new(),
        }
    }
}

#[derive(Default)]
struct Live {
    agents: HashMap<String, AgentPresence>,
    visitors: HashMap<String, HashMap<u64, mpsc::Sender<Frame>>>,
    conversations: HashMap<String, LiveConversation>,
    open_by_visitor: HashMap<String, String>,
    online: bool,
    tracking: visitors::Tracking,
    sessions: sessions::AgentSessions,
    team: team::Team,
    queue: routing::Queue,
    dropped: grace::Dropped,
}

/// The live routing hub. One per server, shared as `Arc<Hub>`.
pub struct Hub {
    store: Store,
    settings: Settings,
    tokens: auth::VisitorTokens,
    files: Files,
    live: Mutex<Live>,
    writer: tokio::sync::Mutex<()>,
    next_socket: AtomicU64,
    tracking: TrackingConfig,
    typing: typing::TypingGate,
    clock: Clock,
}

type HubResult<T> = Result<T, ProtocolError>;

fn internal(error: StoreError) -> ProtocolError {
    tracing::error!(%error, "storage failed");
    ProtocolError::new(
        ErrorCode::Internal,
        "the server could not store this; try again",
    )
}

fn not_found() -> ProtocolError {
    ProtocolError::new(ErrorCode::NotFound, "no such conversation")
}

/// Serializes a frame for the wire.
pub fn frame_of<T: serde::Serialize>(value: &T) -> Frame {
    Utf8Bytes::from(serde_json::to_string(value).expect("protocol types always serialize"))
}

/// Pushes a frame to every socket in `sockets`, dropping sockets whose queue is full or gone.
fn push(sockets: &mut HashMap<u64, mpsc::Sender<Frame>>, frame: &Frame) {
    sockets.retain(|id, sender| match sender.try_send(frame.clone()) {
        Ok(()) => true,
        Err(error) => {
            tracing::info!(socket = id, %error, "dropping a socket that cannot keep up");
            false
        }
    });
}

impl Live {
    fn push_agent(&mut self, operator_id: &str, frame: &Frame) {
        if let Some(agent) = self.agents.get_mut(operator_id) {
            push(&mut agent.sockets, frame);
        }
    }

    fn push_visitor(&mut self, visitor_id: &str, frame: &Frame) {
        if let Some(sockets) = self.visitors.get_mut(visitor_id) {
            push(sockets, frame);
        }
    }

    /// Operators who should hear about a conversation: participants and those it rings for.
    fn audience(&self, conversation_id: &str) -> Vec<String> {
        let Some(conversation) = self.conversations.get(conversation_id) else {
            return Vec::new();
        };
        let mut audience: Vec<String> = conversation
            .summary
            .operators
            .iter()
            .map(|o| o.id.clone())
            .collect();
        audience.extend(self.ring_targets(conversation));
        audience.extend(conversation.invited.keys().cloned());
        audience
    }

    fn push_conversation_update(&mut self, conversation_id: &str) {
        let Some(conversation) = self.conversations.get(conversation_id) else {
            return;
        };
        let update = frame_of(&AgentEvent::ConversationUpdated {
            conversation: conversation.summary.clone(),
        });
        for operator in self.audience(conversation_id) {
            self.push_agent(&operator, &update);
        }
    }

    /// Tells visitors when "any operator online" flips.
    fn refresh_availability(&mut self) {
        let online = self
            .agents
            .values()
            .any(|a| a.status == Status::Online && !a.sockets.is_empty());
        if online != self.online {
            self.online = online;
            let update = frame_of(&VisitorEvent::Availability { online });
            for sockets in self.visitors.values_mut() {
                push(sockets, &update);
            }
        }
    }

    fn may_see(&self, operator_id: &str, conversation_id: &str) -> bool {
        self.conversations.get(conversation_id).is_some_and(|c| {
            c.summary.operators.iter().any(|o| o.id == operator_id)
                || self.ring_targets(c).iter().any(|id| id == operator_id)
        })
    }

    /// Whether an operator may read a conversation's events: they take part, are rung for it,
    /// or hold an invitation into it.
    fn may_read(&self, operator_id: &str, conversation_id: &str) -> bool {
        self.may_see(operator_id, conversation_id) || self.is_invited(operator_id, conversation_id)
    }

    fn is_participant(&self, operator_id: &str, conversation_id: &str) -> bool {
        self.conversations
            .get(conversation_id)
            .is_some_and(|c| c.summary.operators.iter().any(|o| o.id == operator_id))
    }

    fn visitor_view(&self, conversation_id: &str) -> Option<VisitorConversation> {
        self.conversations
            .get(conversation_id)
            .map(|c| VisitorConversation {
                id: c.summary.id.clone(),
                state: c.summary.state,
                operators: c.summary.operators.clone(),
                last_seq: c.summary.last_seq,
                operator_marks: c.summary.operator_marks,
            })
    }
}

impl Hub {
    /// Loads open conversations from the store and starts with nobody connected. Files left
    /// behind by chats that closed while the server was down are deleted.
    pub async fn load(
        store: Store,
        settings: Settings,
        tokens: auth::VisitorTokens,
        files: Files,
    ) -> Result<Hub, StoreError> {
        files.remove_closed(None).await;
        let policy = crate::routing::policy(&store).await?;
        let mut live = Live::default();
        for stored in store.open_conversations().await? {
            let summary = ConversationSummary {
                id: stored.id.clone(),
                state: stored.state,
                visitor: VisitorInfo {
                    id: stored.visitor_id.clone(),
                    name: stored.visitor_name,
                    email: stored.visitor_email,
                    survey: stored.survey,
                    called_from: stored.called_from,
                    current_page: stored.current_page,
                    connected: false,
                },
                operators: stored.operators,
                first_message: stored.first_message,
                last_seq: stored.last_seq,
                started_at: stored.started_at,
                visitor_marks: stored.visitor_marks,
                operator_marks: stored.operator_marks,
                internal: stored.internal,
            };
            live.open_by_visitor
                .insert(stored.visitor_id.clone(), stored.id.clone());
            live.conversations.insert(
                stored.id,
                LiveConversation::new(stored.visitor_id, summary, policy),
            );
        }
        live.all_dropped(crate::now_millis());
        Ok(Hub {
            store,
            settings,
            tokens,
            files,
            live: Mutex::new(live),
            writer: tokio::sync::Mutex::new(()),
            next_socket: AtomicU64::new(1),
            tracking: TrackingConfig::default(),
            typing: typing::TypingGate::default(),
            clock: Clock::System,
        })
    }

    /// Uses `clock` for ring timeouts and reconnect grace instead of the system clock.
    pub fn with_clock(self, clock: Clock) -> Hub {
        Hub { clock, ..self }
    }

    /// Whether the clock only moves when advanced (tests).
    pub fn manual_clock(&self) -> bool {
        matches!(self.clock, Clock::Manual { .. })
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn new_socket(&self) -> (u64, mpsc::Sender<Frame>, SocketLink) {
        let id = self.next_socket.fetch_add(1, Ordering::Relaxed);
        let (sender, frames) = mpsc::channel(SOCKET_QUEUE);
        (id, sender, SocketLink { id, frames })
    }

    /// The store behind the hub.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Account settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether any operator is Online and connected.
    pub fn online(&self) -> bool {
        self.live().online
    }

    /// Stores an event and pushes it to everyone in the conversation. Must be called with the
    /// writer lock held; `update` adjusts the live conversation after the commit.
    async fn commit(
        &self,
        conversation_id: &str,
        body: EventBody,
        update: impl FnOnce(&mut Live, &ConversationEvent),
    ) -> HubResult<Appended> {
        let appended = self
            .store
            .append(conversation_id, body)
            .await
            .map_err(internal)?;
        if let Appended::New(event) = &appended {
            let mut live = self.live();
            if let Some(conversation) = live.conversations.get_mut(conversation_id) {
                conversation.summary.last_seq = event.seq;
            }
            update(&mut live, event);
            self.fan_out(&mut live, conversation_id, event);
        }
        Ok(appended)
    }

    fn fan_out(&self, live: &mut Live, conversation_id: &str, event: &ConversationEvent) {
        let Some(visitor_id) = live
            .conversations
            .get(conversation_id)
            .map(|c| c.visitor_id.clone())
        else {
            return;
        };
        let to_agents = frame_of(&AgentEvent::Event {
            conversation_id: conversation_id.to_string(),
            event: event.clone(),
        });
        for operator in live.audience(conversation_id) {
            live.push_agent(&operator, &to_agents);
        }
        let to_visitor = frame_of(&VisitorEvent::Event {
            conversation_id: conversation_id.to_string(),
            event: event.clone(),
        });
        live.push_visitor(&visitor_id, &to_visitor);
    }

    // ---- operators -------------------------------------------------------------------------

    /// The operator owning a session token, if it is valid.
    pub async fn authenticate(&self, token: &str) -> HubResult<Option<OperatorRecord>> {
        self.store
            .session_operator(&auth::token_hash(token))
            .await
            .map_err(internal)
    }

    /// When a valid session expires (`None`: it is not valid).
    pub async fn session_expiry(&self, token_hash: &str) -> HubResult<Option<i64>> {
        self.store
            .session_expiry(token_hash)
            .await
            .map_err(internal)
    }

    /// Registers an agent socket; returns Welcome and the replay of `resume`.
    pub async fn connect_agent(
        &self,
        record: OperatorRecord,
        resume: &[ResumePoint],
    ) -> HubResult<Greeting> {
        let _writer = self.writer.lock().await;
        let operator_id = record.operator.id.clone();
        let mut frames = Vec::new();
        let (socket_id, sender, link) = self.new_socket();
        {
            let mut live = self.live();
            let agent = live
                .agents
                .entry(operator_id.clone())
                .or_insert_with(|| AgentPresence {
                    operator: record.operator.clone(),
                    status: record.status,
                    sockets: HashMap::new(),
                });
            agent.operator = record.operator.clone();
            agent.sockets.insert(socket_id, sender);
            let status = agent.status;
            let conversations: Vec<ConversationSummary> = live
                .conversations
                .keys()
                .filter(|id| live.may_see(&operator_id, id))
                .map(|id| live.conversations[id].summary.clone())
                .collect();
            let conversation_ids: HashSet<String> =
                conversations.iter().map(|c| c.id.clone()).collect();
            frames.push(frame_of(&AgentEvent::Welcome {
                operator: record.operator.clone(),
                status,
                conversations,
            }));
            frames.extend(live.invitations_for(&operator_id));
            for conversation in live.conversations.values_mut() {
                if conversation.summary.state == ConversationState::Ringing
                    && conversation_ids.contains(&conversation.summary.id)
                {
                    conversation.rung.insert(operator_id.clone());
                }
            }
            live.enrol(&record);
            live.operator_back(&operator_id);
            live.team_changed([operator_id.as_str()]);
            live.sync_rings(self.clock.now());
            live.refresh_availability();
        }
        for point in resume {
            let allowed = self.live().may_read(&operator_id, &point.conversation_id)
                || self
                    .store
                    .took_part(&point.conversation_id, &operator_id)
                    .await
                    .map_err(internal)?;
            if allowed {
                frames.extend(
                    self.replay(&point.conversation_id, point.last_seq, true)
                        .await?,
                );
            }
        }
        frames.push(self.canned_frame(&operator_id).await?);
        Ok(Greeting { link, frames })
    }

    /// Events after `last_seq` as Event frames, or one Snapshot when the gap is too large.
    async fn replay(
        &self,
        conversation_id: &str,
        last_seq: u32,
        agent: bool,
    ) -> HubResult<Vec<Frame>> {
        let events = self
            .store
            .events_after(conversation_id, last_seq, MAX_REPLAY_EVENTS + 1)
            .await
            .map_err(internal)?;
        let conversation_id = conversation_id.to_string();
        if events.len() > MAX_REPLAY_EVENTS as usize {
            let (newest, _) = self
                .store
                .history(&conversation_id, None, MAX_REPLAY_EVENTS)
                .await
                .map_err(internal)?;
            return Ok(vec![if agent {
                frame_of(&AgentEvent::Snapshot {
                    conversation_id,
                    events: newest,
                })
            } else {
                frame_of(&VisitorEvent::Snapshot {
                    conversation_id,
                    events: newest,
                })
            }]);
        }
        Ok(events
            .into_iter()
            .map(|event| {
                let conversation_id = conversation_id.clone();
                if agent {
                    frame_of(&AgentEvent::Event {
                        conversation_id,
                        event,
                    })
                } else {
                    frame_of(&VisitorEvent::Event {
                        conversation_id,
                        event,
                    })
                }
            })
            .collect())
    }

    /// Unregisters an agent socket.
    pub fn disconnect_agent(&self, operator_id: &str, socket_id: u64) {
        let mut live = self.live();
        if let Some(agent) = live.agents.get_mut(operator_id) {
            agent.sockets.remove(&socket_id);
        }
        live.team_changed([operator_id]);
        let now = self.clock.now();
        live.operator_dropped(operator_id, now);
        live.sync_rings(now);
        live.refresh_availability();
    }

    /// Changes an operator's status: rings or stops ringing waiting calls, tells their sockets
    /// and, if needed, every widget.
    pub async fn set_status(&self, operator_id: &str, status: Status) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        self.store
            .set_status(operator_id, status)
            .await
            .map_err(internal)?;
        let mut live = self.live();
        if let Some(agent) = live.agents.get_mut(operator_id) {
            agent.status = status;
        }
        live.sync_rings(self.clock.now());
        live.push_agent(
            operator_id,
            &frame_of(&AgentEvent::StatusChanged { status }),
        );
        live.team_changed([operator_id]);
        live.refresh_availability();
        Ok(())
    }

    /// Accepts a ringing call: the first accept wins, everyone else stops ringing.
    pub async fn accept(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        self.accept_locked(operator_id, conversation_id).await
    }

    async fn accept_locked(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        if self.live().is_invited(operator_id, conversation_id) {
            return self.join_invited(operator_id, conversation_id).await;
        }
        let (joining, rung) = {
            let live = self.live();
            let conversation = live
                .conversations
                .get(conversation_id)
                .ok_or_else(not_found)?;
            if live.is_participant(operator_id, conversation_id) {
                return Ok(());
            }
            if conversation.summary.state != ConversationState::Ringing {
                let taker = conversation
                    .summary
                    .operators
                    .first()
                    .map_or("another operator".to_string(), |o| o.name.clone());
                return Err(ProtocolError::new(
                    ErrorCode::Conflict,
                    format!("this call was already taken by {taker}"),
                ));
            }
            if !live.may_take(operator_id, conversation) {
                return Err(ProtocolError::new(
                    ErrorCode::Conflict,
                    "this call rings for another operator now",
                ));
            }
            let operator = &live.agents.get(operator_id).ok_or_else(not_found)?.operator;
            let joining = OperatorRef {
                id: operator.id.clone(),
                name: operator.name.clone(),
            };
            (joining, conversation.rung.clone())
        };
        let body = EventBody::OperatorJoined {
            operator: joining.clone(),
        };
        let by = joining.clone();
        self.commit(conversation_id, body, |live, _| {
            if let Some(conversation) = live.conversations.get_mut(conversation_id) {
                conversation.summary.state = ConversationState::Active;
                conversation.summary.operators.push(joining);
            }
        })
        .await?;
        let mut live = self.live();
        let stopped = frame_of(&AgentEvent::RingStopped {
            conversation_id: conversation_id.to_string(),
            reason: RingEnd::Taken { by },
        });
        for other in rung.iter().filter(|id| *id != operator_id) {
            live.push_agent(other, &stopped);
        }
        live.forget_rung(conversation_id, &rung);
        // the operator's other sessions list the chat too, even those it did not ring for
        live.push_conversation_update(conversation_id);
        live.team_changed([operator_id]);
        live.sync_rings(self.clock.now());
        live.chat_changed(conversation_id);
        Ok(())
    }

    /// Declines a ringing call for this operator only.
    pub fn decline(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        let mut live = self.live();
        if live.is_invited(operator_id, conversation_id) {
            live.decline_invitation(operator_id, conversation_id);
            return Ok(());
        }
        let conversation = live
            .conversations
            .get_mut(conversation_id)
            .ok_or_else(not_found)?;
        if conversation.summary.state != ConversationState::Ringing {
            return Err(ProtocolError::new(
                ErrorCode::Conflict,
                "this call is not ringing",
            ));
        }
        conversation.declined.insert(operator_id.to_string());
        conversation.rung.remove(operator_id);
        let stopped = frame_of(&AgentEvent::RingStopped {
            conversation_id: conversation_id.to_string(),
            reason: RingEnd::Declined,
        });
        live.push_agent(operator_id, &stopped);
        live.sync_rings(self.clock.now());
        Ok(())
    }

    /// Sends an operator's message; sending into a ringing call accepts it first.
    pub async fn operator_send(
        &self,
        operator_id: &str,
        conversation_id: &str,
        client_msg_id: String,
        raw_text: &str,
    ) -> HubResult<u32> {
        validate::client_msg_id(&client_msg_id)?;
        validate::message_text(raw_text)?;
        let _writer = self.writer.lock().await;
        let ringing = {
            let live = self.live();
            let conversation = live.conversations.get(conversation_id);
            conversation.is_some_and(|c| c.summary.state == ConversationState::Ringing)
        };
        if ringing {
            self.accept_locked(operator_id, conversation_id).await?;
        }
        let author = {
            let live = self.live();
            if !live.is_participant(operator_id, conversation_id) {
                return Err(not_participant(&live, conversation_id));
            }
            let operator = &live.agents.get(operator_id).ok_or_else(not_found)?.operator;
            Author::Operator {
                id: operator.id.clone(),
                name: operator.name.clone(),
            }
        };
        self.send_message(conversation_id, client_msg_id, author, raw_text)
            .await
    }

    async fn send_message(
        &self,
        conversation_id: &str,
        client_msg_id: String,
        author: Author,
        raw_text: &str,
    ) -> HubResult<u32> {
        let normalised = text::normalise(raw_text);
        if normalised.text.is_empty() {
            return Err(ProtocolError::new(
                ErrorCode::Invalid,
                "the message is empty",
            ));
        }
        let from_visitor = matches!(author, Author::Visitor { .. });
        let first_text = normalised.text.clone();
        let body = EventBody::Message {
            client_msg_id,
            author,
            text: normalised.text,
            spans: normalised.spans,
        };
        let appended = self
            .commit(conversation_id, body, |live, _| {
                if let Some(conversation) = live.conversations.get_mut(conversation_id) {
                    if from_visitor && conversation.summary.first_message.is_none() {
                        conversation.summary.first_message = Some(first_text);
                    }
                }
            })
            .await?;
        Ok(match appended {
            Appended::New(event) => event.seq,
            Appended::Duplicate(seq) => seq,
        })
    }

    /// Ends a conversation on an operator's request.
    pub async fn operator_close(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let by = {
            let live = self.live();
            if !live.is_participant(operator_id, conversation_id) {
                return Err(not_participant(&live, conversation_id));
            }
            let operator = &live.agents.get(operator_id).ok_or_else(not_found)?.operator;
            Author::Operator {
                id: operator.id.clone(),
                name: operator.name.clone(),
            }
        };
        self.close_locked(conversation_id, by).await
    }

    async fn close_locked(&self, conversation_id: &str, by: Author) -> HubResult<()> {
        let rung = {
            let live = self.live();
            let conversation = live
                .conversations
                .get(conversation_id)
                .ok_or_else(not_found)?;
            live.ring_targets(conversation)
        };
        self.commit(conversation_id, EventBody::Closed { by }, |_, _| {})
            .await?;
        self.files.remove_closed(Some(conversation_id)).await;
        let mut live = self.live();
        let stopped = frame_of(&AgentEvent::RingStopped {
            conversation_id: conversation_id.to_string(),
            reason: RingEnd::VisitorLeft,
        });
        for operator in &rung {
            live.push_agent(operator, &stopped);
        }
        live.invitations_lapsed(conversation_id);
        if let Some(conversation) = live.conversations.remove(conversation_id) {
            live.open_by_visitor.remove(&conversation.visitor_id);
            live.chat_closed(&conversation);
            live.team_changed(conversation.summary.operators.iter().map(|o| o.id.as_str()));
        }
        live.sync_rings(self.clock.now());
        Ok(())
    }

    /// A page of history for an operator who takes or took part (or is being rung).
    pub async fn history(
        &self,
        operator_id: &str,
        conversation_id: &str,
        before_seq: Option<u32>,
        limit: u32,
    ) -> HubResult<(Vec<ConversationEvent>, bool)> {
        let allowed = self.live().may_read(operator_id, conversation_id)
            || self
                .store
                .took_part(conversation_id, operator_id)
                .await
                .map_err(internal)?
            || self
                .store
                .is_archived(conversation_id)
                .await
                .map_err(internal)?;
        if !allowed {
            return Err(not_found());
        }
        self.store
            .history(
                conversation_id,
                before_seq,
                limit.clamp(1, MAX_HISTORY_PAGE),
            )
            .await
            .map_err(internal)
    }

    /// Stores the operators' read marks and tells the visitor.
    pub async fn operator_receipt(
        &self,
        operator_id: &str,
        conversation_id: &str,
        delivered: u32,
        seen: u32,
    ) -> HubResult<()> {
        let marks = {
            let mut live = self.live();
            if !live.is_participant(operator_id, conversation_id) {
                return Err(not_participant(&live, conversation_id));
            }
            let conversation = live
                .conversations
                .get_mut(conversation_id)
                .ok_or_else(not_found)?;
            let last_seq = conversation.summary.last_seq;
            let Some(marks) = advance(
                &mut conversation.summary.operator_marks,
                delivered,
                seen,
                last_seq,
            )?
            else {
                return Ok(());
            };
            let visitor_id = conversation.visitor_id.clone();
            let receipt = frame_of(&VisitorEvent::Receipt {
                delivered: marks.delivered,
                seen: marks.seen,
            });
            live.push_visitor(&visitor_id, &receipt);
            marks
        };
        self.store
            .set_marks(conversation_id, Side::Operator, marks)
            .await
            .map_err(internal)
    }

    // ---- visitors --------------------------------------------------------------------------

    /// Identifies a visitor (by a valid token, or as a new visitor), registers the socket,
    /// and returns Welcome plus the replay of its open conversation.
    pub async fn connect_visitor(
        &self,
        visitor_token: Option<&str>,
        page: PageInfo,
        time_zone: Option<String>,
        last_seq: Option<u32>,
        arrival: &Arrival,
    ) -> HubResult<VisitorGreeting> {
        self.check_not_blocked(arrival.ip)?;
        let visitor_id = visitor_token
            .and_then(|token| self.tokens.verify(token))
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let page = validate::page(page);
        let time_zone = validate::time_zone(time_zone);
        self.store
            .touch_visitor(&visitor_id, time_zone.as_deref(), &page)
            .await
            .map_err(internal)?;
        let survey = self.settings.survey().await.map_err(internal)?;
        let _writer = self.writer.lock().await;
        let (socket_id, sender, link) = self.new_socket();
        let (online, conversation) = {
            let mut live = self.live();
            live.visitors
                .entry(visitor_id.clone())
                .or_default()
                .insert(socket_id, sender);
            let open = live.open_by_visitor.get(&visitor_id).cloned();
            if let Some(id) = &open {
                if let Some(conversation) = live.conversations.get_mut(id) {
                    conversation.summary.visitor.connected = true;
                    conversation.summary.visitor.current_page = Some(page.clone());
                }
                live.push_conversation_update(id);
            }
            (live.online, open.and_then(|id| live.visitor_view(&id)))
        };
        self.track_arrival(&visitor_id, arrival, &page, time_zone)
            .await?;
        let mut frames = vec![frame_of(&VisitorEvent::Welcome {
            visitor_token: self.tokens.sign(&visitor_id),
            visitor_id: visitor_id.clone(),
            online,
            survey,
            conversation: conversation.clone(),
        })];
        frames.push(self.typing_policy_frame().await?);
        if let Some(conversation) = conversation {
            frames.extend(
                self.replay(&conversation.id, last_seq.unwrap_or(0), false)
                    .await?,
            );
            frames.extend(self.live().reconnecting_frames(&conversation.id));
        }
        Ok(VisitorGreeting {
            visitor_id,
            greeting: Greeting { link, frames },
        })
    }

    /// Unregisters a visitor socket; operators see the visitor go when its last socket closes.
    pub fn disconnect_visitor(&self, visitor_id: &str, socket_id: u64) {
        let mut live = self.live();
        let gone = live.visitors.get_mut(visitor_id).is_some_and(|sockets| {
            sockets.remove(&socket_id);
            sockets.is_empty()
        });
        if gone {
            live.visitors.remove(visitor_id);
            live.visitor_disconnected(visitor_id);
            if let Some(id) = live.open_by_visitor.get(visitor_id).cloned() {
                if let Some(conversation) = live.conversations.get_mut(&id) {
                    conversation.summary.visitor.connected = false;
                }
                live.push_conversation_update(&id);
            }
        }
    }

    /// Records the page a visitor moved to.
    pub async fn page_view(&self, visitor_id: &str, page: PageInfo) -> HubResult<()> {
        let page = validate::page(page);
        self.store
            .set_visitor_page(visitor_id, &page)
            .await
            .map_err(internal)?;
        self.track_page(visitor_id, &page).await?;
        let mut live = self.live();
        if let Some(id) = live.open_by_visitor.get(visitor_id).cloned() {
            if let Some(conversation) = live.conversations.get_mut(&id) {
                conversation.summary.visitor.current_page = Some(page);
            }
            live.push_conversation_update(&id);
        }
        Ok(())
    }

    /// A visitor calls: opens a ringing conversation (or returns the open one).
    pub async fn start_chat(
        &self,
        visitor_id: &str,
        answers: Vec<SurveyAnswer>,
    ) -> HubResult<VisitorConversation> {
        let page = self
            .store
            .visitor_page(visitor_id)
            .await
            .map_err(internal)?;
        let fields = self.settings.survey().await.map_err(internal)?;
        let survey = validate::survey(&fields, answers)?;
        let answer = |key: &str| {
            survey
                .iter()
                .find(|a| a.key == key && !a.value.is_empty())
                .map(|a| a.value.clone())
        };
        let visitor_name = answer("name")
            .and_then(|name| validate::name(&name))
            .unwrap_or_else(|| generated_name(visitor_id));
        let visitor_email = answer("email");
        let policy = crate::routing::policy(&self.store)
            .await
            .map_err(internal)?;
        let _writer = self.writer.lock().await;
        if let Some(open) = {
            let live = self.live();
            live.open_by_visitor
                .get(visitor_id)
                .and_then(|id| live.visitor_view(id))
        } {
            return Ok(open);
        }
        let new = NewConversation {
            id: uuid::Uuid::new_v4().to_string(),
            visitor_id: visitor_id.to_string(),
            visitor_name,
            visitor_email,
            survey,
            called_from: page,
        };
        let started = self
            .store
            .create_conversation(&new)
            .await
            .map_err(internal)?;
        let mut live = self.live();
        let summary = new_summary(&new, &started, live.visitors.contains_key(visitor_id));
        live.open_by_visitor
            .insert(new.visitor_id.clone(), new.id.clone());
        let conversation = LiveConversation::new(new.visitor_id, summary, policy);
        live.conversations.insert(new.id.clone(), conversation);
        live.chat_started(&new.id);
        live.sync_rings(self.clock.now());
        self.fan_out(&mut live, &new.id, &started);
        live.visitor_view(&new.id).ok_or_else(not_found)
    }

    /// A visitor's message into its open conversation.
    pub async fn visitor_send(
        &self,
        visitor_id: &str,
        client_msg_id: String,
        raw_text: &str,
    ) -> HubResult<u32> {
        validate::client_msg_id(&client_msg_id)?;
        validate::message_text(raw_text)?;
        let _writer = self.writer.lock().await;
        let (conversation_id, name) = self.open_conversation(visitor_id)?;
        self.send_message(
            &conversation_id,
            client_msg_id,
            Author::Visitor { name },
            raw_text,
        )
        .await
    }

    fn open_conversation(&self, visitor_id: &str) -> HubResult<(String, String)> {
        let live = self.live();
        live.open_by_visitor
            .get(visitor_id)
            .and_then(|id| live.conversations.get(id))
            .map(|c| (c.summary.id.clone(), c.summary.visitor.name.clone()))
            .ok_or_else(|| {
                ProtocolError::new(
                    ErrorCode::Conflict,
                    "there is no open chat; start one first",
                )
            })
    }

    /// The visitor ends its chat.
    pub async fn visitor_close(&self, visitor_id: &str) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let (conversation_id, name) = self.open_conversation(visitor_id)?;
        self.close_locked(&conversation_id, Author::Visitor { name })
            .await
    }

    /// Stores the visitor's read marks and tells the operators.
    pub async fn visitor_receipt(
        &self,
        visitor_id: &str,
        delivered: u32,
        seen: u32,
    ) -> HubResult<()> {
        let (conversation_id, marks) = {
            let mut live = self.live();
            let id = live
                .open_by_visitor
                .get(visitor_id)
                .cloned()
                .ok_or_else(not_found)?;
            let conversation = live.conversations.get_mut(&id).ok_or_else(not_found)?;
            let last_seq = conversation.summary.last_seq;
            let Some(marks) = advance(
                &mut conversation.summary.visitor_marks,
                delivered,
                seen,
                last_seq,
            )?
            else {
                return Ok(());
            };
            let receipt = frame_of(&AgentEvent::Receipt {
                conversation_id: id.clone(),
                side: Side::Visitor,
                delivered: marks.delivered,
                seen: marks.seen,
            });
            for operator in live.audience(&id) {
                live.push_agent(&operator, &receipt);
            }
            (id, marks)
        };
        self.store
            .set_marks(&conversation_id, Side::Visitor, marks)
            .await
            .map_err(internal)
    }

    /// Stores a message left while nobody was online.
    pub async fn offline_message(
        &self,
        visitor_id: &str,
        name: &str,
        email: &str,
        text: &str,
    ) -> HubResult<()> {
        let name = validate::name(name)
            .ok_or_else(|| ProtocolError::new(ErrorCode::Invalid, "please give your name"))?;
        if !validate::looks_like_email(email.trim()) {
            return Err(ProtocolError::new(
                ErrorCode::Invalid,
                "please give a valid email address",
            ));
        }
        validate::message_text(text)?;
        self.store
            .save_offline_message(visitor_id, &name, email.trim(), text)
            .await
            .map_err(internal)
    }
}

fn not_participant(live: &Live, conversation_id: &str) -> ProtocolError {
    if live.conversations.contains_key(conversation_id) {
        ProtocolError::new(ErrorCode::Forbidden, "you do not take part in this chat")
    } else {
        ProtocolError::new(ErrorCode::NotFound, "no such open chat")
    }
}

/// Moves read marks forward (never back; never past the last committed seq). `None` when they
/// did not move, so a repeated receipt costs no write.
fn advance(
    marks: &mut ReadMarks,
    delivered: u32,
    seen: u32,
    last_seq: u32,
) -> HubResult<Option<ReadMarks>> {
    if seen > delivered || delivered > last_seq {
        return Err(ProtocolError::new(
            ErrorCode::Invalid,
            "read marks must satisfy seen <= delivered <= last seq",
        ));
    }
    let before = *marks;
    marks.delivered = marks.delivered.max(delivered);
    marks.seen = marks.seen.max(seen);
    Ok((*marks != before).then_some(*marks))
}

/// The summary of a conversation that just started ringing.
fn new_summary(
    new: &NewConversation,
    started: &ConversationEvent,
    connected: bool,
) -> ConversationSummary {
    ConversationSummary {
        id: new.id.clone(),
        state: ConversationState::Ringing,
        visitor: VisitorInfo {
            id: new.visitor_id.clone(),
            name: new.visitor_name.clone(),
            email: new.visitor_email.clone(),
            survey: new.survey.clone(),
            current_page: new.called_from.clone(),
            called_from: new.called_from.clone(),
            connected,
        },
        operators: Vec::new(),
        first_message: None,
        last_seq: started.seq,
        started_at: started.at,
        visitor_marks: ReadMarks::default(),
        operator_marks: ReadMarks::default(),
        internal: false,
    }
}

/// "Visitor 1234": a stable name for a visitor who gave none.
fn generated_name(visitor_id: &str) -> String {
    let digits: u32 = visitor_id
        .bytes()
        .fold(0, |acc, b| acc.wrapping_mul(31).wrapping_add(b as u32));
    format!("Visitor {:04}", digits % 10_000)
}
