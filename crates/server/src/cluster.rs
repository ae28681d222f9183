//! Several server nodes in one cluster, sharing one PostgreSQL database and one NATS server.
//!
//! One node at a time is the *hub*: the node holding a PostgreSQL advisory lock
//! ([`election`]). It runs the call routing exactly as a single server does. Every other node
//! is a *relay* ([`relay`]): it accepts operator and visitor sockets and carries their frames
//! to the hub over NATS ([`bus`]); the hub serves each carried socket with the same handlers
//! as its own ([`relayed`]) and sends the answers back on the relay's own subject. So a visitor
//! on node A chats with an operator on node B. API requests (login, files) that reach a relay
//! are forwarded to the hub's HTTP address, which the hub announces with its heartbeat.
//!
//! When the hub dies its lock is freed; the first relay to ask for it becomes the hub with a
//! higher term and loads the open chats from the database, and the sockets carried to the old
//! hub are closed so that the clients reconnect and resume (nothing acknowledged is lost:
//! every event is committed before it is announced).

mod bus;
mod election;
mod hub_node;
mod relay;
mod relayed;

use std::time::Duration;

use crate::store::{Backend, Store};
use crate::Config;

/// How often the hub and the relays say they are alive.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// A relay that has been silent this long is gone; the hub ends its sockets.
pub const RELAY_SILENCE: Duration = Duration::from_secs(3);
/// A hub that has been silent this long is gone; relays drop the sockets carried to it.
pub const HUB_SILENCE: Duration = Duration::from_secs(3);

/// Runs this node of the cluster: the hub if it wins the lock, otherwise a relay until it does.
pub async fn serve(
    config: &Config,
    store: Store,
    nats_url: &str,
    listener: std::net::TcpListener,
) -> anyhow::Result<()> {
    let database_url = match (&config.database_url, store.backend()) {
        (Some(url), Backend::Postgres) => url.clone(),
        _ => anyhow::bail!("a cluster shares one PostgreSQL database: set --database-url"),
    };
    let bus = bus::Bus::connect(nats_url).await?;
    let candidate = election::Candidate::connect(&database_url).await?;
    let lease = match candidate.try_lead().await? {
        Ok(lease) => lease,
        Err(candidate) => {
            let relayed = relay::run(config, bus.clone(), candidate, listener.try_clone()?);
            match relayed.await? {
                Some(lease) => lease,
                None => return Ok(()),
            }
        }
    };
    hub_node::run(config, store, bus, lease, listener).await
}
