//! Commands of the login screen and the status control.

use switchboard_protocol::Status;
use tauri::{AppHandle, State};

use crate::error::AppError;
use crate::ipc::{LoginForm, SessionView, StartupState};
use crate::state::AppState;

/// Logs in with the login screen's form.
#[tauri::command(rename_all = "snake_case")]
pub async fn login(app: AppHandle, form: LoginForm) -> Result<SessionView, AppError> {
    crate::account::login(&app, form).await
}

/// Logs out and forgets the session in the keychain.
#[tauri::command(rename_all = "snake_case")]
pub async fn logout(app: AppHandle) -> Result<(), AppError> {
    crate::account::logout(&app).await;
    Ok(())
}

/// What to show at start: the session logged in from the keychain, or the login screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_session(app: AppHandle) -> Result<StartupState, AppError> {
    Ok(crate::account::restore(&app).await)
}

/// Sets the operator's status (Online, Away, Offline).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_status(state: State<'_, AppState>, status: Status) -> Result<(), AppError> {
    let session = state.require_session().await?;
    session.client().set_status(status).await?;
    Ok(())
}
