//! HTTP and WebSocket routes: thin handlers that validate, call the [`Hub`], and answer.
//! Routing lives here in one place.

mod agent;
mod files;
mod http;
pub(crate) mod socket;
mod test_clock;
mod visitor;

pub(crate) use agent::run as serve_agent_socket;
pub(crate) use visitor::run as serve_visitor_socket;
pub use visitor::VisitorSocketFrom;

use std::path::Path;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::address_limit::AddressLimit;
use crate::hub::Hub;
use crate::throttle::LoginThrottle;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The live routing hub (and, through it, the store).
    pub hub: Arc<Hub>,
    /// Failed logins per email address.
    pub login_throttle: Arc<LoginThrottle>,
    /// Open visitor sockets per visitor address.
    pub visitor_sockets: AddressLimit,
}

impl AppState {
    /// State around a hub, with no failed logins yet and no cap on visitor sockets.
    pub fn new(hub: Arc<Hub>) -> Self {
        Self {
            hub,
            login_throttle: Arc::default(),
            visitor_sockets: AddressLimit::default(),
        }
    }

    /// Caps the visitor sockets one address may hold open (0: no cap).
    pub fn with_visitor_socket_cap(self, max: usize) -> Self {
        Self {
            visitor_sockets: AddressLimit::new(max),
            ..self
        }
    }
}

/// The whole application: API, sockets, and the widget + demo site as static files.
pub fn router(state: AppState, widget_dir: &Path) -> Router {
    let router = if state.hub.manual_clock() {
        Router::new().route("/api/v1/test/clock", post(test_clock::advance))
    } else {
        Router::new()
    };
    router
        .route("/api/v1/health", get(|| async { "ok" }))
        .route("/api/v1/login", post(http::login))
        .route("/api/v1/logout", post(http::logout))
        .route("/api/v1/files", post(files::create))
        .route(
            "/api/v1/files/{id}",
            get(files::download)
                .patch(files::append)
                .delete(files::cancel)
                // the upload handler counts the bytes itself against the announced size
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/api/v1/files/{id}/upload", get(files::progress))
        .route("/ws/v1/agent", get(agent::upgrade))
        .route("/ws/v1/visitor", get(visitor::upgrade))
        .route("/", get(|| async { Redirect::temporary("/demo/") }))
        .fallback_service(ServeDir::new(widget_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
