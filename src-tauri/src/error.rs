//! The one error type of the desktop app. It crosses the IPC boundary as `{ code, message }`:
//! the UI branches on `code`, and shows `message` to the operator.

use serde::{Serialize, Serializer};
use switchboard_client::ClientError;
use switchboard_protocol::{ErrorCode, ProtocolError};
use ts_rs::TS;

/// Everything a command or a background task of the app can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A command that needs a session was called while logged out.
    #[error("You are not logged in.")]
    NotLoggedIn,
    /// The server refused the email and password, or the session expired.
    #[error("Wrong email or password.")]
    BadCredentials,
    /// The server address typed on the login screen is not an http(s) URL.
    #[error("The server address must start with http:// or https://.")]
    InvalidServerUrl,
    /// The OS keychain could not be read or written.
    #[error("The system keychain is not available: {0}")]
    Keychain(String),
    /// A link in a message is not one the app opens (only http, https and mailto).
    #[error("Only web and email links can be opened.")]
    ForbiddenLink,
    /// The default browser or mail program could not be started.
    #[error("The link could not be opened: {0}")]
    OpenLink(String),
    /// Drafts or view settings could not be kept on this machine.
    #[error("Could not save on this computer: {0}")]
    Storage(String),
    /// The clipboard could not be written.
    #[error("The clipboard is not available: {0}")]
    Clipboard(String),
    /// Taking or sending a screenshot failed.
    #[error("Screenshot problem: {0}")]
    Snip(String),
    /// A local file could not be read, or is not one the app may open.
    #[error("File problem: {0}")]
    File(String),
    /// A setting was refused as invalid.
    #[error("{0}")]
    Invalid(String),
    /// The snipping shortcut could not be used (see the message for why).
    #[error("{0}")]
    Shortcut(String),
    /// Starting at login could not be switched on or off.
    #[error("Start at login could not be changed: {0}")]
    Autostart(String),
    /// The connection, the server or a request failed.
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Stable error codes the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppErrorCode {
    /// See [`AppError::NotLoggedIn`].
    NotLoggedIn,
    /// See [`AppError::BadCredentials`].
    BadCredentials,
    /// See [`AppError::InvalidServerUrl`].
    InvalidServerUrl,
    /// See [`AppError::Keychain`].
    Keychain,
    /// See [`AppError::ForbiddenLink`].
    ForbiddenLink,
    /// See [`AppError::OpenLink`].
    OpenLink,
    /// See [`AppError::Storage`].
    Storage,
    /// See [`AppError::Clipboard`].
    Clipboard,
    /// See [`AppError::File`].
    File,
    /// See [`AppError::Snip`].
    Snip,
    /// See [`AppError::Shortcut`].
    Shortcut,
    /// See [`AppError::Autostart`].
    Autostart,
    /// The server cannot be reached (wrong address, server down, network trouble).
    Unreachable,
    /// Not connected to the server right now (the app keeps reconnecting).
    Disconnected,
    /// The server did not answer in time.
    Timeout,
    /// Too many attempts; wait a little.
    RateLimited,
    /// The chat is no longer in a state that allows this (e.g. a colleague took the call).
    Conflict,
    /// The chat does not exist or is not yours.
    NotFound,
    /// The message is too long.
    TooLarge,
    /// The request was refused as invalid (e.g. an empty message).
    Invalid,
    /// Anything else.
    Other,
}

/// What a failed command returns to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    /// What went wrong, for the UI to branch on.
    pub code: AppErrorCode,
    /// A sentence to show the operator.
    pub message: String,
}

impl AppError {
    /// The stable code of this error.
    pub fn code(&self) -> AppErrorCode {
        match self {
            AppError::NotLoggedIn => AppErrorCode::NotLoggedIn,
            AppError::BadCredentials => AppErrorCode::BadCredentials,
            AppError::InvalidServerUrl => AppErrorCode::InvalidServerUrl,
            AppError::Keychain(_) => AppErrorCode::Keychain,
            AppError::ForbiddenLink => AppErrorCode::ForbiddenLink,
            AppError::OpenLink(_) => AppErrorCode::OpenLink,
            AppError::Storage(_) => AppErrorCode::Storage,
            AppError::Clipboard(_) => AppErrorCode::Clipboard,
            AppError::File(_) => AppErrorCode::File,
            AppError::Snip(_) => AppErrorCode::Snip,
            AppError::Invalid(_) => AppErrorCode::Invalid,
            AppError::Shortcut(_) => AppErrorCode::Shortcut,
            AppError::Autostart(_) => AppErrorCode::Autostart,
            AppError::Client(error) => client_code(error),
        }
    }
}

fn client_code(error: &ClientError) -> AppErrorCode {
    match error {
        ClientError::Unauthorized => AppErrorCode::BadCredentials,
        ClientError::Disconnected | ClientError::Closed => AppErrorCode::Disconnected,
        ClientError::Timeout => AppErrorCode::Timeout,
        ClientError::Server(ProtocolError { code, .. })
        | ClientError::Invalid(ProtocolError { code, .. }) => protocol_code(*code),
        ClientError::Http(_) => AppErrorCode::Unreachable,
        ClientError::BadUrl(_) => AppErrorCode::InvalidServerUrl,
        _ => AppErrorCode::Other,
    }
}

fn protocol_code(code: ErrorCode) -> AppErrorCode {
    match code {
        ErrorCode::Unauthorized => AppErrorCode::BadCredentials,
        ErrorCode::RateLimited => AppErrorCode::RateLimited,
        ErrorCode::Conflict => AppErrorCode::Conflict,
        ErrorCode::NotFound | ErrorCode::Forbidden => AppErrorCode::NotFound,
        ErrorCode::TooLarge => AppErrorCode::TooLarge,
        ErrorCode::Invalid => AppErrorCode::Invalid,
        _ => AppErrorCode::Other,
    }
}

impl From<&AppError> for CommandError {
    fn from(error: &AppError) -> Self {
        let message = match error {
            AppError::Client(
                ClientError::Server(ProtocolError { message, .. })
                | ClientError::Invalid(ProtocolError { message, .. }),
            ) => message.clone(),
            AppError::Client(ClientError::Http(_)) => {
                "The server cannot be reached. Check the address and your connection.".to_owned()
            }
            AppError::Client(ClientError::Unauthorized) => AppError::BadCredentials.to_string(),
            other => other.to_string(),
        };
        CommandError {
            code: error.code(),
            message,
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CommandError::from(self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_the_boundary_as_code_and_message() {
        let json = serde_json::to_value(AppError::NotLoggedIn).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"code": "not_logged_in", "message": "You are not logged in."})
        );
    }

    #[test]
    fn a_taken_call_is_a_conflict_with_the_server_message() {
        let error = AppError::Client(ClientError::Server(ProtocolError::new(
            ErrorCode::Conflict,
            "already accepted",
        )));
        let sent = CommandError::from(&error);
        assert_eq!(sent.code, AppErrorCode::Conflict);
        assert_eq!(sent.message, "already accepted");
    }
}
