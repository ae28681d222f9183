//! Logging in and out: the HTTP login, the keychain record, starting and ending the
//! [`Session`], the automatic login at startup (keychain or environment), re-login when the
//! session expires, and Quit (which goes Offline first).

use std::sync::Arc;
use std::time::Duration;

use switchboard_protocol::http::LoginResponse;
use switchboard_protocol::Status;
use tauri::{AppHandle, Emitter, Manager};
use url::Url;

use crate::error::AppError;
use crate::ipc::{self, EndReason, LoginForm, SessionEnded, SessionView, StartupState};
use crate::keychain::{Keychain, Secret, StoredAccount};
use crate::notify::Ringer;
use crate::session::Session;
use crate::state::{AppState, LoginScreen};
use crate::team_notify::TeamNotices;

/// How long logout and quit wait for the server before going on without it.
const GOODBYE_TIMEOUT: Duration = Duration::from_secs(3);

/// Environment variables that log in at startup (used by the run script), like "remember me".
const ENV_SERVER: &str = "SWITCHBOARD_SERVER_URL";
const ENV_EMAIL: &str = "SWITCHBOARD_EMAIL";
const ENV_PASSWORD: &str = "SWITCHBOARD_PASSWORD";

/// Logs in at startup: with the environment's credentials if set, else with the keychain's
/// remembered session. Always marks the state ready, so `restore` can answer.
pub async fn boot(app: &AppHandle) {
    let state = app.state::<AppState>();
    if let Some(form) = form_from_env() {
        if let Err(error) = login(app, form.clone()).await {
            state.set_login_screen(LoginScreen {
                server_url: Some(form.server_url),
                email: Some(form.email),
                notice: Some(error.to_string()),
            });
        }
    } else {
        match keychain_load(&state.keychain).await {
            Ok(Some(account)) => resume(app, account).await,
            Ok(None) => {}
            Err(error) => state.set_login_screen(LoginScreen {
                notice: Some(error.to_string()),
                ..LoginScreen::default()
            }),
        }
    }
    state.mark_ready();
}

fn form_from_env() -> Option<LoginForm> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    Some(LoginForm {
        server_url: var(ENV_SERVER)?,
        email: var(ENV_EMAIL)?,
        password: var(ENV_PASSWORD)?,
        remember: true,
    })
}

/// Continues a remembered session, or prefills the login screen.
async fn resume(app: &AppHandle, account: StoredAccount) {
    let state = app.state::<AppState>();
    let server = Url::parse(&account.server_url).ok();
    match (server, account.token.clone(), account.operator.clone()) {
        (Some(server), Some(token), Some(operator)) => {
            start_session(app, server, token, operator).await;
        }
        _ => state.set_login_screen(LoginScreen {
            server_url: Some(account.server_url),
            email: Some(account.email),
            notice: None,
        }),
    }
}

/// What the UI shows at start: waits for the startup login, then reports the session or the
/// login screen.
pub async fn restore(app: &AppHandle) -> StartupState {
    let state = app.state::<AppState>();
    state.wait_ready().await;
    match state.session().await {
        Some(session) => StartupState::LoggedIn {
            session: session.view(),
        },
        None => {
            let screen = state.login_screen();
            crate::startup::reached(crate::startup::Milestone::LoginScreen);
            StartupState::LoggedOut {
                server_url: screen.server_url,
                email: screen.email,
                notice: screen.notice,
            }
        }
    }
}

/// Logs in with the login screen's form and starts a session.
pub async fn login(app: &AppHandle, form: LoginForm) -> Result<SessionView, AppError> {
    let server = parse_server_url(&form.server_url)?;
    let response = switchboard_client::login(&server, form.email.trim(), &form.password).await?;
    let password = form.remember.then(|| Secret::new(form.password.clone()));
    remember(app, &server, form.email.trim(), &response, password).await;
    let session = start_session(app, server, Secret::new(response.token), response.operator).await;
    Ok(session.view())
}

/// Accepts `https://host`, `http://host:port/` and a bare `host:port` (as http).
fn parse_server_url(input: &str) -> Result<Url, AppError> {
    let input = input.trim();
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("http://{input}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| AppError::InvalidServerUrl)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(AppError::InvalidServerUrl);
    }
    Ok(url)
}

/// Writes the keychain record: with `password` ("remember me") the token and password, without
/// it only the address and email for the login screen.
async fn remember(
    app: &AppHandle,
    server: &Url,
    email: &str,
    response: &LoginResponse,
    password: Option<Secret>,
) {
    let remembered = password.is_some();
    let account = StoredAccount {
        server_url: server.to_string(),
        email: email.to_owned(),
        operator: remembered.then(|| response.operator.clone()),
        token: remembered.then(|| Secret::new(response.token.clone())),
        password,
    };
    let keychain = app.state::<AppState>().keychain.clone();
    let saved = tauri::async_runtime::spawn_blocking(move || keychain.save(&account)).await;
    match saved {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "could not write the keychain"),
        Err(error) => tracing::warn!(%error, "keychain task failed"),
    }
}

