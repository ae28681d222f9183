//! The hub's side of relayed sockets: every socket a relay carries becomes a [`RelayedSocket`]
//! that the same handlers serve as a socket of the hub's own. A relay that falls silent takes
//! its sockets with it, as if they had closed.

use std::collections::HashMap;

use axum::extract::ws::Message;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::bus::{to_relay, Bus, SocketRoute, ToHub, ToRelay};
use super::{HEARTBEAT, RELAY_SILENCE};
use crate::routes::socket::{FrameSocket, CLOSE_POLICY, CLOSE_RESTART};
use crate::routes::{serve_agent_socket, serve_visitor_socket, AppState};

/// Frames a relayed socket may have waiting before the hub closes it as a flood.
const INBOUND_QUEUE: usize = 256;

/// A socket that a relay node accepted, as the hub's handlers see it.
pub struct RelayedSocket {
    inbound: mpsc::Receiver<Message>,
    bus: Bus,
    relay: String,
    conn: u64,
    closed: bool,
}

impl FrameSocket for RelayedSocket {
    async fn recv(&mut self) -> Option<Result<Message, axum::Error>> {
        self.inbound.recv().await.map(Ok)
    }

    async fn send(&mut self, message: Message) -> Result<(), axum::Error> {
        let conn = self.conn;
        let message = match message {
            Message::Text(text) => ToRelay::Text {
                conn,
                text: text.to_string(),
            },
            Message::Close(frame) => {
                self.closed = true;
                let (code, reason) =
                    frame.map_or((1000, String::new()), |f| (f.code, f.reason.to_string()));
                ToRelay::Close { conn, code, reason }
            }
            Message::Binary(_) | Message::Ping(_) | Message::Pong(_) => return Ok(()),
        };
        self.bus.publish(to_relay(&self.relay), &message).await;
        Ok(())
    }
}

impl Drop for RelayedSocket {
    /// A handler that returns without closing (e.g. no hello in time) still ends the socket.
    fn drop(&mut self) {
        if !self.closed {
            let (bus, relay, conn) = (self.bus.clone(), self.relay.clone(), self.conn);
            tokio::spawn(async move {
                let close = ToRelay::Close {
                    conn,
                    code: 1000,
                    reason: String::new(),
                };
                bus.publish(to_relay(&relay), &close).await;
            });
        }
    }
}

/// One relay as the hub knows it.
struct Relay {
    last_heard: Instant,
    sockets: HashMap<u64, mpsc::Sender<Message>>,
}

/// Serves relayed sockets until the bus subscription ends.
pub async fn accept(state: AppState, bus: Bus) -> anyhow::Result<()> {
    let mut inbox = bus.subscribe::<ToHub>(super::bus::TO_HUB.into()).await?;
    let mut relays: HashMap<String, Relay> = HashMap::new();
    let mut sweep = tokio::time::interval(HEARTBEAT);
    loop {
        tokio::select! {
            message = inbox.next() => match message {
                Some(message) => deliver(&state, &bus, &mut relays, message).await,
                None => anyhow::bail!("the cluster bus subscription ended"),
            },
            _ = sweep.tick() => relays.retain(|node, relay| {
                let alive = relay.last_heard.elapsed() < RELAY_SILENCE;
                if !alive {
                    tracing::warn!(node, sockets = relay.sockets.len(), "a relay fell silent");
                }
                alive
            }),
        }
    }
}

async fn deliver(state: &AppState, bus: &Bus, relays: &mut HashMap<String, Relay>, message: ToHub) {
    let (node, conn, frame) = match message {
        ToHub::Alive { node } => {
            heard_from(relays, node);
            return;
        }
        ToHub::Open { node, conn, route } => {
            let relay = heard_from(relays, node.clone());
            let (sender, inbound) = mpsc::channel(INBOUND_QUEUE);
            relay.sockets.insert(conn, sender);
            let socket = RelayedSocket {
                inbound,
                bus: bus.clone(),
                relay: node,
                conn,
                closed: false,
            };
            let state = state.clone();
            tokio::spawn(async move {
                match route {
                    SocketRoute::Agent => serve_agent_socket(socket, state).await,
                    SocketRoute::Visitor(from) => serve_visitor_socket(socket, state, from).await,
                }
            });
            return;
        }
        ToHub::Closed { node, conn } => {
            heard_from(relays, node).sockets.remove(&conn);
            return;
        }
        ToHub::Text { node, conn, text } => (node, conn, Message::Text(text.into())),
        ToHub::Binary { node, conn } => (node, conn, Message::Binary(Default::default())),
    };
    let relay = heard_from(relays, node.clone());
    let refusal = match relay.sockets.get(&conn).map(|s| s.try_send(frame)) {
        Some(Ok(())) => return,
        Some(Err(mpsc::error::TrySendError::Full(_))) => (CLOSE_POLICY, "too many messages"),
        // the handler ended and closed the socket already
        Some(Err(mpsc::error::TrySendError::Closed(_))) => {
            relay.sockets.remove(&conn);
            return;
        }
        None => (
            CLOSE_RESTART,
            "the hub does not know this socket; reconnect and resume",
        ),
    };
    relay.sockets.remove(&conn);
    let close = ToRelay::Close {
        conn,
        code: refusal.0,
        reason: refusal.1.into(),
    };
    bus.publish(to_relay(&node), &close).await;
}

fn heard_from(relays: &mut HashMap<String, Relay>, node: String) -> &mut Relay {
    let relay = relays.entry(node).or_insert_with(|| Relay {
        last_heard: Instant::now(),
        sockets: HashMap::new(),
    });
    relay.last_heard = Instant::now();
    relay
}
