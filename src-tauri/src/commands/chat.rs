//! Commands of the chat tabs.

use switchboard_protocol::limits::MAX_HISTORY_PAGE;
use tauri::State;

use crate::error::AppError;
use crate::ipc::HistoryChunk;
use crate::state::AppState;

/// Events per history page the UI loads at once.
const HISTORY_PAGE: u32 = 200;

/// Accepts a ringing call.
#[tauri::command(rename_all = "snake_case")]
pub async fn accept(state: State<'_, AppState>, conversation_id: String) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().accept(&conversation_id).await?)
}

/// Declines a ringing call (it rings on for colleagues).
#[tauri::command(rename_all = "snake_case")]
pub async fn decline(state: State<'_, AppState>, conversation_id: String) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().decline(&conversation_id).await?)
}

/// Ends a chat.
#[tauri::command(rename_all = "snake_case")]
pub async fn close_chat(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().close(&conversation_id).await?)
}

/// Queues a message; returns its client message id. Progress arrives as `session://events`.
#[tauri::command(rename_all = "snake_case")]
pub async fn send_message(
    state: State<'_, AppState>,
    conversation_id: String,
    text: String,
) -> Result<String, AppError> {
    let session = state.require_session().await?;
    Ok(session.client().send(&conversation_id, &text)?)
}

/// Loads a page of history, older than `before_seq` (or the newest page).
#[tauri::command(rename_all = "snake_case")]
pub async fn load_history(
    state: State<'_, AppState>,
    conversation_id: String,
    before_seq: Option<u32>,
) -> Result<HistoryChunk, AppError> {
    let session = state.require_session().await?;
    let limit = HISTORY_PAGE.min(MAX_HISTORY_PAGE);
    let page = session
        .client()
        .history(&conversation_id, before_seq, limit)
        .await?;
    Ok(HistoryChunk {
        events: page.events,
        has_more: page.has_more,
    })
}

/// Tells the visitor the operator has seen the chat up to `seq`.
#[tauri::command(rename_all = "snake_case")]
pub async fn mark_seen(
    state: State<'_, AppState>,
    conversation_id: String,
    seq: u32,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    session.client().mark_seen(&conversation_id, seq);
    Ok(())
}
