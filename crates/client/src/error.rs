//! The one error type of the client crate: what a login, a request or a send can fail with.

use switchboard_protocol::ProtocolError;

/// Why a client call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The HTTP request did not get an answer (connection refused, TLS, DNS, ...).
    #[error("cannot reach the server: {0}")]
    Http(#[source] reqwest::Error),
    /// The server refused the request; branch on [`ProtocolError::code`].
    #[error("the server refused: {0}")]
    Server(ProtocolError),
    /// The request was refused before it left this client (empty text, too large, ...).
    #[error("not sent: {0}")]
    Invalid(ProtocolError),
    /// Wrong email or password, or the session token is no longer valid: log in again.
    #[error("not logged in: wrong credentials or an expired session")]
    Unauthorized,
    /// The connection is down right now; it reconnects by itself. Try again later.
    #[error("not connected to the server")]
    Disconnected,
    /// The connection was shut down and will not come back.
    #[error("the connection is closed")]
    Closed,
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server URL cannot be used (wrong scheme, cannot hold a path).
    #[error("unusable server address {0}")]
    BadUrl(String),
    /// A local file could not be read or written.
    #[error("file error: {0}")]
    File(String),
    /// The server answered something this client does not understand.
    #[error("unexpected answer from the server: {0}")]
    UnexpectedResponse(String),
}

impl From<reqwest::Error> for ClientError {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            ClientError::Timeout
        } else if error.is_decode() {
            ClientError::UnexpectedResponse(error.to_string())
        } else {
            ClientError::Http(error)
        }
    }
}
