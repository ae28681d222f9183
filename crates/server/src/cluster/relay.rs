//! A relay node: serves the widget itself, carries operator and visitor sockets to the hub
//! over the bus, and forwards API requests to the hub's HTTP address. Every [`HEARTBEAT`] it
//! asks for the hub's lock; once it gets it, it stops relaying and returns the lease.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::ws::{Message, WebSocket};
use axum::extract::{ConnectInfo, Request, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use axum::Router;
use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::time::Instant;
use tower_http::services::ServeDir;

use super::bus::{to_relay, Bus, HubAlive, SocketRoute, ToHub, ToRelay, HUB_ALIVE, TO_HUB};
use super::election::{Candidate, Lease};
use super::{HEARTBEAT, HUB_SILENCE};
use crate::routes::socket::{self, CLOSE_RESTART, CLOSE_TRY_AGAIN};
use crate::routes::VisitorSocketFrom;
use crate::Config;

/// Headers that belong to one hop and are not forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// A relayed socket's way to its WebSocket task, with the hub term it was opened under.
struct Carried {
    term: i64,
    outbound: mpsc::UnboundedSender<ToRelay>,
}

/// What the relay's handlers share.
struct Relay {
    node: String,
    bus: Bus,
    hub: Mutex<Option<(HubAlive, Instant)>>,
    heard_hub: Notify,
    sockets: Mutex<HashMap<u64, Carried>>,
    next_conn: AtomicU64,
    http: reqwest::Client,
}

impl Relay {
    /// The hub heard from within [`HUB_SILENCE`].
    fn hub(&self) -> Option<HubAlive> {
        let hub = self.hub.lock().expect("hub lock");
        hub.as_ref()
            .filter(|(_, heard)| heard.elapsed() < HUB_SILENCE)
            .map(|(alive, _)| alive.clone())
    }

    /// The hub, waiting up to [`HUB_SILENCE`] to hear from one.
    async fn wait_for_hub(&self) -> Option<HubAlive> {
        let deadline = Instant::now() + HUB_SILENCE;
        loop {
            let heard = self.heard_hub.notified();
            tokio::pin!(heard);
            heard.as_mut().enable();
            if let Some(hub) = self.hub() {
                return Some(hub);
            }
            if tokio::time::timeout_at(deadline, heard).await.is_err() {
                return None;
            }
        }
    }

    async fn publish(&self, message: &ToHub) {
        self.bus.publish(TO_HUB.into(), message).await;
    }

    /// Drops every carried socket opened under another term (all of them with `None`): their
    /// WebSocket tasks close them and the clients reconnect and resume.
    fn drop_sockets_except(&self, term: Option<i64>) {
        let mut sockets = self.sockets.lock().expect("sockets lock");
        sockets.retain(|_, carried| Some(carried.term) == term);
    }
}

/// Relays until this node wins the hub's lease (returned) or is asked to stop (`None`).
pub async fn run(
    config: &Config,
    bus: Bus,
    candidate: Candidate,
    listener: std::net::TcpListener,
) -> anyhow::Result<Option<Lease>> {
    let node = uuid::Uuid::new_v4().simple().to_string();
    println!("switchboard-server: cluster relay {node}");
    let relay = Arc::new(Relay {
        node: node.clone(),
        bus: bus.clone(),
        hub: Mutex::new(None),
        heard_hub: Notify::new(),
        sockets: Mutex::new(HashMap::new()),
        next_conn: AtomicU64::new(1),
        http: reqwest::Client::new(),
    });
    let tasks = [
        tokio::spawn(follow_hub(relay.clone())).abort_handle(),
        tokio::spawn(receive(relay.clone())).abort_handle(),
        tokio::spawn(beat(relay.clone())).abort_handle(),
    ];
    let (lease_tx, lease_rx) = oneshot::channel();
    let election = tokio::spawn(stand_for_hub(candidate, lease_tx));
    let app = Router::new()
        .route("/ws/v1/agent", get(agent_socket))
        .route("/ws/v1/visitor", get(visitor_socket))
        .route("/api/v1/health", get(|| async { "ok" }))
        .route("/api/{*rest}", any(forward))
        .route("/", get(|| async { Redirect::temporary("/demo/") }))
        .fallback_service(ServeDir::new(&config.widget_dir))
        .with_state(relay.clone());
    if relay.wait_for_hub().await.is_none() {
        tracing::warn!("no hub heard yet; sockets wait for one or are told to try again");
    }
    crate::announce(&listener)?;
    let (won_tx, won_rx) = oneshot::channel();
    crate::serve_until(listener, app, async move {
        let won = tokio::select! {
            lease = lease_rx => lease.ok(),
            _ = crate::shutdown_signal() => None,
        };
        let _ = won_tx.send(won);
    })
    .await?;
    election.abort();
    for task in tasks {
        task.abort();
    }
    relay.drop_sockets_except(None);
    Ok(won_rx.await.ok().flatten())
}

/// Asks for the lock every [`HEARTBEAT`] until it is granted.
async fn stand_for_hub(mut candidate: Candidate, won: oneshot::Sender<Lease>) {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    loop {
        ticks.tick().await;
        match candidate.try_lead().await {
            Ok(Ok(lease)) => {
                let _ = won.send(lease);
                return;
            }
            Ok(Err(again)) => candidate = again,
            Err(error) => {
                tracing::error!(%error, "cannot ask the database for the hub's lock");
                return;
            }
        }
    }
}

/// Tracks the hub's heartbeats; when the hub changes or falls silent, the sockets carried to
/// the old one are dropped.
async fn follow_hub(relay: Arc<Relay>) -> anyhow::Result<()> {
    let mut heartbeats = relay.bus.subscribe::<HubAlive>(HUB_ALIVE.into()).await?;
    let mut checks = tokio::time::interval(HEARTBEAT);
    loop {
        tokio::select! {
            alive = heartbeats.next() => {
                let Some(alive) = alive else { anyhow::bail!("the bus subscription ended") };
                let current = relay.hub().map(|hub| hub.term);
                if current.is_some_and(|term| term > alive.term) {
                    continue;
                }
                relay.drop_sockets_except(Some(alive.term));
                *relay.hub.lock().expect("hub lock") = Some((alive, Instant::now()));
                relay.heard_hub.notify_waiters();
            }
            _ = checks.tick() => {
                if relay.hub().is_none() {
                    relay.drop_sockets_except(None);
                }
            }
        }
    }
}

/// Passes what the hub sends to the carried sockets.
async fn receive(relay: Arc<Relay>) -> anyhow::Result<()> {
    let mut inbox = relay
        .bus
        .subscribe::<ToRelay>(to_relay(&relay.node))
        .await?;
    while let Some(message) = inbox.next().await {
        let conn = match &message {
            ToRelay::Text { conn, .. } | ToRelay::Close { conn, .. } => *conn,
        };
        let sockets = relay.sockets.lock().expect("sockets lock");
        if let Some(carried) = sockets.get(&conn) {
            let _ = carried.outbound.send(message);
        }
    }
    anyhow::bail!("the bus subscription ended")
}

/// Tells the hub this relay is alive every [`HEARTBEAT`].
async fn beat(relay: Arc<Relay>) {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    loop {
        ticks.tick().await;
        relay
            .publish(&ToHub::Alive {
                node: relay.node.clone(),
            })
            .await;
    }
}

async fn agent_socket(State(relay): State<Arc<Relay>>, upgrade: WebSocketUpgrade) -> Response {
    socket::bounded(upgrade).on_upgrade(move |ws| carry(ws, relay, SocketRoute::Agent))
}

async fn visitor_socket(
    State(relay): State<Arc<Relay>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let route = SocketRoute::Visitor(VisitorSocketFrom::new(peer.ip(), &headers));
    socket::bounded(upgrade).on_upgrade(move |ws| carry(ws, relay, route))
}

/// Carries one socket to the hub and back until either side closes it.
async fn carry(mut ws: WebSocket, relay: Arc<Relay>, route: SocketRoute) {
    let Some(hub) = relay.wait_for_hub().await else {
        socket::close(&mut ws, CLOSE_TRY_AGAIN, "no hub right now; try again").await;
        return;
    };
    let conn = relay.next_conn.fetch_add(1, Ordering::Relaxed);
    let node = relay.node.clone();
    let (outbound, mut from_hub) = mpsc::unbounded_channel();
    let carried = Carried {
        term: hub.term,
        outbound,
    };
    relay
        .sockets
        .lock()
        .expect("sockets lock")
        .insert(conn, carried);
    relay
        .publish(&ToHub::Open {
            node: node.clone(),
            conn,
            route,
        })
        .await;
    let closed_by_client = loop {
        tokio::select! {
            received = ws.recv() => {
                let message = match received {
                    Some(Ok(Message::Text(text))) => ToHub::Text {
                        node: node.clone(),
                        conn,
                        text: text.to_string(),
                    },
                    Some(Ok(Message::Binary(_))) => ToHub::Binary { node: node.clone(), conn },
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => break true,
                    Some(Err(error)) => {
                        socket::close_after_error(&mut ws, &error).await;
                        break true;
                    }
                };
                relay.publish(&message).await;
            }
            sent = from_hub.recv() => match sent {
                Some(ToRelay::Text { text, .. }) => {
                    if !socket::send(&mut ws, text.into()).await {
                        break true;
                    }
                }
                Some(ToRelay::Close { code, reason, .. }) => {
                    socket::close(&mut ws, code, &reason).await;
                    break false;
                }
                None => {
                    socket::close(&mut ws, CLOSE_RESTART, "the hub changed; reconnect and resume")
                        .await;
                    break true;
                }
            },
        }
    };
    relay.sockets.lock().expect("sockets lock").remove(&conn);
    if closed_by_client {
        relay.publish(&ToHub::Closed { node, conn }).await;
    }
}

/// Forwards an API request to the hub and streams its answer back. The client's address goes
/// along in `X-Forwarded-For` (the hub believes it when this node is a trusted proxy).
async fn forward(
    State(relay): State<Arc<Relay>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let Some(hub) = relay.wait_for_hub().await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "no hub right now; try again",
        )
            .into_response();
    };
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let url = format!("{}{path}", hub.api_url.trim_end_matches('/'));
    let (parts, body) = request.into_parts();
    let mut headers = without_hop_by_hop(parts.headers);
    headers.remove(header::HOST);
    let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(earlier) => format!("{earlier}, {}", peer.ip()),
        None => peer.ip().to_string(),
    };
    if let Ok(value) = HeaderValue::from_str(&forwarded_for) {
        headers.insert(HeaderName::from_static("x-forwarded-for"), value);
    }
    let upstream = relay
        .http
        .request(parts.method, url)
        .headers(headers)
        .body(reqwest::Body::wrap_stream(body.into_data_stream()))
        .send()
        .await;
    match upstream {
        Ok(answer) => {
            let mut response = Response::builder().status(answer.status());
            if let Some(headers) = response.headers_mut() {
                *headers = without_hop_by_hop(answer.headers().clone());
            }
            response
                .body(Body::from_stream(answer.bytes_stream()))
                .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
        }
        Err(error) => (
            StatusCode::BAD_GATEWAY,
            format!("the hub did not answer: {error}"),
        )
            .into_response(),
    }
}

fn without_hop_by_hop(mut headers: HeaderMap) -> HeaderMap {
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
    headers
}
