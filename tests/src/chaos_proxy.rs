//! A TCP proxy between test clients and the server that fails on demand, so fault tests can
//! break links at any point of a conversation (mid-frame included) without timing guesses.
//!
//! [`ChaosProxy::cut`] closes every relayed connection and refuses new ones until
//! [`ChaosProxy::mend`]; [`ChaosProxy::drop_one`] closes one live connection and counts it.
//! The upstream address stays fixed, so a server restarted on the same port is found again.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use url::Url;

/// What the accept loop and every relay share.
struct Shared {
    /// `host:port` of the server.
    upstream: String,
    /// False while the proxy is cut.
    open: watch::Sender<bool>,
    /// Live relays by id; sending on (or dropping) the sender closes that relay.
    links: Mutex<BTreeMap<u64, oneshot::Sender<()>>>,
    next_id: AtomicU64,
    dropped: AtomicU64,
}

impl Shared {
    fn links(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, oneshot::Sender<()>>> {
        self.links.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running proxy; it stops accepting when dropped.
pub struct ChaosProxy {
    address: SocketAddr,
    shared: Arc<Shared>,
    accept_loop: JoinHandle<()>,
}

impl ChaosProxy {
    /// Starts a proxy on a free loopback port in front of the server at `server` (its
    /// `http://host:port/` base URL).
    pub async fn start(server: &Url) -> anyhow::Result<ChaosProxy> {
        let upstream = format!(
            "{}:{}",
            server.host_str().context("server host")?,
            server.port().context("server port")?
        );
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let (open, _) = watch::channel(true);
        let shared = Arc::new(Shared {
            upstream,
            open,
            links: Mutex::default(),
            next_id: AtomicU64::new(1),
            dropped: AtomicU64::new(0),
        });
        let accepting = shared.clone();
        let accept_loop = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *accepting.open.borrow() {
                    tokio::spawn(relay(client, accepting.clone()));
                }
            }
        });
        Ok(ChaosProxy {
            address,
            shared,
            accept_loop,
        })
    }

    /// `http://127.0.0.1:PORT/` of the proxy.
    pub fn url(&self) -> Url {
        crate::urls::http_url(self.address)
    }

    /// `ws://127.0.0.1:PORT/<path>` through the proxy.
    pub fn ws_url(&self, path: &str) -> Url {
        crate::urls::ws_url(self.address, path)
    }

    /// Closes every relayed connection and refuses new ones until [`ChaosProxy::mend`].
    pub fn cut(&self) {
        self.shared.open.send_replace(false);
        self.shared.links().clear();
    }

    /// Relays new connections again.
    pub fn mend(&self) {
        self.shared.open.send_replace(true);
    }

    /// Closes the live connection at position `pick` (modulo how many there are) and counts it
    /// as dropped; false when no connection is live.
    pub fn drop_one(&self, pick: usize) -> bool {
        let mut links = self.shared.links();
        let Some(id) = links.keys().nth(pick % links.len().max(1)).copied() else {
            return false;
        };
        links.remove(&id);
        self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// How many connections are being relayed now.
    pub fn live(&self) -> usize {
        self.shared.links().len()
    }

    /// How many connections [`ChaosProxy::drop_one`] closed so far.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.accept_loop.abort();
        self.shared.links().clear();
    }
}

/// Copies bytes both ways until either side closes or the proxy closes this relay.
async fn relay(mut client: TcpStream, shared: Arc<Shared>) {
    let Ok(mut server) = TcpStream::connect(&shared.upstream).await else {
        return;
    };
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let (close, closed) = oneshot::channel();
    shared.links().insert(id, close);
    if !*shared.open.borrow() {
        // cut while this connection was being set up
        shared.links().remove(&id);
        return;
    }
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = closed => {}
    }
    shared.links().remove(&id);
}
