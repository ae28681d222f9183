//! The connection task against a scripted server, for what a real server does not provoke on
//! demand: replays that overlap what the client already has, a socket that dies while a message
//! and a request are unanswered, a snapshot after a long gap.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use switchboard_client::{AgentClient, ClientError, ClientEvent, ConnectionState, Delivery};
use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, ConversationEvent, ConversationState, ConversationSummary,
    EventBody, Operator, ReadMarks, ResumePoint, Role, Status, VisitorInfo,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use url::Url;

/// Longest wait for one expected frame or event.
const WAIT: Duration = Duration::from_secs(10);

/// Accepts agent sockets on a free port.
struct ScriptedServer {
    listener: TcpListener,
}

impl ScriptedServer {
    async fn start() -> (ScriptedServer, Url) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = Url::parse(&format!(
            "http://{}/",
            listener.local_addr().expect("address")
        ))
        .expect("URL");
        (ScriptedServer { listener }, url)
    }

    /// The next client socket, after its `Hello`; returns the socket and the resume points.
    async fn accept(&self) -> (Peer, Vec<ResumePoint>) {
        let (stream, _) = tokio::time::timeout(WAIT, self.listener.accept())
            .await
            .expect("the client connects in time")
            .expect("accept");
        let socket = tokio_tungstenite::accept_async(stream)
            .await
            .expect("websocket handshake");
        let mut peer = Peer { socket };
        match peer.recv().await {
            AgentRequest::Hello {
                protocol, resume, ..
            } => {
                assert_eq!(protocol, switchboard_protocol::PROTOCOL_VERSION);
                (peer, resume)
            }
            other => panic!("expected hello, got {other:?}"),
        }
    }
}

/// One accepted client socket.
struct Peer {
    socket: WebSocketStream<TcpStream>,
}

impl Peer {
    async fn recv(&mut self) -> AgentRequest {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("a frame in time")
                .expect("socket open")
                .expect("readable frame");
            if let Message::Text(text) = frame {
                return serde_json::from_str(&text).expect("a request");
            }
        }
    }

    /// Skips frames until `pick` returns `Some`.
    async fn recv_where<T>(&mut self, mut pick: impl FnMut(&AgentRequest) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(&self.recv().await) {
                return found;
            }
        }
    }

    async fn send(&mut self, event: &AgentEvent) {
        let text = serde_json::to_string(event).expect("encode");
        self.socket
            .send(Message::text(text))
            .await
            .expect("send to client");
    }

    async fn welcome(&mut self, conversations: Vec<ConversationSummary>) {
        self.send(&AgentEvent::Welcome {
            operator: Operator {
                id: "op-1".into(),
                name: "Ann".into(),
                email: "ann@example.com".into(),
                role: Role::Agent,
            },
            status: Status::Online,
            conversations,
        })
        .await;
    }

    async fn event(&mut self, seq: u32, text: &str) {
        self.send(&AgentEvent::Event {
            conversation_id: "c1".into(),
            event: message(seq, text),
        })
        .await;
    }
}

fn message(seq: u32, text: &str) -> ConversationEvent {
    ConversationEvent {
        seq,
        at: 1_700_000_000_000 + i64::from(seq),
        body: EventBody::Message {
            client_msg_id: format!("m{seq}"),
            author: Author::Visitor {
                name: "Vera".into(),
            },
            text: text.into(),
            spans: Vec::new(),
        },
    }
}

fn summary(id: &str, last_seq: u32) -> ConversationSummary {
    ConversationSummary {
        id: id.into(),
        state: ConversationState::Active,
        visitor: VisitorInfo {
            id: "v1".into(),
            name: "Vera".into(),
            email: None,
            survey: Vec::new(),
            called_from: None,
            current_page: None,
            connected: true,
        },
        operators: Vec::new(),
        first_message: None,
        last_seq,
        internal: false,
        started_at: 1_700_000_000_000,
        visitor_marks: ReadMarks::default(),
        operator_marks: ReadMarks::default(),
    }
}

/// The next client event, or a panic after [`WAIT`].
async fn next(events: &mut mpsc::Receiver<ClientEvent>) -> ClientEvent {
    tokio::time::timeout(WAIT, events.recv())
        .await
        .expect("a client event in time")
        .expect("the client is running")
}

/// Collects events until `done` says so; returns them all.
async fn collect_until(
    events: &mut mpsc::Receiver<ClientEvent>,
    mut done: impl FnMut(&ClientEvent) -> bool,
) -> Vec<ClientEvent> {
    let mut seen = Vec::new();
    loop {
        let event = next(events).await;
        let stop = done(&event);
        seen.push(event);
        if stop {
            return seen;
        }
    }
}

fn event_seqs(events: &[ClientEvent]) -> Vec<u32> {
    events
        .iter()
        .filter_map(|event| match event {
            ClientEvent::Server(AgentEvent::Event { event, .. }) => Some(event.seq),
            _ => None,
        })
        .collect()
}

fn is_event(event: &ClientEvent, seq: u32) -> bool {
    matches!(event, ClientEvent::Server(AgentEvent::Event { event, .. }) if event.seq == seq)
}

