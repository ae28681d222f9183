//! The main window: showing it from the tray or a notification, and hiding it to the tray
//! instead of closing.

use tauri::{AppHandle, Manager, Window, WindowEvent};

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

/// Closing the main window hides it; the app keeps running in the tray until Quit.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        if window.label() == MAIN {
            api.prevent_close();
            let _ = window.hide();
        }
    }
}
