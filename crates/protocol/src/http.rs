//! HTTP request and response bodies (`/api/v1/...`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Millis, Operator};

/// Header carrying the byte offset an upload chunk starts at (`PATCH /api/v1/files/{id}`).
pub const UPLOAD_OFFSET_HEADER: &str = "upload-offset";
/// Authorization scheme of a visitor: `Authorization: Visitor <visitor token>`.
pub const VISITOR_AUTH_SCHEME: &str = "Visitor";
/// Query parameter that carries a visitor token on download links (`?visitor=<token>`).
pub const VISITOR_QUERY: &str = "visitor";

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

/// `POST /api/v1/files`: announces an upload into a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewUpload {
    /// The conversation to share the file in (a visitor may only name its open one).
    pub conversation_id: String,
    /// The file name (any path is dropped).
    pub name: String,
    /// The exact size in bytes; at most the account's limit.
    #[ts(type = "number")]
    pub size: u64,
}

/// Where an upload stands: the answer to creating, appending to, or asking about an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UploadStatus {
    /// The file id; `PATCH /api/v1/files/{id}` appends, `GET` downloads once complete.
    pub id: String,
    /// Bytes stored so far: the offset the next chunk must start at.
    #[ts(type = "number")]
    pub received: u64,
    /// The announced size.
    #[ts(type = "number")]
    pub size: u64,
    /// The seq of the conversation's `File` event, once the upload is complete and shared.
    pub seq: Option<u32>,
}
