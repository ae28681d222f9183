//! Addresses of the local things a test talks to (the server, a proxy in front of it), as the
//! URLs clients open.

use std::fmt::Display;

use url::Url;

/// `http://ADDRESS/` for a `host:port` address.
pub fn http_url(address: impl Display) -> Url {
    Url::parse(&format!("http://{address}/")).expect("a host:port address makes a URL")
}

/// `ws://ADDRESS/<path>` for a `host:port` address.
pub fn ws_url(address: impl Display, path: &str) -> Url {
    Url::parse(&format!("ws://{address}/{}", path.trim_start_matches('/')))
        .expect("a host:port address and a path make a URL")
}

/// A loopback port nothing listens on right now, for a program started next that needs a
/// fixed port.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
