//! The app's shared state, managed by Tauri: the current session (if logged in), what the login
//! screen should show otherwise, and whether the startup login attempt has finished.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;

use crate::error::AppError;
use crate::keychain::Keychain;
use crate::session::Session;

/// What the login screen shows when logged out.
#[derive(Debug, Clone, Default)]
pub struct LoginScreen {
    /// Server address to prefill.
    pub server_url: Option<String>,
    /// Email to prefill.
    pub email: Option<String>,
    /// Something to tell the operator (e.g. the session expired).
    pub notice: Option<String>,
}

/// Shared state of the app.
pub struct AppState {
    /// The keychain record of this profile.
    pub keychain: Keychain,
    session: tokio::sync::Mutex<Option<Arc<Session>>>,
    login_screen: Mutex<LoginScreen>,
    ready: watch::Sender<bool>,
}

impl AppState {
    /// Fresh state: logged out, startup login not finished.
    pub fn new(keychain: Keychain) -> Self {
        AppState {
            keychain,
            session: tokio::sync::Mutex::new(None),
            login_screen: Mutex::new(LoginScreen::default()),
            ready: watch::Sender::new(false),
        }
    }

    /// The current session, if logged in.
    pub async fn session(&self) -> Option<Arc<Session>> {
        self.session.lock().await.clone()
    }

    /// The current session, or [`AppError::NotLoggedIn`].
    pub async fn require_session(&self) -> Result<Arc<Session>, AppError> {
        self.session().await.ok_or(AppError::NotLoggedIn)
    }

    /// Puts `next` in place of the current session and returns the previous one (not ended).
    pub async fn replace_session(&self, next: Option<Arc<Session>>) -> Option<Arc<Session>> {
        std::mem::replace(&mut *self.session.lock().await, next)
    }

    /// What the login screen should show.
    pub fn login_screen(&self) -> LoginScreen {
        self.login_screen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets what the login screen shows.
    pub fn set_login_screen(&self, screen: LoginScreen) {
        *self
            .login_screen
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = screen;
    }

    /// Marks the startup login attempt as finished.
    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    /// Waits until the startup login attempt has finished.
    pub async fn wait_ready(&self) {
        let mut ready = self.ready.subscribe();
        // the sender lives as long as the state, so this only ends when ready
        let _ = ready.wait_for(|ready| *ready).await;
    }
}