async fn keychain_load(keychain: &Keychain) -> Result<Option<StoredAccount>, AppError> {
    let keychain = keychain.clone();
    tauri::async_runtime::spawn_blocking(move || keychain.load())
        .await
        .map_err(|error| AppError::Keychain(error.to_string()))?
}

/// Starts a session in place of the current one and tells the UI.
async fn start_session(
    app: &AppHandle,
    server: Url,
    token: Secret,
    operator: switchboard_protocol::Operator,
) -> Arc<Session> {
    let session = Session::start(server, token, operator);
    let state = app.state::<AppState>();
    if let Some(previous) = state.replace_session(Some(session.clone())).await {
        previous.end().await;
    }
    state.set_login_screen(LoginScreen::default());
    let view = session.view();
    crate::tray::show_status(app, Some(view.status));
    if let Err(error) = app.emit(ipc::SESSION_STARTED, &view) {
        tracing::warn!(%error, "could not tell the UI about the session");
    }
    session.forward(app);
    session
}

/// Takes the current session out of the state and closes it, so that nothing it still
/// reports (e.g. the server refusing its token during logout) acts on the app.
async fn take_session(app: &AppHandle) -> Option<Arc<Session>> {
    let session = app.state::<AppState>().replace_session(None).await?;
    session.end().await;
    Some(session)
}

/// After a session ended: forgets its secrets in the keychain, shows the login screen with
/// `notice`, silences its calls and tells the UI.
async fn finish_session(
    app: &AppHandle,
    session: &Session,
    reason: EndReason,
    notice: Option<String>,
) {
    let state = app.state::<AppState>();
    let keychain = state.keychain.clone();
    let forgotten = tauri::async_runtime::spawn_blocking(move || {
        let kept = keychain.load()?.map(StoredAccount::forget_secrets);
        match kept {
            Some(account) => keychain.save(&account),
            None => Ok(()),
        }
    })
    .await;
    if !matches!(forgotten, Ok(Ok(()))) {
        tracing::warn!("could not clear the session from the keychain");
    }
    let view = session.view();
    state.set_login_screen(LoginScreen {
        server_url: Some(view.server_url),
        email: Some(view.operator.email),
        notice,
    });
    app.state::<Ringer>().reset(app);
    app.state::<TeamNotices>().reset(app);
    crate::tray::show_status(app, None);
    if let Err(error) = app.emit(ipc::SESSION_ENDED, SessionEnded { reason }) {
        tracing::warn!(%error, "could not tell the UI the session ended");
    }
}

/// Logs out: ends the session on the server and forgets it in the keychain.
pub async fn logout(app: &AppHandle) {
    let Some(session) = take_session(app).await else {
        return;
    };
    let bye = switchboard_client::logout(session.server(), session.token().expose());
    match tokio::time::timeout(GOODBYE_TIMEOUT, bye).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "the server did not take the logout"),
        Err(_) => tracing::warn!("the server did not answer the logout in time"),
    }
    finish_session(app, &session, EndReason::LoggedOut, None).await;
}

/// The server refused the session: log in again with a remembered password, or end it.
pub async fn session_expired(app: &AppHandle) {
    let state = app.state::<AppState>();
    let account = keychain_load(&state.keychain).await.ok().flatten();
    if let Some(account) = account {
        if let Some(password) = account.password.clone() {
            let form = LoginForm {
                server_url: account.server_url,
                email: account.email,
                password: password.expose().to_owned(),
                remember: true,
            };
            match login(app, form).await {
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "logging in again failed"),
            }
        }
    }
    if let Some(session) = take_session(app).await {
        let notice = "Your session has ended. Please log in again.".to_owned();
        finish_session(app, &session, EndReason::Expired, Some(notice)).await;
    }
}

/// Changes the operator's status; returns the status now in effect (`None`: logged out).
pub async fn set_status(app: &AppHandle, status: Status) -> Option<Status> {
    let session = app.state::<AppState>().session().await?;
    if let Err(error) = session.client().set_status(status).await {
        tracing::warn!(%error, "could not change the status");
    }
    Some(session.view().status)
}

/// Quits: goes Offline (briefly waiting for the server), closes the connection and exits.
pub async fn quit(app: &AppHandle) {
    if let Some(session) = app.state::<AppState>().session().await {
        let offline = session.client().set_status(Status::Offline);
        if tokio::time::timeout(GOODBYE_TIMEOUT, offline)
            .await
            .is_err()
        {
            tracing::warn!("the server did not confirm Offline before quitting");
        }
        session.end().await;
    }
    app.exit(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_forgiving_but_must_be_web_addresses() {
        assert_eq!(
            parse_server_url(" http://127.0.0.1:8080 ")
                .map(String::from)
                .ok(),
            Some("http://127.0.0.1:8080/".to_owned())
        );
        assert_eq!(
            parse_server_url("chat.example.com").map(String::from).ok(),
            Some("http://chat.example.com/".to_owned())
        );
        assert!(matches!(
            parse_server_url("ftp://example.com"),
            Err(AppError::InvalidServerUrl)
        ));
        assert!(matches!(
            parse_server_url(""),
            Err(AppError::InvalidServerUrl)
        ));
    }
}
