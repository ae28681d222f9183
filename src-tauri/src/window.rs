//! The main window: showing it from the tray or a notification, and hiding it to the tray
//! instead of closing.

use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Window, WindowEvent};

use crate::ipc::{DroppedFiles, FILES_DROPPED};

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

/// Closing the main window hides it; the app keeps running in the tray until Quit. Files
/// dropped onto it go to the UI, which sends them into the open chat.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    match event {
        WindowEvent::CloseRequested { api, .. } if window.label() == MAIN => {
            api.prevent_close();
            let _ = window.hide();
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
