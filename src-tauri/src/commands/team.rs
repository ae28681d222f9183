//! Commands of the Team page and the chat toolbar's team tools: the live team list, inviting
//! or transferring to a colleague, and leaving a chat.

use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Asks the server for the team list; it arrives as server events and stays current (also
/// after reconnects).
#[tauri::command(rename_all = "snake_case")]
pub async fn watch_team(state: State<'_, AppState>) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().watch_team().await?)
}

/// Invites a colleague into a chat; with `transfer`, hands the chat over once they accept.
#[tauri::command(rename_all = "snake_case")]
pub async fn invite_operator(
    state: State<'_, AppState>,
    conversation_id: String,
    operator_id: String,
    transfer: bool,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session
        .client()
        .invite_operator(&conversation_id, &operator_id, transfer)
        .await?)
}

/// Starts an internal chat with a colleague.
#[tauri::command(rename_all = "snake_case")]
pub async fn start_internal_chat(
    state: State<'_, AppState>,
    operator_id: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().start_internal_chat(&operator_id).await?)
}

/// Asks for the account settings (administrators only); they arrive as a server event.
#[tauri::command(rename_all = "snake_case")]
pub async fn read_account(state: State<'_, AppState>) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().read_account().await?)
}

/// Changes one account setting (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_account_setting(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().set_account_setting(&key, &value).await?)
}

/// Adds an operator (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_operator(
    state: State<'_, AppState>,
    email: String,
    name: String,
    password: String,
    admin: bool,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session
        .client()
        .add_operator(&email, &name, &password, admin)
        .await?)
}

/// Sets a new password for an operator (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn reset_password(
    state: State<'_, AppState>,
    operator_id: String,
    password: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session
        .client()
        .reset_password(&operator_id, &password)
        .await?)
}

/// Removes an operator who has no open chats (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn remove_operator(
    state: State<'_, AppState>,
    operator_id: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().remove_operator(&operator_id).await?)
}

/// Disables an operator or enables them again (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_operator_disabled(
    state: State<'_, AppState>,
    operator_id: String,
    disabled: bool,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session
        .client()
        .set_operator_disabled(&operator_id, disabled)
        .await?)
}

/// Sets an operator's own chat cap; `None`: the account's (administrators only).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_operator_cap(
    state: State<'_, AppState>,
    operator_id: String,
    max_chats: Option<u32>,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session
        .client()
        .set_operator_cap(&operator_id, max_chats)
        .await?)
}

/// Leaves a chat without ending it.
#[tauri::command(rename_all = "snake_case")]
pub async fn leave_chat(
    state: State<'_, AppState>,
    conversation_id: String,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().leave(&conversation_id).await?)
}
