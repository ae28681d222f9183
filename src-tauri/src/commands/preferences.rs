//! Commands of the Settings page: the operator's preferences on this machine, the snipping
//! shortcut, and the layout (page and chat tab) to come back to after a restart.

use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_autostart::ManagerExt;
use ts_rs::TS;

use crate::error::AppError;
use crate::preferences::{Layout, PreferenceStore, Preferences, Saved};
use crate::shortcuts::{self, ActiveShortcut};

/// What the Settings page shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SettingsView {
    /// The preferences and layout kept, with the shortcut and start at login as in effect.
    pub saved: Saved,
    /// Why the snipping shortcut is not in effect, when it is not.
    pub shortcut_problem: Option<String>,
}

/// The preferences kept on this machine, as in effect now.
#[tauri::command(rename_all = "snake_case")]
pub fn load_preferences(
    app: AppHandle,
    store: State<'_, PreferenceStore>,
    active: State<'_, ActiveShortcut>,
) -> SettingsView {
    let mut saved = store.saved();
    if let Some(shortcut) = active.text() {
        saved.preferences.snip_shortcut = shortcut;
    }
    match app.autolaunch().is_enabled() {
        Ok(enabled) => saved.preferences.start_at_login = enabled,
        Err(error) => tracing::warn!(%error, "could not read the start-at-login entry"),
    }
    SettingsView {
        saved,
        shortcut_problem: active.problem(),
    }
}

/// Applies and keeps the preferences (the text size zooms the window here; the UI applies
/// the rest). The snipping shortcut is not changed here (see
/// [`set_snip_shortcut`]): the one kept stays.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_preferences(app: AppHandle, preferences: Preferences) -> Result<(), AppError> {
    blocking(app, move |app, store| {
        preferences.validate()?;
        let kept = store.preferences();
        let enabled = app.autolaunch().is_enabled().unwrap_or(kept.start_at_login);
        if enabled != preferences.start_at_login {
            let autostart = app.autolaunch();
            let switched = if preferences.start_at_login {
                autostart.enable()
            } else {
                autostart.disable()
            };
            switched.map_err(|error| AppError::Autostart(error.to_string()))?;
        }
        let text_scale = preferences.text_scale;
        store.set_preferences(Preferences {
            snip_shortcut: kept.snip_shortcut,
            ..preferences
        })?;
        crate::window::set_text_scale(app, text_scale);
        Ok(())
    })
    .await
}

/// Makes `shortcut` the snipping shortcut and keeps it; when it conflicts or the system
/// refuses it, the shortcut in effect stays and the error says why.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_snip_shortcut(app: AppHandle, shortcut: String) -> Result<(), AppError> {
    blocking(app, move |app, store| {
        shortcuts::change(app, &shortcut)?;
        store.set_preferences(Preferences {
            snip_shortcut: shortcut.trim().to_owned(),
            ..store.preferences()
        })
    })
    .await
}

/// Keeps the page and chat tab shown, for the next start.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_layout(app: AppHandle, layout: Layout) -> Result<(), AppError> {
    blocking(app, move |_, store| store.set_layout(layout)).await
}

/// Runs `job` with the preferences file on a blocking thread.
async fn blocking(
    app: AppHandle,
    job: impl FnOnce(&AppHandle, &PreferenceStore) -> Result<(), AppError> + Send + 'static,
) -> Result<(), AppError> {
    tauri::async_runtime::spawn_blocking(move || job(&app, &app.state::<PreferenceStore>()))
        .await
        .map_err(|error| AppError::Storage(error.to_string()))?
}
