//! Where the server's endpoints live, derived from the one base URL the user types in
//! (`https://chat.example.com/` or `http://127.0.0.1:8080`, optionally under a path prefix).

use url::Url;

use crate::ClientError;

/// `POST` here to log in.
pub(crate) fn login(server: &Url) -> Result<Url, ClientError> {
    http_endpoint(server, "api/v1/login")
}

/// `POST` here to end a session.
pub(crate) fn logout(server: &Url) -> Result<Url, ClientError> {
    http_endpoint(server, "api/v1/logout")
}

/// `POST` here to announce an upload; `files/{id}` appends, downloads or cancels.
pub(crate) fn files(server: &Url) -> Result<Url, ClientError> {
    http_endpoint(server, "api/v1/files")
}

/// The agent WebSocket: `ws://` for an `http://` server, `wss://` for `https://`.
pub(crate) fn agent_socket(server: &Url) -> Result<Url, ClientError> {
    let mut url = base(server)?.join("ws/v1/agent").map_err(|_| bad(server))?;
    let scheme = match url.scheme() {
        "http" | "ws" => "ws",
        _ => "wss",
    };
    url.set_scheme(scheme).map_err(|()| bad(server))?;
    Ok(url)
}

fn http_endpoint(server: &Url, path: &str) -> Result<Url, ClientError> {
    let mut url = base(server)?.join(path).map_err(|_| bad(server))?;
    let scheme = match url.scheme() {
        "ws" | "http" => "http",
        _ => "https",
    };
    url.set_scheme(scheme).map_err(|()| bad(server))?;
    Ok(url)
}

/// The server URL with a trailing slash, so that joining keeps any path prefix.
fn base(server: &Url) -> Result<Url, ClientError> {
    if !matches!(server.scheme(), "http" | "https" | "ws" | "wss") || server.cannot_be_a_base() {
        return Err(bad(server));
    }
    let mut base = server.clone();
    base.set_query(None);
    base.set_fragment(None);
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

fn bad(server: &Url) -> ClientError {
    ClientError::BadUrl(server.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("test URL parses")
    }

    #[test]
    fn plain_http_server_gets_ws_socket_and_http_api() {
        let server = url("http://127.0.0.1:8080");
        assert_eq!(
            agent_socket(&server).unwrap().as_str(),
            "ws://127.0.0.1:8080/ws/v1/agent"
        );
        assert_eq!(
            login(&server).unwrap().as_str(),
            "http://127.0.0.1:8080/api/v1/login"
        );
    }

    #[test]
    fn https_server_under_a_prefix_keeps_the_prefix_and_uses_wss() {
        let server = url("https://example.com/support?x=1");
        assert_eq!(
            agent_socket(&server).unwrap().as_str(),
            "wss://example.com/support/ws/v1/agent"
        );
        assert_eq!(
            logout(&server).unwrap().as_str(),
            "https://example.com/support/api/v1/logout"
        );
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            agent_socket(&url("ftp://example.com/")),
            Err(ClientError::BadUrl(_))
        ));
        assert!(matches!(
            login(&url("mailto:a@example.com")),
            Err(ClientError::BadUrl(_))
        ));
    }
}
