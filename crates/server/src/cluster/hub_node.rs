//! The node that holds the hub's lease: a full server (API, sockets, widget) that also serves
//! the sockets relays carry and tells the cluster where it is, until it stops or loses the
//! lease.

use tokio::sync::oneshot;

use super::bus::{Bus, HubAlive, HUB_ALIVE};
use super::election::Lease;
use super::{relayed, HEARTBEAT};
use crate::store::Store;
use crate::Config;

/// Why a hub stopped.
enum Stop {
    /// Ctrl+C or SIGTERM.
    Asked,
    /// The lock connection failed: another node may be the hub now.
    LeaseLost,
    /// Another node announced a higher term.
    Superseded,
}

/// Runs the hub until it is asked to stop (Ok) or may no longer be the hub (an error, so that
/// the process exits and its supervisor starts it again as a relay).
pub async fn run(
    config: &Config,
    store: Store,
    bus: Bus,
    lease: Lease,
    listener: std::net::TcpListener,
) -> anyhow::Result<()> {
    let alive = HubAlive {
        term: lease.term,
        api_url: match &config.advertise_url {
            Some(url) => url.clone(),
            None => format!("http://{}", listener.local_addr()?),
        },
    };
    let (state, app) = crate::start_hub(config, store).await?;
    println!("switchboard-server: cluster hub, term {}", alive.term);
    crate::announce(&listener)?;
    let relayed = tokio::spawn(relayed::accept(state, bus.clone()));
    let heartbeat = tokio::spawn(beat(bus.clone(), alive.clone()));
    let superseded = superseded(bus.clone(), alive.term).await?;
    let (stopped_tx, stopped_rx) = oneshot::channel();
    let served = crate::serve_until(listener, app, async move {
        let stop = tokio::select! {
            _ = crate::shutdown_signal() => Stop::Asked,
            _ = lease.lost() => Stop::LeaseLost,
            _ = superseded => Stop::Superseded,
        };
        let _ = stopped_tx.send(stop);
    })
    .await;
    relayed.abort();
    heartbeat.abort();
    served?;
    match stopped_rx.await.unwrap_or(Stop::Asked) {
        Stop::Asked => Ok(()),
        Stop::LeaseLost => anyhow::bail!("lost the hub's database lock; stopping"),
        Stop::Superseded => anyhow::bail!("another node became the hub; stopping"),
    }
}

/// Announces the hub every [`HEARTBEAT`].
async fn beat(bus: Bus, alive: HubAlive) {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    loop {
        ticks.tick().await;
        bus.publish(HUB_ALIVE.into(), &alive).await;
    }
}

/// Resolves when a hub with a higher term speaks.
async fn superseded(bus: Bus, term: i64) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use futures_util::StreamExt;
    let mut heartbeats = bus.subscribe::<HubAlive>(HUB_ALIVE.into()).await?;
    Ok(async move {
        while let Some(alive) = heartbeats.next().await {
            if alive.term > term {
                return;
            }
        }
        std::future::pending::<()>().await;
    })
}
