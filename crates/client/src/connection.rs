//! The one task that owns the operator's WebSocket.
//!
//! Commands come in over an unbounded channel from the [`crate::AgentClient`] handles; events
//! go out over a bounded channel to the application. The task connects, says `Hello` with a
//! resume point per followed conversation, waits for `Welcome`, sends the outbox, then serves
//! frames, commands, keep-alive pings and receipts until the socket is lost. Then it waits
//! (backoff with jitter) and starts over. Requests made while disconnected fail at once with
//! [`ClientError::Disconnected`]; only messages queue.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use switchboard_protocol::limits::{MAX_FRAME_BYTES, MAX_MESSAGE_BYTES, MAX_REPLAY_EVENTS};
use switchboard_protocol::visitors::BlockTarget;
use switchboard_protocol::{
    AgentEvent, AgentRequest, CannedDraft, CannedScope, ConversationState, ErrorCode, EventBody,
    ProtocolError, Status, PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::backoff::Backoff;
use crate::outbox::Outbox;
use crate::pacer::Pacer;
use crate::tracker::Tracker;
use crate::{endpoints, ClientError, ClientEvent, ConnectionState, HistoryPage};

/// Events the application has not read yet before the task waits for it.
const EVENT_BUFFER: usize = 1024;
/// Longest time from opening the socket to `Welcome`.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for the close frame to be written when the task stops.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// A `Ping` goes out this often; one left unanswered until the next means the link is dead.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Receipts are batched: the first new event schedules one flush this much later.
const RECEIPT_DELAY: Duration = Duration::from_millis(250);
/// Largest frame the server may send: a snapshot of [`MAX_REPLAY_EVENTS`] messages, each with
/// its text twice (text and spans) plus JSON escaping and envelope.
const MAX_INCOMING_BYTES: usize = MAX_REPLAY_EVENTS as usize * 4 * MAX_MESSAGE_BYTES;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Reply = oneshot::Sender<Result<Answer, ClientError>>;

/// What a handle asks the task to do.
#[derive(Debug)]
pub(crate) enum Command {
    /// A request answered by `Ack`, `HistoryPage` or `Error`.
    Request {
        /// What to ask.
        request: Request,
        /// Where the answer goes.
        reply: Reply,
    },
    /// Queue a message in the outbox.
    Send {
        conversation_id: String,
        client_msg_id: String,
        text: String,
    },
    /// The application showed a conversation up to `seq`.
    MarkSeen { conversation_id: String, seq: u32 },
    /// The operator started or stopped typing (dropped while disconnected).
    Typing {
        conversation_id: String,
        typing: bool,
    },
    /// Close the socket and end the task.
    Shutdown { done: oneshot::Sender<()> },
}

/// A request that waits for its answer.
#[derive(Debug)]
pub(crate) enum Request {
    SetStatus(Status),
    Accept(String),
    Decline(String),
    Close(String),
    History {
        conversation_id: String,
        before_seq: Option<u32>,
        limit: u32,
    },
    WatchVisitors,
    WatchTeam,
    InviteOperator {
        conversation_id: String,
        operator_id: String,
        transfer: bool,
    },
    Leave(String),
    StartInternalChat(String),
    ReadAccount,
    AddOperator {
        email: String,
        name: String,
        password: String,
        admin: bool,
    },
    ResetPassword {
        operator_id: String,
        password: String,
    },
    RemoveOperator(String),
    SetOperatorDisabled {
        operator_id: String,
        disabled: bool,
    },
    SetOperatorCap {
        operator_id: String,
        max_chats: Option<u32>,
    },
    SetAccountSetting {
        key: String,
        value: String,
    },
    Invite {
        visitor_id: String,
        text: String,
    },
    Block(BlockTarget),
    Unblock(String),
    SaveCanned {
        id: Option<String>,
        draft: CannedDraft,
    },
    DeleteCanned(String),
    ReorderCanned {
        scope: CannedScope,
        ids: Vec<String>,
    },
}

impl Request {
    fn frame(self, req: u32) -> AgentRequest {
        match self {
            Request::SetStatus(status) => AgentRequest::SetStatus { req, status },
            Request::Accept(conversation_id) => AgentRequest::Accept {
                req,
                conversation_id,
            },
            Request::Decline(conversation_id) => AgentRequest::Decline {
                req,
                conversation_id,
            },
            Request::Close(conversation_id) => AgentRequest::Close {
                req,
                conversation_id,
            },
            Request::History {
                conversation_id,
                before_seq,
                limit,
            } => AgentRequest::History {
                req,
                conversation_id,
                before_seq,
                limit,
            },
            Request::WatchVisitors => AgentRequest::WatchVisitors { req },
            Request::WatchTeam => AgentRequest::WatchTeam { req },
            Request::InviteOperator {
                conversation_id,
                operator_id,
                transfer,
            } => AgentRequest::InviteOperator {
                req,
                conversation_id,
                operator_id,
                transfer,
            },
            Request::Leave(conversation_id) => AgentRequest::Leave {
                req,
                conversation_id,
            },
            Request::StartInternalChat(operator_id) => {
                AgentRequest::StartInternalChat { req, operator_id }
            }
            Request::ReadAccount => AgentRequest::ReadAccount { req },
            Request::AddOperator {
                email,
                name,
                password,
                admin,
            } => AgentRequest::AddOperator {
                req,
                email,
                name,
                password,
                admin,
            },
            Request::ResetPassword {
                operator_id,
                password,
            } => AgentRequest::ResetPassword {
                req,
                operator_id,
                password,
            },
            Request::RemoveOperator(operator_id) => {
                AgentRequest::RemoveOperator { req, operator_id }
            }
            Request::SetOperatorDisabled {
                operator_id,
                disabled,
            } => AgentRequest::SetOperatorDisabled {
                req,
                operator_id,
                disabled,
            },
            Request::SetOperatorCap {
                operator_id,
                max_chats,
            } => AgentRequest::SetOperatorCap {
                req,
                operator_id,
                max_chats,
            },
            Request::SetAccountSetting { key, value } => {
                AgentRequest::SetAccountSetting { req, key, value }
            }
            Request::Invite { visitor_id, text } => AgentRequest::Invite {
                req,
                visitor_id,
                text,
            },
            Request::Block(target) => AgentRequest::Block { req, target },
            Request::Unblock(block_id) => AgentRequest::Unblock { req, block_id },
            Request::SaveCanned { id, draft } => AgentRequest::SaveCanned { req, id, draft },
            Request::DeleteCanned(id) => AgentRequest::DeleteCanned { req, id },
            Request::ReorderCanned { scope, ids } => {
                AgentRequest::ReorderCanned { req, scope, ids }
            }
        }
    }
}

/// A successful answer to a [`Request`].
#[derive(Debug)]
pub(crate) enum Answer {
    Ack,
    History(HistoryPage),
}

/// Starts the task; returns the command sender, the state it publishes and its events.
pub(crate) fn spawn(
    server: Url,
    token: String,
) -> (
    mpsc::UnboundedSender<Command>,
    watch::Receiver<ConnectionState>,
    mpsc::Receiver<ClientEvent>,
) {
    let (command_tx, commands) = mpsc::unbounded_channel();
    let (event_tx, events) = mpsc::channel(EVENT_BUFFER);
    let (state, state_rx) = watch::channel(ConnectionState::Connecting);
    let connection = Connection {
        token,
        commands,
        events: event_tx,
        state,
        tracker: Tracker::default(),
        outbox: Outbox::default(),
        backoff: Backoff::default(),
        last_req: 0,
        watching_visitors: false,
        watching_team: false,
    };
    tokio::spawn(connection.run(server));
    (command_tx, state_rx, events)
}

/// Why the task stops for good.
enum Stop {
    /// A handle asked to shut down.
    Shutdown(oneshot::Sender<()>),
    /// Every handle was dropped.
    Dropped,
    /// The server refused the token.
    Unauthorized,
    /// Retrying cannot help (unusable URL, unsupported protocol version).
    Fatal,
}

/// How one connected session ended.
enum End {
    /// The socket failed or closed: reconnect.
    Lost,
    /// Stop the task.
    Stop(Stop),
}

impl End {
    /// What requests still waiting for an answer fail with.
    fn request_error(&self) -> ClientError {
        match self {
            End::Lost => ClientError::Disconnected,
            End::Stop(Stop::Unauthorized) => ClientError::Unauthorized,
            End::Stop(_) => ClientError::Closed,
        }
    }
}

/// Why a handshake did not produce a session.
enum Refusal {
    /// Try again later (network, timeout, server error).
    Retry(String),
    /// The token is not valid.
    Unauthorized,
    /// The server will never accept this client.
    Fatal(ProtocolError),
}

/// The state that lives across reconnects.
struct Connection {
    token: String,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::Sender<ClientEvent>,
    state: watch::Sender<ConnectionState>,
    tracker: Tracker,
    outbox: Outbox,
    backoff: Backoff,
    last_req: u32,
    /// The application watches the visitor list: ask again after every reconnect.
    watching_visitors: bool,
    /// Whether the UI asked for the team list (asked again after every reconnect).
    watching_team: bool,
}

/// The state of one connected socket.
struct Live {
    socket: Socket,
    /// Requests waiting for their answer, by request number.
    pending: HashMap<u32, Reply>,
    keepalive: Interval,
    /// The request number of the unanswered `Ping`, if any.
    ping: Option<u32>,
    /// When the batched receipts go out, if any are due.
    receipts_at: Option<Instant>,
    /// Keeps the outbox under the server's rate limit on this socket.
    pacer: Pacer,
    /// When the outbox may send more, if messages are waiting for the pacer.
    outbox_at: Option<Instant>,
}

impl Live {
    fn new(socket: Socket) -> Self {
        let mut keepalive = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
        keepalive.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Live {
            socket,
            pending: HashMap::new(),
            keepalive,
            ping: None,
            receipts_at: None,
            pacer: Pacer::new(Instant::now()),
            outbox_at: None,
        }
    }

    /// The server refused a frame for its rate: wait for the pacer before sending more.
    fn slow_down(&mut self) {
        let now = Instant::now();
        self.pacer.exhaust(now);
        self.outbox_at = Some(self.pacer.next_token_at());
    }

    fn schedule_receipts(&mut self) {
        self.receipts_at
            .get_or_insert_with(|| Instant::now() + RECEIPT_DELAY);
    }

    async fn write(&mut self, frame: &AgentRequest) -> Result<(), End> {
        let text = serde_json::to_string(frame).map_err(|error| {
            tracing::error!(%error, "cannot encode a request");
            End::Lost
        })?;
        self.socket
            .send(Message::text(text))
            .await
            .map_err(|error| {
                tracing::debug!(%error, "write failed");
                End::Lost
            })
    }
}

impl Connection {
    async fn run(mut self, server: Url) {
        let stop = match endpoints::agent_socket(&server) {
            Ok(url) => self.keep_connected(&url).await,
            Err(error) => {
                tracing::error!(%error, "cannot connect");
                Stop::Fatal
            }
        };
        self.finish(stop).await;
    }

    /// Connects, serves, and reconnects after every loss until something stops the task.
    async fn keep_connected(&mut self, url: &Url) -> Stop {
        let tls = tls_connector();
        loop {
            if let Err(stop) = self.session(url, &tls).await {
                return stop;
            }
            let retry = self.backoff.next_retry(rand::random());
            self.set_state(ConnectionState::Reconnecting {
                attempt: retry.attempt,
                retry_in_ms: u64::try_from(retry.delay.as_millis()).unwrap_or(u64::MAX),
            })
            .await;
            if let Err(stop) = self.while_offline(tokio::time::sleep(retry.delay)).await {
                return stop;
            }
        }
    }

    /// One connection from handshake to loss. `Ok` means: reconnect.
    async fn session(&mut self, url: &Url, tls: &Connector) -> Result<(), Stop> {
        self.set_state(ConnectionState::Connecting).await;
        let hello = AgentRequest::Hello {
            protocol: PROTOCOL_VERSION,
            token: self.token.clone(),
            resume: self.tracker.resume_points(),
        };
        let handshake = tokio::time::timeout(
            HANDSHAKE_TIMEOUT,
            handshake(url.clone(), tls.clone(), hello),
        );
        let (socket, welcome) = match self.while_offline(handshake).await? {
            Ok(Ok(session)) => session,
            Ok(Err(Refusal::Retry(reason))) => {
                tracing::debug!(%reason, "connection failed");
                return Ok(());
            }
            Ok(Err(Refusal::Unauthorized)) => return Err(Stop::Unauthorized),
            Ok(Err(Refusal::Fatal(error))) => {
                self.emit(ClientEvent::Server(AgentEvent::Error { req: None, error }))
                    .await;
                return Err(Stop::Fatal);
            }
            Err(_) => {
                tracing::debug!("no welcome in time");
                return Ok(());
            }
        };
        self.backoff.reset();
        self.set_state(ConnectionState::Connected).await;

        let mut live = Live::new(socket);
        let end = self.serve(&mut live, welcome).await;
        for (_, reply) in live.pending.drain() {
            // The caller may have given up already (timeout); nobody to tell then.
            let _ = reply.send(Err(end.request_error()));
        }
        self.outbox.requeue();
        match end {
            End::Lost => Ok(()),
            End::Stop(stop) => {
                match tokio::time::timeout(CLOSE_TIMEOUT, live.socket.close(None)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => tracing::debug!(%error, "closing the socket failed"),
                    Err(_) => tracing::debug!("the close frame could not be written in time"),
                }
                Err(stop)
            }
        }
    }

    /// Serves a connected socket until it ends.
    async fn serve(&mut self, live: &mut Live, welcome: AgentEvent) -> End {
        if let Err(end) = self.on_server_event(welcome, live).await {
            return end;
        }
        if self.tracker.receipts_due() {
            live.schedule_receipts();
        }
        if let Err(end) = self.dispatch_outbox(live).await {
            return end;
        }
        if self.watching_visitors {
            let req = self.next_req();
            if let Err(end) = live.write(&AgentRequest::WatchVisitors { req }).await {
                return end;
            }
        }
        if self.watching_team {
            let req = self.next_req();
            if let Err(end) = live.write(&AgentRequest::WatchTeam { req }).await {
                return end;
            }
        }
        loop {
            if let Err(end) = self.step(live).await {
                return end;
            }
        }
    }

    /// Waits for the next thing to do on a connected socket and does it.
    async fn step(&mut self, live: &mut Live) -> Result<(), End> {
        let receipts_at = live.receipts_at;
        let outbox_at = live.outbox_at;
        tokio::select! {
            frame = live.socket.next() => match frame {
                Some(Ok(Message::Text(text))) => match serde_json::from_str(&text) {
                    Ok(event) => self.on_server_event(event, live).await,
                    Err(error) => {
                        tracing::warn!(%error, "ignoring a frame this client does not understand");
                        Ok(())
                    }
                },
                Some(Ok(Message::Close(_))) | None => Err(End::Lost),
                Some(Ok(_)) => Ok(()),
                Some(Err(error)) => {
                    tracing::debug!(%error, "read failed");
                    Err(End::Lost)
                }
            },
            command = self.commands.recv() => self.on_command(command, live).await,
            _ = live.keepalive.tick() => self.ping(live).await,
            () = until(receipts_at) => self.send_receipts(live).await,
            () = until(outbox_at) => self.dispatch_outbox(live).await,
        }
    }

    async fn on_server_event(&mut self, event: AgentEvent, live: &mut Live) -> Result<(), End> {
        match event {
            AgentEvent::Ack { req, seq } => self.on_answer(req, Ok(seq), live).await,
            AgentEvent::Error {
                req: Some(req),
                error,
            } => self.on_answer(req, Err(error), live).await,
            AgentEvent::HistoryPage {
                req,
                events,
                has_more,
                ..
            } => {
                if let Some(reply) = live.pending.remove(&req) {
                    let _ = reply.send(Ok(Answer::History(HistoryPage { events, has_more })));
                }
                Ok(())
            }
            AgentEvent::Error { req: None, error } if error.code == ErrorCode::Unauthorized => {
                Err(End::Stop(Stop::Unauthorized))
            }
            AgentEvent::Error { req: None, error } if error.code == ErrorCode::RateLimited => {
                // The server does not say which frame it refused: send every message again
                // once the pacer allows (a stored one is acknowledged again, not stored twice).
                self.outbox.requeue();
                live.slow_down();
                self.emit(ClientEvent::Server(AgentEvent::Error { req: None, error }))
                    .await;
                Ok(())
            }
            AgentEvent::Event {
                conversation_id,
                event,
            } => {
                if !self.tracker.admit(&conversation_id, event.seq) {
                    return Ok(());
                }
                if matches!(event.body, EventBody::Closed { .. }) {
                    self.tracker.forget(&conversation_id);
                } else {
                    live.schedule_receipts();
                }
                self.emit(ClientEvent::Server(AgentEvent::Event {
                    conversation_id,
                    event,
                }))
                .await;
                Ok(())
            }
            event => {
                self.follow(&event);
                if self.tracker.receipts_due() {
                    live.schedule_receipts();
                }
                self.emit(ClientEvent::Server(event)).await;
                Ok(())
            }
        }
    }

    /// Keeps the tracker in step with what the server lists.
    fn follow(&mut self, event: &AgentEvent) {
        match event {
            AgentEvent::Welcome { conversations, .. } => {
                self.tracker
                    .keep_only(conversations.iter().map(|c| c.id.as_str()));
                for conversation in conversations {
                    self.tracker.follow(&conversation.id, conversation.last_seq);
                }
            }
            AgentEvent::Ringing { conversation }
            | AgentEvent::ConversationUpdated { conversation }
                if conversation.state != ConversationState::Closed =>
            {
                self.tracker.follow(&conversation.id, conversation.last_seq);
            }
            AgentEvent::Snapshot {
                conversation_id,
                events,
            } => {
                let newest = events.iter().map(|event| event.seq).max().unwrap_or(0);
                self.tracker.replace(conversation_id, newest);
            }
            AgentEvent::RingStopped {
                conversation_id, ..
            } => self.tracker.forget(conversation_id),
            _ => {}
        }
    }

    /// Routes an `Ack` or `Error` to the keep-alive, the outbox or the waiting request.
    async fn on_answer(
        &mut self,
        req: u32,
        answer: Result<Option<u32>, ProtocolError>,
        live: &mut Live,
    ) -> Result<(), End> {
        let waiting = self.outbox.waiting();
        if live.ping == Some(req) {
            live.ping = None;
        } else if let Some(update) = self.outbox.answer(req, answer.clone()) {
            self.emit(ClientEvent::Outbox(update)).await;
        } else if self.outbox.waiting() > waiting {
            // rate-limited: it goes out again when the pacer allows
            live.slow_down();
        } else if let Some(reply) = live.pending.remove(&req) {
            let _ = reply.send(answer.map(|_| Answer::Ack).map_err(ClientError::Server));
        }
        Ok(())
    }

    async fn on_command(&mut self, command: Option<Command>, live: &mut Live) -> Result<(), End> {
        match command {
            Some(Command::Request { request, reply }) => {
                match request {
                    Request::WatchVisitors => self.watching_visitors = true,
                    Request::WatchTeam => self.watching_team = true,
                    _ => {}
                }
                let req = self.next_req();
                live.pending.insert(req, reply);
                live.write(&request.frame(req)).await
            }
            Some(Command::Send {
                conversation_id,
                client_msg_id,
                text,
            }) => {
                let update = self.outbox.queue(conversation_id, client_msg_id, text);
                self.emit(ClientEvent::Outbox(update)).await;
                self.dispatch_outbox(live).await
            }
            Some(Command::MarkSeen {
                conversation_id,
                seq,
            }) => {
                self.tracker.mark_seen(&conversation_id, seq);
                if self.tracker.receipts_due() {
                    live.schedule_receipts();
                }
                Ok(())
            }
            Some(Command::Typing {
                conversation_id,
                typing,
            }) => {
                live.write(&AgentRequest::Typing {
                    conversation_id,
                    typing,
                })
                .await
            }
            Some(Command::Shutdown { done }) => Err(End::Stop(Stop::Shutdown(done))),
            None => Err(End::Stop(Stop::Dropped)),
        }
    }

    /// Handles a command while there is no session.
    async fn on_offline_command(&mut self, command: Option<Command>) -> Result<(), Stop> {
        match command {
            Some(Command::Request {
                request: Request::WatchVisitors,
                reply,
            }) => {
                // Asked for again as soon as the connection is back.
                self.watching_visitors = true;
                let _ = reply.send(Ok(Answer::Ack));
            }
            Some(Command::Request {
                request: Request::WatchTeam,
                reply,
            }) => {
                self.watching_team = true;
                let _ = reply.send(Ok(Answer::Ack));
            }
            Some(Command::Request { reply, .. }) => {
                let _ = reply.send(Err(ClientError::Disconnected));
            }
            Some(Command::Send {
                conversation_id,
                client_msg_id,
                text,
            }) => {
                let update = self.outbox.queue(conversation_id, client_msg_id, text);
                self.emit(ClientEvent::Outbox(update)).await;
            }
            Some(Command::MarkSeen {
                conversation_id,
                seq,
            }) => self.tracker.mark_seen(&conversation_id, seq),
            // a typing signal is only worth something now
            Some(Command::Typing { .. }) => {}
            Some(Command::Shutdown { done }) => return Err(Stop::Shutdown(done)),
            None => return Err(Stop::Dropped),
        }
        Ok(())
    }

    /// Runs `future` (connecting, waiting to retry) while still answering commands.
    async fn while_offline<T>(&mut self, future: impl Future<Output = T>) -> Result<T, Stop> {
        tokio::pin!(future);
        loop {
            tokio::select! {
                output = &mut future => return Ok(output),
                command = self.commands.recv() => self.on_offline_command(command).await?,
            }
        }
    }

    /// Sends as many waiting messages as the pacer allows now, and schedules the rest.
    async fn dispatch_outbox(&mut self, live: &mut Live) -> Result<(), End> {
        live.outbox_at = None;
        let budget = live.pacer.take(Instant::now(), self.outbox.waiting());
        let mut last_req = self.last_req;
        let frames = self.outbox.dispatch(budget, || {
            last_req = last_req.wrapping_add(1);
            last_req
        });
        self.last_req = last_req;
        for frame in &frames {
            live.write(frame).await?;
        }
        if self.outbox.waiting() > 0 {
            live.outbox_at = Some(live.pacer.next_token_at());
        }
        Ok(())
    }

    async fn ping(&mut self, live: &mut Live) -> Result<(), End> {
        if live.ping.is_some() {
            tracing::debug!("no answer to the last ping; the link is dead");
            return Err(End::Lost);
        }
        let req = self.next_req();
        live.ping = Some(req);
        live.write(&AgentRequest::Ping { req }).await
    }

    async fn send_receipts(&mut self, live: &mut Live) -> Result<(), End> {
        live.receipts_at = None;
        for receipt in self.tracker.take_receipts() {
            live.write(&receipt).await?;
        }
        Ok(())
    }

    fn next_req(&mut self) -> u32 {
        self.last_req = self.last_req.wrapping_add(1);
        self.last_req
    }

    async fn set_state(&mut self, state: ConnectionState) {
        self.state.send_replace(state.clone());
        self.emit(ClientEvent::Connection(state)).await;
    }

    async fn emit(&self, event: ClientEvent) {
        // The application may have dropped its receiver; the task still serves requests.
        let _ = self.events.send(event).await;
    }

    async fn finish(mut self, stop: Stop) {
        match stop {
            Stop::Unauthorized => {
                let error = ProtocolError::new(
                    ErrorCode::Unauthorized,
                    "the session is no longer valid; log in again",
                );
                for update in self.outbox.fail_all(&error) {
                    self.emit(ClientEvent::Outbox(update)).await;
                }
                self.set_state(ConnectionState::Unauthorized).await;
            }
            Stop::Shutdown(done) => {
                self.set_state(ConnectionState::Closed).await;
                let _ = done.send(());
            }
            Stop::Dropped | Stop::Fatal => self.set_state(ConnectionState::Closed).await,
        }
    }
}

/// Opens the socket, says hello and waits for the welcome.
async fn handshake(
    url: Url,
    tls: Connector,
    hello: AgentRequest,
) -> Result<(Socket, AgentEvent), Refusal> {
    let (mut socket, _) = tokio_tungstenite::connect_async_tls_with_config(
        url.as_str(),
        Some(socket_config()),
        true,
        Some(tls),
    )
    .await
    .map_err(|error| Refusal::Retry(error.to_string()))?;
    let hello = serde_json::to_string(&hello).map_err(|error| Refusal::Retry(error.to_string()))?;
    socket
        .send(Message::text(hello))
        .await
        .map_err(|error| Refusal::Retry(error.to_string()))?;
    while let Some(frame) = socket.next().await {
        let frame = frame.map_err(|error| Refusal::Retry(error.to_string()))?;
        let Message::Text(text) = frame else { continue };
        match serde_json::from_str::<AgentEvent>(&text) {
            Ok(welcome @ AgentEvent::Welcome { .. }) => return Ok((socket, welcome)),
            Ok(AgentEvent::Error { error, .. }) => {
                return Err(match error.code {
                    ErrorCode::Unauthorized => Refusal::Unauthorized,
                    ErrorCode::UnsupportedVersion => Refusal::Fatal(error),
                    _ => Refusal::Retry(error.to_string()),
                })
            }
            Ok(other) => tracing::warn!(?other, "frame before the welcome ignored"),
            Err(error) => tracing::warn!(%error, "unreadable frame before the welcome"),
        }
    }
    Err(Refusal::Retry("closed before the welcome".into()))
}

/// Small buffers: one frame of ours is at most [`MAX_FRAME_BYTES`]; the server's may be as large
/// as a snapshot.
fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 * MAX_FRAME_BYTES)
        .max_message_size(Some(MAX_INCOMING_BYTES))
        .max_frame_size(Some(MAX_INCOMING_BYTES))
}

/// TLS for `wss://` with the Mozilla root certificates and the `ring` provider, chosen
/// explicitly so that it does not depend on which crypto provider other crates enable.
fn tls_connector() -> Connector {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(builder) => Connector::Rustls(Arc::new(
            builder.with_root_certificates(roots).with_no_client_auth(),
        )),
        Err(error) => {
            tracing::error!(%error, "TLS unavailable; only ws:// servers work");
            Connector::Plain
        }
    }
}

/// Completes at `deadline`, or never when there is none.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
