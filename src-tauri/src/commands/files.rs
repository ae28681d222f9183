//! Commands of file transfers: send files (picked in the native dialog, dropped on the window,
//! or by path), download shared files, cancel, open what was downloaded, and image previews.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use switchboard_client::FileTransfers;
use switchboard_protocol::FileInfo;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::AppError;
use crate::ipc::FilePreview;
use crate::session::Session;
use crate::state::AppState;
use crate::transfers::Transfers;

/// Largest image fetched for an inline preview.
const MAX_PREVIEW_BYTES: u64 = 20 * 1024 * 1024;
/// Types shown inline (the server says the same; checked again on what arrives).
const PREVIEW_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

fn transfers_of(session: &Session) -> Result<FileTransfers, AppError> {
    Ok(FileTransfers::new(
        session.server().clone(),
        session.token().expose().to_owned(),
    )?)
}

/// Opens the native file dialog and sends every chosen file; returns their transfer ids
/// (none when the operator cancels the dialog).
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_and_send_files(
    app: AppHandle,
    state: State<'_, AppState>,
    transfers: State<'_, Arc<Transfers>>,
    conversation_id: String,
) -> Result<Vec<String>, AppError> {
    let session = state.require_session().await?;
    let (chosen, picked) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Send a file")
        .pick_files(move |paths| {
            // the command may have been dropped; then nobody waits for the answer
            let _ = chosen.send(paths);
        });
    let paths = picked.await.ok().flatten().unwrap_or_default();
    let client = transfers_of(&session)?;
    paths
        .into_iter()
        .map(|path| {
            let path = path
                .into_path()
                .map_err(|e| AppError::File(e.to_string()))?;
            transfers.upload(&app, client.clone(), conversation_id.clone(), path)
        })
        .collect()
}

/// Sends the file at `path` (e.g. dropped onto the window); returns the transfer id.
#[tauri::command(rename_all = "snake_case")]
pub async fn send_file(
    app: AppHandle,
    state: State<'_, AppState>,
    transfers: State<'_, Arc<Transfers>>,
    conversation_id: String,
    path: String,
) -> Result<String, AppError> {
    let session = state.require_session().await?;
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Err(AppError::File(format!("{} is not a file", path.display())));
    }
    transfers.upload(&app, transfers_of(&session)?, conversation_id, path)
}

/// Downloads a shared file into the Downloads folder; returns the transfer id.
#[tauri::command(rename_all = "snake_case")]
pub async fn download_file(
    app: AppHandle,
    state: State<'_, AppState>,
    transfers: State<'_, Arc<Transfers>>,
    conversation_id: String,
    file: FileInfo,
) -> Result<String, AppError> {
    let session = state.require_session().await?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| AppError::File(e.to_string()))?;
    std::fs::create_dir_all(&dir).map_err(|e| AppError::File(e.to_string()))?;
    transfers.download(
        &app,
        transfers_of(&session)?,
        conversation_id,
        file.id,
        &file.name,
        file.size,
        &dir,
    )
}

/// Stops a transfer.
#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_transfer(
    app: AppHandle,
    transfers: State<'_, Arc<Transfers>>,
    id: String,
) -> Result<(), AppError> {
    transfers.cancel(&app, &id);
    Ok(())
}

/// Opens a downloaded file with the system's program for it (only files this app saved).
#[tauri::command(rename_all = "snake_case")]
pub async fn open_download(
    transfers: State<'_, Arc<Transfers>>,
    path: String,
) -> Result<(), AppError> {
    let path = PathBuf::from(path);
    if !transfers.was_saved(&path) {
        return Err(AppError::File("only downloaded files can be opened".into()));
    }
    tauri::async_runtime::spawn_blocking(move || open::that_detached(&path))
        .await
        .map_err(|e| AppError::File(e.to_string()))?
        .map_err(|e| AppError::File(e.to_string()))
}

/// An image file's bytes as a `data:` URL for an inline preview (PNG, JPEG, GIF, WebP only).
#[tauri::command(rename_all = "snake_case")]
pub async fn file_preview(
    state: State<'_, AppState>,
    file: FileInfo,
) -> Result<FilePreview, AppError> {
    if !file.preview || !PREVIEW_TYPES.contains(&file.mime.as_str()) {
        return Err(AppError::File("this file has no preview".into()));
    }
    let session = state.require_session().await?;
    let bytes = transfers_of(&session)?
        .fetch(&file.id, MAX_PREVIEW_BYTES)
        .await?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Ok(FilePreview {
        data_url: format!("data:{};base64,{encoded}", file.mime),
    })
}
