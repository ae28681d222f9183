//! Commands of the Visitors page and the chat sidebar: the live visitor list, proactive
//! invitations and blocking.

use switchboard_protocol::visitors::BlockTarget;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Asks the server for the visitor list and the blocking rules; they arrive as server events
/// and stay current (also after reconnects).
#[tauri::command(rename_all = "snake_case")]
pub async fn watch_visitors(state: State<'_, AppState>) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().watch_visitors().await?)
}

/// Invites a visitor to chat (only while Online).
#[tauri::command(rename_all = "snake_case")]
pub async fn invite_visitor(
    state: State<'_, AppState>,
    visitor_id: String,
    text: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().invite(&visitor_id, &text).await?)
}

/// Blocks an IP address or a country.
#[tauri::command(rename_all = "snake_case")]
pub async fn block_visitors(
    state: State<'_, AppState>,
    target: BlockTarget,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().block(target).await?)
}

/// Removes a blocking rule.
#[tauri::command(rename_all = "snake_case")]
pub async fn unblock_visitors(
    state: State<'_, AppState>,
    block_id: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().unblock(&block_id).await?)
}
