//! The main window: showing it from the tray or a notification, and hiding it to the tray
//! instead of closing (unless the operator chose that closing quits).

use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Window, WindowEvent};
use tauri_plugin_window_state::AppHandleExt;

use crate::ipc::{DroppedFiles, FILES_DROPPED};
use crate::preferences::PreferenceStore;

/// Label of the main window (see `tauri.conf.json` and the capabilities).
pub const MAIN: &str = "main";

/// Shows, restores and focuses the main window.
pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Zooms the main window's content (text and layout) to `percent` of the normal size.
pub fn set_text_scale(app: &AppHandle, percent: u16) {
    if let Some(window) = app.get_webview_window(MAIN) {
        if let Err(error) = window.set_zoom(f64::from(percent) / 100.0) {
            tracing::warn!(%error, "could not change the text size");
        }
    }
}

/// Closing the main window hides it and the app keeps running in the tray until Quit, or,
/// when the operator switched close-to-tray off, quits. Either way its placement is kept.
/// Files dropped onto it go to the UI, which sends them into the open chat.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    match event {
        WindowEvent::CloseRequested { api, .. } if window.label() == MAIN => {
            api.prevent_close();
            let app = window.app_handle();
            if let Err(error) = app.save_window_state(crate::instance::WINDOW_STATE) {
                tracing::warn!(%error, "could not keep the window's placement");
            }
            if app.state::<PreferenceStore>().preferences().close_to_tray {
                let _ = window.hide();
            } else {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { crate::account::quit(&app).await });
            }
        }
        WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) if window.label() == MAIN => {
            let dropped = DroppedFiles {
                paths: paths.iter().map(|p| p.display().to_string()).collect(),
            };
            if let Err(error) = window.emit(FILES_DROPPED, dropped) {
                tracing::warn!(%error, "could not report dropped files");
            }
        }
        _ => {}
    }
}
