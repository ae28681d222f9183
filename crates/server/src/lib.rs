//! The Switchboard chat server: HTTP + WebSocket (axum), call routing, SQLite storage and the
//! widget's static files. `main.rs` is the command line; [`serve`] runs the server.

pub mod arrival;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod files;
pub mod geo;
pub mod hub;
pub mod routes;
pub mod routing;
pub mod settings;
pub mod store;
pub mod text;
pub mod throttle;
pub mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
pub use config::Config;

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Runs the server until Ctrl+C or SIGTERM: opens the data directory, creates the first admin
/// on first run, and serves the API, the sockets and the widget.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let store = config.open_store().await?;
    println!(
        "switchboard-server: data directory {}",
        config.data_dir().display()
    );
    cli::ensure_first_admin(&store).await?;
    let settings = settings::Settings::new(store.clone());
    let tokens = auth::VisitorTokens::new(&settings.visitor_secret().await?);
    let tracking = hub::TrackingConfig {
        geo: config.open_geoip()?,
        grace: Duration::from_secs(config.visitor_grace_secs),
        trusted_proxies: config.trusted_proxies.clone(),
    };
    let files = files::Files::new(config.data_dir().join("files"), store.clone());
    let hub = hub::Hub::load(store, settings, tokens, files).await?;
    let clock = if config.manual_clock {
        tracing::warn!("manual clock: ring timeouts only move with POST /api/v1/test/clock");
        clock::Clock::manual()
    } else {
        clock::Clock::System
    };
    let hub = Arc::new(hub.with_tracking(tracking).await?.with_clock(clock));
    tokio::spawn(hub.clone().sweep_visitors_forever());
    tokio::spawn(hub.clone().run_timers_forever());
    let app = routes::router(routes::AppState::new(hub), &config.widget_dir)
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    println!(
        "switchboard-server: listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("SIGTERM handler installs");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down");
}
