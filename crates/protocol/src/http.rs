//! HTTP request and response bodies (`/api/v1/...`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Millis, Operator};

/// `POST /api/v1/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoginRequest {
    /// Operator email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoginResponse {
    /// Bearer session token for the agent socket and HTTP calls.
    pub token: String,
    /// Who logged in.
    pub operator: Operator,
    /// When the token stops working.
    #[ts(type = "number")]
    pub expires_at: Millis,
}

/// Body of every HTTP error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HttpError {
    /// What went wrong.
    pub error: crate::ProtocolError,
}
