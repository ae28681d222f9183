//! The global shortcut (Ctrl+Shift+S unless the operator chose another in Settings, also when
//! the app is in the background) that starts the snipping tool, and the URI scheme that serves
//! the overlays their frozen frames. Global shortcuts work on X11 and XWayland; the toolbar
//! button is the way everywhere else.

use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tauri::http::{header, Request, Response, StatusCode};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, UriSchemeContext, UriSchemeResponder, Wry};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Modifiers, Shortcut, ShortcutState};

use crate::error::AppError;
use crate::snip::Snipper;

/// Environment variable that overrides the chosen shortcut at start (e.g. for tests).
const ENV_SHORTCUT: &str = "SWITCHBOARD_SNIP_SHORTCUT";

/// Key combinations the main window uses itself, and what for (Cmd on macOS, Ctrl elsewhere).
const RESERVED: &[(&str, &str)] = &[
    ("CmdOrCtrl+Tab", "switching chat tabs"),
    ("CmdOrCtrl+Shift+Tab", "switching chat tabs"),
    ("CmdOrCtrl+1", "picking a chat tab"),
    ("CmdOrCtrl+2", "picking a chat tab"),
    ("CmdOrCtrl+3", "picking a chat tab"),
    ("CmdOrCtrl+4", "picking a chat tab"),
    ("CmdOrCtrl+5", "picking a chat tab"),
    ("CmdOrCtrl+6", "picking a chat tab"),
    ("CmdOrCtrl+7", "picking a chat tab"),
    ("CmdOrCtrl+8", "picking a chat tab"),
    ("CmdOrCtrl+9", "picking a chat tab"),
    ("CmdOrCtrl+A", "selecting all text"),
    ("CmdOrCtrl+C", "copying"),
    ("CmdOrCtrl+X", "cutting"),
    ("CmdOrCtrl+V", "pasting"),
    ("CmdOrCtrl+Z", "undoing"),
    ("CmdOrCtrl+Shift+Z", "redoing"),
    ("CmdOrCtrl+Y", "redoing"),
    ("CmdOrCtrl+Q", "quitting"),
];

/// The snipping shortcut in effect, and why none is when registering failed.
#[derive(Default)]
pub struct ActiveShortcut(Mutex<Active>);

#[derive(Default)]
struct Active {
    shortcut: Option<(Shortcut, String)>,
    problem: Option<String>,
}

impl ActiveShortcut {
    fn lock(&self) -> MutexGuard<'_, Active> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The shortcut in effect, as the operator wrote it.
    pub fn text(&self) -> Option<String> {
        self.lock().shortcut.as_ref().map(|(_, text)| text.clone())
    }

    /// Why the chosen shortcut is not in effect, when it is not.
    pub fn problem(&self) -> Option<String> {
        self.lock().problem.clone()
    }
}

/// Reads a shortcut the operator wrote (`Ctrl+Alt+K`) and refuses one that cannot work as a
/// global shortcut or that the app's window already uses.
pub fn parse(text: &str) -> Result<Shortcut, AppError> {
    let text = text.trim();
    let shortcut = Shortcut::from_str(text).map_err(|_| {
        AppError::Shortcut(format!(
            "\u{201c}{text}\u{201d} is not a key combination. Write it like Ctrl+Shift+S."
        ))
    })?;
    if !shortcut
        .mods
        .intersects(Modifiers::CONTROL | Modifiers::ALT | Modifiers::SUPER)
    {
        return Err(AppError::Shortcut(format!(
            "{text} needs Ctrl, Alt or Super: without one, typing would start the snipping tool."
        )));
    }
    for (reserved, purpose) in RESERVED {
        if Shortcut::from_str(reserved).ok() == Some(shortcut) {
            return Err(AppError::Shortcut(format!(
                "{text} is already used by Switchboard for {purpose}. Choose another combination."
            )));
        }
    }
    Ok(shortcut)
}

/// Makes `text` the snipping shortcut. When the system refuses it (another program holds it),
/// the shortcut in effect before stays and the error says so.
pub fn change(app: &AppHandle, text: &str) -> Result<(), AppError> {
    let next = parse(text)?;
    let text = text.trim().to_owned();
    let active = app.state::<ActiveShortcut>();
    let mut active = active.lock();
    let previous = active.shortcut.take();
    if let Some((shortcut, _)) = &previous {
        if *shortcut == next {
            active.shortcut = Some((next, text));
            return Ok(());
        }
        if let Err(error) = app.global_shortcut().unregister(*shortcut) {
            tracing::warn!(%error, "could not release the previous snipping shortcut");
        }
    }
    match app.global_shortcut().register(next) {
        Ok(()) => {
            tracing::info!(shortcut = %text, "snip: shortcut registered");
            active.shortcut = Some((next, text));
            active.problem = None;
            Ok(())
        }
        Err(error) => {
            tracing::warn!(%error, shortcut = %text, "the system refused the snipping shortcut");
            if let Some((shortcut, old_text)) = previous {
                if app.global_shortcut().register(shortcut).is_ok() {
                    active.shortcut = Some((shortcut, old_text));
                }
            }
            Err(AppError::Shortcut(format!(
                "The system refused {text}: another program probably uses it. Choose another combination."
            )))
        }
    }
}

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

/// Registers the snipping shortcut at start: `SWITCHBOARD_SNIP_SHORTCUT` when set, else the
/// operator's choice. A failure is kept for the Settings page to show; the toolbar button
/// still works.
pub fn register(app: &AppHandle, chosen: &str) {
    let shortcut = std::env::var(ENV_SHORTCUT).unwrap_or_else(|_| chosen.to_owned());
    if let Err(error) = change(app, &shortcut) {
        tracing::warn!(%error, %shortcut, "the snipping shortcut is not available; use the toolbar");
        app.state::<ActiveShortcut>().lock().problem = Some(error.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usable_combination_is_accepted() {
        let shortcut = parse(" Ctrl+Alt+K ").expect("accepted");
        assert_eq!(
            shortcut,
            Shortcut::from_str("control+alt+KeyK").expect("parses")
        );
        assert!(parse("Super+Shift+F2").is_ok());
    }

    #[test]
    fn combinations_of_the_window_are_conflicts() {
        let error = parse("ctrl+c").expect_err("refused");
        assert_eq!(error.code(), crate::error::AppErrorCode::Shortcut);
        assert!(
            error
                .to_string()
                .contains("used by Switchboard for copying"),
            "{error}"
        );
        assert!(parse("Control+Tab").is_err());
    }

    #[test]
    fn a_plain_key_or_nonsense_is_refused_with_a_reason() {
        let plain = parse("Shift+S").expect_err("refused").to_string();
        assert!(plain.contains("needs Ctrl, Alt or Super"), "{plain}");
        let nonsense = parse("Ctrl+Banana").expect_err("refused").to_string();
        assert!(nonsense.contains("not a key combination"), "{nonsense}");
        assert!(parse("").is_err());
    }
}
