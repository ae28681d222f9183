//! Error frames: a stable machine code plus a human message. Clients branch on the code.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Stable error codes carried by [`ProtocolError`] and HTTP error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not valid JSON or not a known request.
    MalformedFrame,
    /// The frame or message is larger than the limit.
    TooLarge,
    /// Too many requests; slow down.
    RateLimited,
    /// Missing, wrong or expired credentials.
    Unauthorized,
    /// Authenticated, but not allowed to do this (e.g. not a participant).
    Forbidden,
    /// The conversation, file or operator does not exist (or is not visible to the caller).
    NotFound,
    /// The request is valid but not in the current state (e.g. accepting a closed chat).
    Conflict,
    /// A field failed validation (empty text, bad email, ...).
    Invalid,
    /// The client speaks a protocol version the server does not support.
    UnsupportedVersion,
    /// The origin of a widget connection is not on the allowlist, or the visitor is blocked.
    OriginDenied,
    /// Something failed on the server; the request may be retried.
    Internal,
}

/// An error reply: the code to branch on and a message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProtocolError {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

impl ProtocolError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ProtocolError {}
