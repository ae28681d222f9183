//! Commands of screenshots: start the snipping tool, the overlays' selection and cancel, a
//! screenshot from the clipboard, and sending (with marks) or discarding the waiting one.

use std::sync::Arc;

use tauri::{AppHandle, Manager, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::AppError;
use crate::snip::annotate::Mark;
use crate::snip::Snipper;
use crate::state::AppState;
use crate::transfers::Transfers;

/// Captures the screens and opens the selection overlays.
#[tauri::command(rename_all = "snake_case")]
pub async fn start_snip(app: AppHandle, snipper: State<'_, Arc<Snipper>>) -> Result<(), AppError> {
    snipper.start(&app).await
}

/// An overlay shows its frozen frame and listens to the mouse: its title says it is ready.
#[tauri::command(rename_all = "snake_case")]
pub async fn snip_shown(
    window: tauri::WebviewWindow,
    snipper: State<'_, Arc<Snipper>>,
    monitor: usize,
) -> Result<(), AppError> {
    snipper.overlay_shown(monitor);
    window
        .set_title(crate::snip::READY_TITLE)
        .map_err(|e| AppError::Snip(e.to_string()))
}

/// The operator selected a rectangle (in the monitor's pixels) on an overlay.
#[tauri::command(rename_all = "snake_case")]
pub async fn snip_select(
    app: AppHandle,
    snipper: State<'_, Arc<Snipper>>,
    monitor: usize,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
) -> Result<(), AppError> {
    snipper.select(&app, monitor, (x, y, width, height)).await
}

/// The operator pressed Esc on an overlay.
#[tauri::command(rename_all = "snake_case")]
pub async fn snip_cancel(app: AppHandle, snipper: State<'_, Arc<Snipper>>) -> Result<(), AppError> {
    snipper.cancel(&app);
    Ok(())
}

/// Takes the image on the clipboard as the screenshot to send (shown in the composer).
#[tauri::command(rename_all = "snake_case")]
pub async fn paste_screenshot(
    app: AppHandle,
    snipper: State<'_, Arc<Snipper>>,
) -> Result<(), AppError> {
    let image = app
        .clipboard()
        .read_image()
        .map_err(|_| AppError::Snip("there is no image on the clipboard".into()))?;
    let rgba = image::RgbaImage::from_raw(image.width(), image.height(), image.rgba().to_vec())
        .ok_or_else(|| AppError::Snip("the clipboard image is damaged".into()))?;
    snipper.offer(&app, rgba).await
}

/// Sends the waiting screenshot, with `marks` burnt in, into a chat; returns the transfer id.
#[tauri::command(rename_all = "snake_case")]
pub async fn send_snip(
    app: AppHandle,
    state: State<'_, AppState>,
    snipper: State<'_, Arc<Snipper>>,
    transfers: State<'_, Arc<Transfers>>,
    conversation_id: String,
    marks: Vec<Mark>,
) -> Result<String, AppError> {
    let session = state.require_session().await?;
    let png = snipper.take(marks).await?;
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| AppError::File(e.to_string()))?
        .join("screenshots");
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let path = dir.join(format!("screenshot-{stamp}.png"));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::File(e.to_string()))?;
    tokio::fs::write(&path, png)
        .await
        .map_err(|e| AppError::File(e.to_string()))?;
    let client = switchboard_client::FileTransfers::new(
        session.server().clone(),
        session.token().expose().to_owned(),
    )?;
    transfers.upload(&app, client, conversation_id, path)
}

/// Drops the waiting screenshot.
#[tauri::command(rename_all = "snake_case")]
pub async fn discard_snip(snipper: State<'_, Arc<Snipper>>) -> Result<(), AppError> {
    snipper.discard();
    Ok(())
}