#[tokio::test]
async fn overlapping_replays_pass_once_in_order_and_unacked_messages_go_out_again() {
    let (server, url) = ScriptedServer::start().await;
    let (client, mut events) = AgentClient::connect(url, "token".into());

    let (mut first, resume) = server.accept().await;
    assert!(resume.is_empty());
    first.welcome(vec![summary("c1", 0)]).await;
    for (seq, text) in [(1, "one"), (2, "two"), (2, "two"), (1, "one")] {
        first.event(seq, text).await;
    }
    let before = collect_until(&mut events, |event| is_event(event, 2)).await;
    assert_eq!(event_seqs(&before), [1, 2]);

    // A message and a request go out; the socket dies before either is answered.
    let client_msg_id = client.send("c1", "hi").expect("queued");
    let sent = first
        .recv_where(|request| match request {
            AgentRequest::Send { client_msg_id, .. } => Some(client_msg_id.clone()),
            _ => None,
        })
        .await;
    assert_eq!(sent, client_msg_id);
    let accept = tokio::spawn({
        let client = client.clone();
        async move { client.accept("c1").await }
    });
    first
        .recv_where(|request| matches!(request, AgentRequest::Accept { .. }).then_some(()))
        .await;
    drop(first);
    let refused = accept.await.expect("accept task");
    assert!(
        matches!(refused, Err(ClientError::Disconnected)),
        "{refused:?}"
    );

    // The client resumes after seq 2; the server replays from seq 2 anyway.
    let (mut second, resume) = server.accept().await;
    assert_eq!(
        resume,
        [ResumePoint {
            conversation_id: "c1".into(),
            last_seq: 2
        }]
    );
    second.welcome(vec![summary("c1", 3)]).await;
    second.event(2, "two").await;
    second.event(3, "three").await;
    let (req, resent) = second
        .recv_where(|request| match request {
            AgentRequest::Send {
                req, client_msg_id, ..
            } => Some((*req, client_msg_id.clone())),
            _ => None,
        })
        .await;
    assert_eq!(resent, client_msg_id, "the same id goes out again");
    second.event(4, "hi").await;
    second.send(&AgentEvent::Ack { req, seq: Some(4) }).await;

    let after = collect_until(&mut events, |event| {
        matches!(event, ClientEvent::Outbox(update) if update.delivery == Delivery::Sent { seq: 4 })
    })
    .await;
    assert_eq!(event_seqs(&after), [3, 4]);
    let states: Vec<&ConnectionState> = after
        .iter()
        .filter_map(|event| match event {
            ClientEvent::Connection(state) => Some(state),
            _ => None,
        })
        .collect();
    assert!(
        matches!(
            states.as_slice(),
            [
                ConnectionState::Reconnecting { attempt: 1, .. },
                ConnectionState::Connecting,
                ConnectionState::Connected
            ]
        ),
        "{states:?}"
    );

    let delivered = second
        .recv_where(|request| match request {
            AgentRequest::Receipt {
                conversation_id,
                delivered,
                ..
            } if conversation_id == "c1" && *delivered == 4 => Some(*delivered),
            _ => None,
        })
        .await;
    assert_eq!(delivered, 4, "a delivered receipt follows the events");
}

#[tokio::test]
async fn a_snapshot_after_a_long_gap_moves_the_resume_point() {
    let (server, url) = ScriptedServer::start().await;
    let (client, mut events) = AgentClient::connect(url, "token".into());

    let (mut first, _) = server.accept().await;
    first.welcome(vec![summary("c1", 1)]).await;
    first
        .send(&AgentEvent::Snapshot {
            conversation_id: "c1".into(),
            events: vec![message(1500, "late"), message(1501, "later")],
        })
        .await;
    first.event(1501, "later").await;
    first.event(1502, "latest").await;
    let seen = collect_until(&mut events, |event| is_event(event, 1502)).await;
    assert!(seen
        .iter()
        .any(|event| matches!(event, ClientEvent::Server(AgentEvent::Snapshot { .. }))));
    assert_eq!(event_seqs(&seen), [1502], "1501 came with the snapshot");
    drop(first);

    let (_second, resume) = server.accept().await;
    assert_eq!(
        resume,
        [ResumePoint {
            conversation_id: "c1".into(),
            last_seq: 1502
        }]
    );
    client.shutdown().await;
    let rest = collect_until(&mut events, |event| {
        *event == ClientEvent::Connection(ConnectionState::Closed)
    })
    .await;
    assert!(!rest.is_empty());
    assert!(events.recv().await.is_none(), "the task has ended");
}

#[tokio::test]
async fn the_visitor_list_asked_for_before_connecting_is_asked_again_after_every_reconnect() {
    let (server, url) = ScriptedServer::start().await;
    let (client, mut events) = AgentClient::connect(url, "token".into());
    // Asked while the socket is still opening: accepted, and sent once connected.
    client
        .watch_visitors()
        .await
        .expect("watching works offline");

    let (mut first, _) = server.accept().await;
    first.welcome(Vec::new()).await;
    first
        .recv_where(|r| matches!(r, AgentRequest::WatchVisitors { .. }).then_some(()))
        .await;
    let list = AgentEvent::VisitorList {
        visitors: Vec::new(),
    };
    first.send(&list).await;
    collect_until(&mut events, |e| *e == ClientEvent::Server(list.clone())).await;

    drop(first);
    let (mut second, _) = server.accept().await;
    second.welcome(Vec::new()).await;
    second
        .recv_where(|r| matches!(r, AgentRequest::WatchVisitors { .. }).then_some(()))
        .await;
    client.shutdown().await;
}
