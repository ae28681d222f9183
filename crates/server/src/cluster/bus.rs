//! What the nodes of a cluster say to each other over NATS, and the connection that says it.
//! Every message is JSON. Relays send everything on one subject, so the hub reads each
//! relay's messages in the order they were sent; the hub answers each relay on its own subject.

use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::routes::VisitorSocketFrom;

/// Relays → hub: sockets opened, their frames, sockets closed, and "I am alive".
pub const TO_HUB: &str = "switchboard.to-hub";
/// Hub → everyone: "I am the hub, in this term, and my API is here".
pub const HUB_ALIVE: &str = "switchboard.hub-alive";

/// Hub → one relay: frames for its sockets and which of them to close.
pub fn to_relay(node: &str) -> String {
    format!("switchboard.to-relay.{node}")
}

/// Which socket route a relayed socket came in on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum SocketRoute {
    /// `/ws/v1/agent`.
    Agent,
    /// `/ws/v1/visitor`, with where the visitor connects from.
    Visitor(VisitorSocketFrom),
}

/// A message from a relay to the hub. `conn` numbers the relay's sockets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ToHub {
    /// The relay is alive (sent every [`super::HEARTBEAT`]).
    Alive {
        /// The relay's node id.
        node: String,
    },
    /// A socket opened.
    Open {
        /// The relay's node id.
        node: String,
        /// The socket.
        conn: u64,
        /// Its route.
        route: SocketRoute,
    },
    /// A text frame arrived.
    Text {
        /// The relay's node id.
        node: String,
        /// The socket.
        conn: u64,
        /// The frame.
        text: String,
    },
    /// A binary frame arrived (the protocol refuses those; the hub answers as for any socket).
    Binary {
        /// The relay's node id.
        node: String,
        /// The socket.
        conn: u64,
    },
    /// The socket closed.
    Closed {
        /// The relay's node id.
        node: String,
        /// The socket.
        conn: u64,
    },
}

/// A message from the hub to one relay.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ToRelay {
    /// Send this text frame.
    Text {
        /// The socket.
        conn: u64,
        /// The frame.
        text: String,
    },
    /// Close the socket with this code and reason.
    Close {
        /// The socket.
        conn: u64,
        /// WebSocket close code.
        code: u16,
        /// Close reason.
        reason: String,
    },
}

/// The hub's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubAlive {
    /// The hub's term; a higher term replaces a lower one.
    pub term: i64,
    /// Where the hub's HTTP API is, for relays to forward requests to.
    pub api_url: String,
}

/// A connection to the NATS server.
#[derive(Clone)]
pub struct Bus {
    client: async_nats::Client,
}

impl Bus {
    /// Connects (and keeps reconnecting after the broker restarts).
    pub async fn connect(url: &str) -> anyhow::Result<Bus> {
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect(url)
            .await?;
        Ok(Bus { client })
    }

    /// Publishes one message. A broker that is gone loses it: sockets resume after the
    /// reconnect that follows, so nothing acknowledged is lost.
    pub async fn publish<T: Serialize>(&self, subject: String, message: &T) {
        let payload = serde_json::to_vec(message).expect("bus messages serialize");
        if let Err(error) = self.client.publish(subject, payload.into()).await {
            tracing::warn!(%error, "cannot publish on the cluster bus");
        }
    }

    /// The messages on a subject; ones that do not parse are logged and skipped.
    pub async fn subscribe<T: DeserializeOwned + Send>(
        &self,
        subject: String,
    ) -> anyhow::Result<impl Stream<Item = T> + Send + Unpin + use<T>> {
        let subscriber = self.client.subscribe(subject).await?;
        Ok(subscriber.filter_map(|message| {
            std::future::ready(
                serde_json::from_slice(&message.payload)
                    .inspect_err(|error| tracing::warn!(%error, "unreadable cluster message"))
                    .ok(),
            )
        }))
    }
}
