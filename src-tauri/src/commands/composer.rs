//! Commands of the message composer: canned responses (kept on the server), typing signals,
//! the emoticon table the server converts with, drafts and view settings (kept on this
//! machine), and the clipboard for the Cut, Copy and Paste buttons.

use switchboard_protocol::{CannedDraft, CannedScope, Emoticon};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::composer::{ComposerPrefs, ComposerState, ComposerStore};
use crate::error::AppError;
use crate::state::AppState;

/// Creates (`id` null) or changes a canned response; the new list arrives as a server event.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_canned(
    state: State<'_, AppState>,
    id: Option<String>,
    draft: CannedDraft,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().save_canned(id, draft).await?)
}

/// Deletes a canned response.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_canned(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().delete_canned(&id).await?)
}

/// Puts one list of canned responses in a new order.
#[tauri::command(rename_all = "snake_case")]
pub async fn reorder_canned(
    state: State<'_, AppState>,
    scope: CannedScope,
    ids: Vec<String>,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    Ok(session.client().reorder_canned(scope, ids).await?)
}

/// Tells the visitor whether the operator is typing.
#[tauri::command(rename_all = "snake_case")]
pub async fn send_typing(
    state: State<'_, AppState>,
    conversation_id: String,
    typing: bool,
) -> Result<(), AppError> {
    let session = state.require_session().await?;
    session.client().typing(&conversation_id, typing);
    Ok(())
}

/// The emoticon shortcuts the server converts, and their emoji.
#[tauri::command(rename_all = "snake_case")]
pub fn emoticons() -> Vec<Emoticon> {
    switchboard_protocol::composer::emoticons()
}

/// The drafts and view settings kept on this machine.
#[tauri::command(rename_all = "snake_case")]
pub fn load_composer(store: State<'_, ComposerStore>) -> ComposerState {
    store.state()
}

/// Keeps a chat's draft (an empty text removes it).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(
    app: AppHandle,
    conversation_id: String,
    text: String,
) -> Result<(), AppError> {
    blocking(app, move |store| store.set_draft(&conversation_id, &text)).await
}

/// Keeps the composer's view settings.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_composer_prefs(app: AppHandle, prefs: ComposerPrefs) -> Result<(), AppError> {
    blocking(app, move |store| store.set_prefs(prefs)).await
}

/// The text on the clipboard (empty when it holds none or cannot be read).
#[tauri::command(rename_all = "snake_case")]
pub async fn read_clipboard(app: AppHandle) -> String {
    tauri::async_runtime::spawn_blocking(move || app.clipboard().read_text().unwrap_or_default())
        .await
        .unwrap_or_default()
}

/// Puts text on the clipboard (Cut and Copy).
#[tauri::command(rename_all = "snake_case")]
pub async fn write_clipboard(app: AppHandle, text: String) -> Result<(), AppError> {
    tauri::async_runtime::spawn_blocking(move || app.clipboard().write_text(text))
        .await
        .map_err(|error| AppError::Clipboard(error.to_string()))?
        .map_err(|error| AppError::Clipboard(error.to_string()))
}

/// Runs a file write of the composer store off the async threads.
async fn blocking(
    app: AppHandle,
    write: impl FnOnce(&ComposerStore) -> Result<(), AppError> + Send + 'static,
) -> Result<(), AppError> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || write(&app.state::<ComposerStore>()))
        .await
        .map_err(|error| AppError::Storage(error.to_string()))?
}
