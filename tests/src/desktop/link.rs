//! A network link between the app and the server that a test can cut and restore: a TCP relay
//! on its own port. While cut, open connections are dropped and new ones are closed at once.

use std::net::SocketAddr;

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

/// A relay from a local port to `upstream`.
pub struct Link {
    address: SocketAddr,
    up: watch::Sender<bool>,
    acceptor: JoinHandle<()>,
}

impl Link {
    /// Starts relaying to the server at `upstream` (an `http://host:port/` URL).
    pub async fn open(upstream: &Url) -> anyhow::Result<Link> {
        let target = upstream
            .socket_addrs(|| None)?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("{upstream} has no address"))?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let (up, _) = watch::channel(true);
        let watch_up = up.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *watch_up.borrow() {
                    tokio::spawn(relay(client, target, watch_up.subscribe()));
                }
            }
        });
        Ok(Link {
            address,
            up,
            acceptor,
        })
    }

    /// The URL the app should use instead of the server's.
    pub fn url(&self) -> Url {
        crate::urls::http_url(self.address)
    }

    /// Cuts the link: drops every open connection and refuses new ones.
    pub fn cut(&self) {
        self.up.send_replace(false);
    }

    /// Restores the link.
    pub fn restore(&self) {
        self.up.send_replace(true);
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

async fn relay(mut client: TcpStream, target: SocketAddr, mut up: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    tokio::select! {
        _ = copy_bidirectional(&mut client, &mut server) => {}
        _ = up.wait_for(|up| !up) => {}
    }
}
