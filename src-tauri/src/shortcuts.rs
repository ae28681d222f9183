//! The global shortcut (Ctrl+Shift+S, also when the app is in the background) that starts the
//! snipping tool, and the URI scheme that serves the overlays their frozen frames. Global
//! shortcuts work on X11 and XWayland; the toolbar button is the way everywhere else.

use std::sync::Arc;

use tauri::http::{header, Request, Response, StatusCode};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, UriSchemeContext, UriSchemeResponder, Wry};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};

use crate::snip::{Snipper, DEFAULT_SHORTCUT};

/// The global shortcut plugin, starting the snipping tool when the shortcut is pressed.
pub fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state() == ShortcutState::Pressed {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let snipper = app.state::<Arc<Snipper>>().inner().clone();
                    if let Err(error) = snipper.start(&app).await {
                        tracing::warn!(%error, "the snipping tool could not start");
                    }
                });
            }
        })
        .build()
}

/// Registers the snipping shortcut (`SWITCHBOARD_SNIP_SHORTCUT` overrides the default).
pub fn register(app: &AppHandle) {
    let shortcut =
        std::env::var("SWITCHBOARD_SNIP_SHORTCUT").unwrap_or_else(|_| DEFAULT_SHORTCUT.to_owned());
    match app.global_shortcut().register(shortcut.as_str()) {
        Ok(()) => tracing::info!(%shortcut, "snip: shortcut registered"),
        Err(error) => {
            tracing::warn!(%error, %shortcut, "the snipping shortcut is not available; use the toolbar")
        }
    }
}

/// Serves `snip://localhost/<monitor>`: the frozen frame of an open snipping overlay.
pub fn serve_frame(
    context: UriSchemeContext<'_, Wry>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let snipper = context.app_handle().state::<Arc<Snipper>>().inner().clone();
    let index = request.uri().path().trim_matches('/').parse::<usize>().ok();
    std::thread::spawn(move || {
        let response = match index.and_then(|index| snipper.frame_bmp(index)) {
            Some(bmp) => Response::builder()
                .header(header::CONTENT_TYPE, "image/bmp")
                .body(bmp),
            None => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Vec::new()),
        };
        match response {
            Ok(response) => responder.respond(response),
            Err(error) => tracing::warn!(%error, "could not answer a frame request"),
        }
    });
}
