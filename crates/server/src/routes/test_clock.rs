//! `POST /api/v1/test/clock`: moves the hub's manual clock forward and runs its timers, so
//! tests of ring timeouts and reconnect grace need no sleeps. Only routed when the server runs
//! with `--manual-clock`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::AppState;

/// How far to move the clock.
#[derive(Debug, Deserialize)]
pub struct Advance {
    /// Milliseconds to add.
    advance_ms: i64,
}

/// Advances the clock; answers once the timers have run.
pub async fn advance(State(state): State<AppState>, Json(advance): Json<Advance>) -> StatusCode {
    match state.hub.advance_clock(advance.advance_ms).await {
        Ok(true) => StatusCode::NO_CONTENT,
        Ok(false) => StatusCode::NOT_FOUND,
        Err(error) => {
            tracing::warn!(%error, "advancing the clock failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
