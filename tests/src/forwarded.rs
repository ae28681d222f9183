//! A reverse proxy in front of the server that says every browser request comes from one public
//! address (`X-Forwarded-For`), the way a real deployment's proxy would. The test server trusts
//! loopback as its proxy, so a browser on this machine shows up with a real location.
//!
//! Each connection's request head gets the header; plain requests are sent with
//! `Connection: close` so that every request passes through here on its own connection, while
//! a WebSocket upgrade keeps its connection and then relays frames untouched.

use std::net::SocketAddr;

use anyhow::Context;
use tokio::io::{copy_bidirectional, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use url::Url;

/// Largest request head relayed.
const MAX_HEAD: usize = 64 * 1024;

/// A proxy on its own port; stops on drop.
pub struct ForwardingProxy {
    address: SocketAddr,
    acceptor: JoinHandle<()>,
}

impl ForwardingProxy {
    /// Starts proxying to `upstream` (an `http://host:port/` URL) as if from `client_ip`.
    pub async fn open(upstream: &Url, client_ip: &str) -> anyhow::Result<ForwardingProxy> {
        let target = upstream
            .socket_addrs(|| None)?
            .into_iter()
            .next()
            .context("the upstream URL has no address")?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let client_ip = client_ip.to_string();
        let acceptor = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, target, client_ip.clone()));
            }
        });
        Ok(ForwardingProxy { address, acceptor })
    }

    /// The URL browsers should use instead of the server's.
    pub fn url(&self) -> Url {
        crate::urls::http_url(self.address)
    }
}

impl Drop for ForwardingProxy {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

async fn relay(mut client: TcpStream, target: SocketAddr, client_ip: String) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    let head = rewrite(&head, &client_ip);
    if server.write_all(head.as_bytes()).await.is_err() || server.write_all(&rest).await.is_err() {
        return;
    }
    let _ = copy_bidirectional(&mut client, &mut server).await;
}

/// Reads up to the end of the request head; returns the head and any bytes read past it.
async fn read_head(client: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Some((String::from_utf8(buffer).ok()?, rest));
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
    }
}

/// Adds `X-Forwarded-For`; closes plain requests' connections after the response.
fn rewrite(head: &str, client_ip: &str) -> String {
    let upgrade = head
        .lines()
        .any(|line| line.to_ascii_lowercase().starts_with("upgrade:"));
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|line| {
            let lower = line.to_ascii_lowercase();
            !lower.starts_with("x-forwarded-for:") && (upgrade || !lower.starts_with("connection:"))
        })
        .collect();
    let forwarded = format!("X-Forwarded-For: {client_ip}");
    lines.push(&forwarded);
    if !upgrade {
        lines.push("Connection: close");
    }
    format!("{}\r\n\r\n", lines.join("\r\n"))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn plain_requests_close_and_upgrades_keep_their_connection() {
        let plain = "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
        assert_eq!(
            rewrite(plain, "8.8.8.8"),
            "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 8.8.8.8\r\nConnection: close\r\n\r\n"
        );
        let upgrade = "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
        assert_eq!(
            rewrite(upgrade, "8.8.8.8"),
            "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Forwarded-For: 8.8.8.8\r\n\r\n"
        );
    }
}
