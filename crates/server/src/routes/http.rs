//! `POST /api/v1/login` and `POST /api/v1/logout`.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use switchboard_protocol::http::{HttpError, LoginRequest, LoginResponse};
use switchboard_protocol::limits::SESSION_TTL_SECS;
use switchboard_protocol::{ErrorCode, ProtocolError};

use super::AppState;
use crate::{auth, now_millis};

/// An HTTP error with a JSON [`HttpError`] body.
pub struct ApiError(pub StatusCode, pub ProtocolError);

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: &str) -> Self {
        Self(status, ProtocolError::new(code, message))
    }

    fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "the server failed; try again",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(HttpError { error: self.1 })).into_response()
    }
}

/// Checks credentials and opens a session.
pub async fn login(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<LoginResponse>, ApiError> {
    let request: LoginRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedFrame,
            &format!("expected {{\"email\", \"password\"}}: {e}"),
        )
    })?;
    let email = request.email.trim().to_lowercase();
    if !state.login_throttle.allows(&email, Instant::now()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "too many failed logins for this email; wait a minute",
        ));
    }
    let store = state.hub.store();
    let found = store
        .operator_login(&email)
        .await
        .map_err(ApiError::internal)?;
    let hash = found
        .as_ref()
        .map_or(auth::dummy_hash().to_string(), |(_, hash)| hash.clone());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    let Some((record, _)) = found.filter(|_| matches) else {
        state.login_throttle.failed(&email, Instant::now());
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "wrong email or password",
        ));
    };
    state.login_throttle.succeeded(&email);
    if record.disabled {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "this account is disabled",
        ));
    }
    let token = auth::random_token();
    let expires_at = now_millis() + SESSION_TTL_SECS * 1000;
    store
        .create_session(&auth::token_hash(&token), &record.operator.id, expires_at)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(LoginResponse {
        token,
        operator: record.operator,
        expires_at,
    }))
}

/// Ends the session named by the bearer token.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "missing bearer token",
            )
        })?;
    let session = auth::token_hash(token);
    state
        .hub
        .store()
        .delete_session(&session)
        .await
        .map_err(ApiError::internal)?;
    state.hub.end_session(&session);
    Ok(StatusCode::NO_CONTENT)
}
