//! `/api/v1/files`: announce an upload, stream its bytes (resumable), ask how far it got,
//! cancel it, and download a shared file. Operators authenticate with `Authorization: Bearer
//! <session token>`, visitors with `Authorization: Visitor <visitor token>` (or `?visitor=` on a
//! download link, which a browser follows without headers).

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use switchboard_protocol::http::{
    NewUpload, UploadStatus, UPLOAD_OFFSET_HEADER, VISITOR_AUTH_SCHEME,
};
use switchboard_protocol::{ErrorCode, ProtocolError};
use tokio_util::io::ReaderStream;

use super::http::ApiError;
use super::AppState;
use crate::files::{kinds, FileRecord};
use crate::hub::{file_error, Party};

/// Query of a download link.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadQuery {
    /// A visitor token, for links a browser opens without headers.
    visitor: Option<String>,
    /// `1`: show a previewable image inline instead of downloading it.
    inline: Option<String>,
}

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Invalid | ErrorCode::MalformedFrame => StatusCode::BAD_REQUEST,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn refuse(error: ProtocolError) -> ApiError {
    ApiError(status_of(error.code), error)
}

fn unauthorized() -> ApiError {
    refuse(ProtocolError::new(
        ErrorCode::Unauthorized,
        "send a session token (Bearer) or a visitor token (Visitor)",
    ))
}

/// Who is calling, from the `Authorization` header or a download link's visitor token.
async fn party(
    state: &AppState,
    headers: &HeaderMap,
    visitor_query: Option<&str>,
) -> Result<Party, ApiError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let (scheme, token) = match (authorization.and_then(|a| a.split_once(' ')), visitor_query) {
        (Some((scheme, token)), _) => (scheme, token),
        (None, Some(token)) => (VISITOR_AUTH_SCHEME, token),
        (None, None) => return Err(unauthorized()),
    };
    if scheme == VISITOR_AUTH_SCHEME {
        return state
            .hub
            .verify_visitor(token.trim())
            .map(Party::Visitor)
            .ok_or_else(unauthorized);
    }
    if scheme != "Bearer" {
        return Err(unauthorized());
    }
    match state.hub.authenticate(token.trim()).await.map_err(refuse)? {
        Some(record) => Ok(Party::Operator(record.operator.id)),
        None => Err(unauthorized()),
    }
}

fn upload_status(record: &FileRecord, seq: Option<u32>) -> Json<UploadStatus> {
    Json(UploadStatus {
        id: record.id.clone(),
        received: record.received,
        size: record.size,
        seq: seq.or(record.seq),
    })
}

/// `POST /api/v1/files`: announces an upload; answers 201 with its id.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<UploadStatus>), ApiError> {
    let party = party(&state, &headers, None).await?;
    let upload: NewUpload = serde_json::from_slice(&body).map_err(|e| {
        refuse(ProtocolError::new(
            ErrorCode::MalformedFrame,
            format!("expected {{\"conversation_id\", \"name\", \"size\"}}: {e}"),
        ))
    })?;
    let record = state
        .hub
        .start_upload(&party, upload)
        .await
        .map_err(refuse)?;
    Ok((StatusCode::CREATED, upload_status(&record, None)))
}

/// `PATCH /api/v1/files/{id}` with `Upload-Offset`: streams a chunk; the last one shares the
/// file in its chat.
pub async fn append(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<UploadStatus>, ApiError> {
    let party = party(&state, &headers, None).await?;
    let offset: u64 = headers
        .get(UPLOAD_OFFSET_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| {
            refuse(ProtocolError::new(
                ErrorCode::Invalid,
                "the Upload-Offset header must give the byte offset of this chunk",
            ))
        })?;
    state.hub.own_upload(&party, &id).await.map_err(refuse)?;
    let record = state
        .hub
        .files()
        .append(&id, offset, body.into_data_stream())
        .await
        .map_err(|e| refuse(file_error(e)))?;
    let seq = if record.complete() {
        Some(state.hub.share_file(&id).await.map_err(refuse)?)
    } else {
        None
    };
    Ok(upload_status(&record, seq))
}

/// `GET /api/v1/files/{id}/upload`: how far an upload got (to resume it).
pub async fn progress(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<UploadStatus>, ApiError> {
    let party = party(&state, &headers, None).await?;
    let record = state.hub.own_upload(&party, &id).await.map_err(refuse)?;
    Ok(upload_status(&record, None))
}

/// `DELETE /api/v1/files/{id}`: cancels an upload that is not shared yet.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let party = party(&state, &headers, None).await?;
    state.hub.cancel_upload(&party, &id).await.map_err(refuse)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/files/{id}`: the file's bytes, as a download (or an inline image preview),
/// never rendered as a page. A file deleted with its chat answers 410 Gone with a sentence.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Response {
    let party = match party(&state, &headers, query.visitor.as_deref()).await {
        Ok(party) => party,
        Err(error) => return error.into_response(),
    };
    let record = match state.hub.file_for(&party, &id).await {
        Ok(Some(record)) if record.complete() => record,
        Ok(None) => return gone(),
        Ok(Some(_)) => {
            return refuse(ProtocolError::new(
                ErrorCode::NotFound,
                "this file is still being uploaded",
            ))
            .into_response()
        }
        Err(error) => return refuse(error).into_response(),
    };
    let file = match state.hub.files().open(&record).await {
        Ok(file) => file,
        Err(_) => return gone(),
    };
    let inline = query.inline.as_deref() == Some("1");
    let mut response =
        Body::from_stream(ReaderStream::with_capacity(file, 256 * 1024)).into_response();
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, &record.mime);
    set(header::CONTENT_LENGTH, &record.size.to_string());
    set(
        header::CONTENT_DISPOSITION,
        &kinds::content_disposition(&record.name, &record.mime, inline),
    );
    safe_headers(headers);
    response
}

/// Headers that keep any served file from being sniffed, scripted, cached or leaked.
fn safe_headers(headers: &mut HeaderMap) {
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ),
        (header::CACHE_CONTROL, "private, no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// 410 Gone with a sentence a person reads when opening a dead link.
fn gone() -> Response {
    let mut response = (
        StatusCode::GONE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This file is gone: files are deleted when their chat ends.\n",
    )
        .into_response();
    safe_headers(response.headers_mut());
    response
}
