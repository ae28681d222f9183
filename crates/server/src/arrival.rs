//! Who is behind a visitor socket: the address (the connecting peer, or the client named by a
//! trusted reverse proxy's `X-Forwarded-For`) and the browser, parsed from the user agent with
//! `woothee` once, on the server.

use std::net::IpAddr;

use switchboard_protocol::visitors::BrowserInfo;

/// Longest user agent kept, in bytes (longer ones are cut before parsing).
const MAX_USER_AGENT_BYTES: usize = 512;

/// What the socket layer knows about a visitor connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The visitor's address.
    pub ip: IpAddr,
    /// The `User-Agent` header, bounded.
    pub user_agent: String,
}

impl Arrival {
    /// An arrival from `peer`, trusting `X-Forwarded-For` only when `peer` is a trusted proxy.
    pub fn new(
        peer: IpAddr,
        forwarded_for: Option<&str>,
        user_agent: Option<&str>,
        trusted: &[IpAddr],
    ) -> Arrival {
        Arrival {
            ip: visitor_ip(peer, forwarded_for, trusted),
            user_agent: bounded(user_agent.unwrap_or_default()),
        }
    }

    /// The browser and operating system named by the user agent.
    pub fn browser(&self) -> BrowserInfo {
        let parsed = woothee::parser::Parser::new().parse(&self.user_agent);
        parsed.map_or_else(BrowserInfo::default, |ua| BrowserInfo {
            name: ua.name.to_string(),
            version: ua.version.to_string(),
            os: ua.os.to_string(),
            os_version: ua.os_version.to_string(),
            category: ua.category.to_string(),
        })
    }
}

/// The visitor's address: walking `X-Forwarded-For` from the right past trusted proxies, the
/// first address that is not one of them. IPv4-mapped IPv6 addresses become IPv4.
pub fn visitor_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.unwrap_or_default().rsplit(',') {
        let Ok(hop) = hop.trim().parse::<IpAddr>().map(canonical) else {
            break;
        };
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    client
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn bounded(text: &str) -> String {
    let mut end = text.len().min(MAX_USER_AGENT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let proxy = ip("127.0.0.1");
        let header = Some("198.51.100.1, 203.0.113.9");
        assert_eq!(visitor_ip(proxy, header, &[]), proxy);
        assert_eq!(visitor_ip(proxy, header, &[proxy]), ip("203.0.113.9"));
        let inner = ip("203.0.113.9");
        assert_eq!(
            visitor_ip(proxy, header, &[proxy, inner]),
            ip("198.51.100.1")
        );
        assert_eq!(visitor_ip(proxy, Some("not an address"), &[proxy]), proxy);
        assert_eq!(
            visitor_ip(ip("::ffff:192.0.2.1"), None, &[]),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn user_agents_name_browser_and_system() {
        let arrival = Arrival::new(
            ip("192.0.2.1"),
            None,
            Some("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
            &[],
        );
        let browser = arrival.browser();
        assert_eq!(browser.name, "Chrome");
        assert_eq!(browser.os, "Linux");
        assert_eq!(browser.category, "pc");
        let long = "x".repeat(5000);
        let arrival = Arrival::new(ip("192.0.2.1"), None, Some(&long), &[]);
        assert_eq!(arrival.user_agent.len(), MAX_USER_AGENT_BYTES);
    }
}
