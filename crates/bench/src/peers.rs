//! The benchmark's peers: operators and visitors speaking the raw protocol over small-buffer
//! WebSockets, and the timed chatting phase.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::stream::{self, SplitStream};
use futures_util::{SinkExt, StreamExt, TryStreamExt};
use switchboard_protocol::http::{LoginRequest, LoginResponse};
use switchboard_protocol::{
    AgentEvent, AgentRequest, EventBody, PageInfo, Status, VisitorEvent, VisitorRequest,
    PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::server::{BenchServer, PASSWORD};

/// One WebSocket connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Sockets opened at once while connecting visitors.
const CONNECT_CONCURRENCY: usize = 64;
/// How long operators keep reading after the last message was sent.
const DRAIN: Duration = Duration::from_secs(3);

/// Opens a WebSocket to `path` on the server with small buffers.
pub async fn open(server: &BenchServer, path: &str) -> anyhow::Result<Socket> {
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let url = format!("ws://{}/{path}", server.address());
    let (socket, _) =
        tokio_tungstenite::connect_async_with_config(url, Some(config), false).await?;
    Ok(socket)
}

/// Sends one JSON frame.
pub async fn send<T: serde::Serialize>(socket: &mut Socket, frame: &T) -> anyhow::Result<()> {
    socket
        .send(Message::text(serde_json::to_string(frame)?))
        .await?;
    Ok(())
}

/// Reads the next JSON frame.
pub async fn next<T: serde::de::DeserializeOwned>(socket: &mut Socket) -> anyhow::Result<T> {
    loop {
        match socket.next().await.context("socket closed")?? {
            Message::Text(text) => return Ok(serde_json::from_str(&text)?),
            Message::Close(frame) => bail!("closed by the server: {frame:?}"),
            _ => continue,
        }
    }
}

/// Logs an operator in and opens an agent socket past its Welcome; returns it and the token.
pub async fn operator_socket(
    server: &BenchServer,
    http: &reqwest::Client,
    email: &str,
) -> anyhow::Result<(Socket, String)> {
    let session: LoginResponse = http
        .post(format!("http://{}/api/v1/login", server.address()))
        .json(&LoginRequest {
            email: email.into(),
            password: PASSWORD.into(),
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut socket = open(server, "ws/v1/agent").await?;
    let hello = AgentRequest::Hello {
        protocol: PROTOCOL_VERSION,
        token: session.token.clone(),
        resume: vec![],
    };
    send(&mut socket, &hello).await?;
    let _welcome: AgentEvent = next(&mut socket).await?;
    Ok((socket, session.token))
}

/// Creates `count` operators, logs each in, and sets them Online.
pub async fn connect_operators(server: &BenchServer, count: usize) -> anyhow::Result<Vec<Socket>> {
    let mut operators = Vec::with_capacity(count);
    for n in 0..count {
        operators.push(operator_session(server, n).await?.0);
    }
    Ok(operators)
}

/// Creates operator number `n`, logs in, opens its socket Online; returns it and its token.
pub async fn operator_session(server: &BenchServer, n: usize) -> anyhow::Result<(Socket, String)> {
    let email = format!("operator{n}@bench.example");
    server.add_operator(&email).await?;
    let (mut socket, token) = operator_socket(server, &reqwest::Client::new(), &email).await?;
    send(
        &mut socket,
        &AgentRequest::SetStatus {
            req: 0,
            status: Status::Online,
        },
    )
    .await?;
    Ok((socket, token))
}

/// A visitor socket that has said hello on the demo page.
pub async fn visitor(server: &BenchServer) -> anyhow::Result<Socket> {
    let mut socket = open(server, "ws/v1/visitor").await?;
    let page = PageInfo {
        url: format!("http://{}/demo/", server.address()),
        title: "Acme Cloud".into(),
        referrer: None,
    };
    send(
        &mut socket,
        &VisitorRequest::Hello {
            protocol: PROTOCOL_VERSION,
            visitor_token: None,
            page,
            time_zone: None,
            last_seq: None,
        },
    )
    .await?;
    match next::<VisitorEvent>(&mut socket).await? {
        VisitorEvent::Welcome { .. } => Ok(socket),
        other => bail!("expected a welcome, got {other:?}"),
    }
}

/// Opens `count` visitor sockets that only say hello.
pub async fn open_idle_visitors(server: &BenchServer, count: usize) -> anyhow::Result<Vec<Socket>> {
    stream::iter(0..count)
        .map(|_| visitor(server))
        .buffer_unordered(CONNECT_CONCURRENCY)
        .try_collect()
        .await
}

/// Visitors with accepted chats, and the operators who accepted them.
pub struct Chats {
    /// The conversations, in the order they started.
    pub ids: Vec<String>,
    visitors: Vec<Socket>,
    operators: Vec<Socket>,
}

/// Opens `pairs` chats, accepted round-robin by the operators.
pub async fn start_chats(
    server: &BenchServer,
    mut operators: Vec<Socket>,
    pairs: usize,
) -> anyhow::Result<Chats> {
    if operators.is_empty() {
        bail!("at least one operator is needed");
    }
    let count = operators.len();
    let mut visitors = Vec::with_capacity(pairs);
    let mut ids = Vec::with_capacity(pairs);
    for n in 0..pairs {
        let mut socket = visitor(server).await?;
        send(
            &mut socket,
            &VisitorRequest::StartChat {
                req: 1,
                survey: vec![],
            },
        )
        .await?;
        let id = loop {
            if let VisitorEvent::Ack {
                conversation: Some(c),
                ..
            } = next(&mut socket).await?
            {
                break c.id;
            }
        };
        let operator = &mut operators[n % count];
        let req = n as u32 + 1;
        send(
            operator,
            &AgentRequest::Accept {
                req,
                conversation_id: id.clone(),
            },
        )
        .await?;
        loop {
            match next::<AgentEvent>(operator).await? {
                AgentEvent::Ack { req: r, .. } if r == req => break,
                AgentEvent::Error {
                    req: Some(r),
                    error,
                } if r == req => bail!("accept failed: {error}"),
                _ => continue,
            }
        }
        visitors.push(socket);
        ids.push(id);
    }
    Ok(Chats {
        ids,
        visitors,
        operators,
    })
}

/// What the chatting phase measured.
pub struct ChatResult {
    /// Messages the visitors sent.
    pub sent: u64,
    /// Visitor → operator latency of every message received, in microseconds.
    pub latencies_us: Vec<u64>,
}

/// Visitors send timestamped messages at `rate` per second in total for `duration`;
/// operators measure the time to receive each.
pub async fn chat(
    chats: Chats,
    clock: Arc<Instant>,
    rate: u32,
    duration: Duration,
) -> anyhow::Result<ChatResult> {
    let (stop, stopped) = watch::channel(false);
    let sent = Arc::new(AtomicU64::new(0));
    let readers: Vec<_> = chats
        .operators
        .into_iter()
        .map(|socket| {
            let (_, incoming) = socket.split();
            tokio::spawn(measure(incoming, clock.clone(), stopped.clone()))
        })
        .collect();
    let pairs = chats.visitors.len().max(1) as u32;
    let period = Duration::from_secs_f64(f64::from(pairs) / f64::from(rate.max(1)));
    let deadline = tokio::time::Instant::now() + duration;
    let senders: Vec<_> = chats
        .visitors
        .into_iter()
        .enumerate()
        .map(|(n, socket)| {
            let offset = period.mul_f64(n as f64 / f64::from(pairs));
            tokio::spawn(send_messages(
                socket,
                clock.clone(),
                period,
                offset,
                deadline,
                sent.clone(),
                stopped.clone(),
            ))
        })
        .collect();
    tokio::time::sleep_until(deadline + DRAIN).await;
    stop.send_replace(true);
    for sender in senders {
        sender.await??;
    }
    let mut latencies_us = Vec::new();
    for reader in readers {
        latencies_us.extend(reader.await??);
    }
    Ok(ChatResult {
        sent: sent.load(Ordering::Relaxed),
        latencies_us,
    })
}

async fn send_messages(
    socket: Socket,
    clock: Arc<Instant>,
    period: Duration,
    offset: Duration,
    deadline: tokio::time::Instant,
    sent: Arc<AtomicU64>,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let (mut outgoing, mut incoming) = socket.split();
    let drain = tokio::spawn(async move {
        loop {
            tokio::select! {
                frame = incoming.next() => if frame.is_none() { break },
                _ = stopped.changed() => break,
            }
        }
    });
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
    let mut n = 0u32;
    while tokio::time::Instant::now() < deadline {
        ticks.tick().await;
        n += 1;
        let text = clock.elapsed().as_micros().to_string();
        let frame = VisitorRequest::Send {
            req: n,
            client_msg_id: n.to_string(),
            text,
        };
        outgoing
            .send(Message::text(serde_json::to_string(&frame)?))
            .await?;
        sent.fetch_add(1, Ordering::Relaxed);
    }
    drain.await?;
    Ok(())
}

async fn measure(
    mut incoming: SplitStream<Socket>,
    clock: Arc<Instant>,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<Vec<u64>> {
    let mut latencies = Vec::new();
    loop {
        let frame = tokio::select! {
            frame = incoming.next() => frame,
            _ = stopped.changed() => return Ok(latencies),
        };
        let Some(Ok(Message::Text(text))) = frame else {
            return Ok(latencies);
        };
        let Ok(AgentEvent::Event { event, .. }) = serde_json::from_str::<AgentEvent>(&text) else {
            continue;
        };
        if let EventBody::Message { text, .. } = event.body {
            if let Ok(sent_at) = text.parse::<u64>() {
                latencies.push((clock.elapsed().as_micros() as u64).saturating_sub(sent_at));
            }
        }
    }
}
