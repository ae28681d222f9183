//! The Switchboard chat server: HTTP + WebSocket (axum), call routing, storage (SQLite, or
//! PostgreSQL for a cluster of nodes) and the widget's static files. `main.rs` is the command line; [`serve`] runs the server.

pub mod address_limit;
pub mod arrival;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod cluster;
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

/// Runs the server until Ctrl+C or SIGTERM: opens the database, creates the first admin on
/// first run, and serves the API, the sockets and the widget. With `--nats-url` the server is
/// one node of a cluster ([`cluster`]).
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let store = config.open_store().await?;
    println!(
        "switchboard-server: data directory {}",
        config.data_dir().display()
    );
    if let Some(nats_url) = &config.nats_url {
        let listener = listen(config)?;
        return cluster::serve(config, store, nats_url, listener).await;
    }
    let (_, app) = start_hub(config, store).await?;
    let listener = listen(config)?;
    announce(&listener)?;
    serve_until(listener, app, shutdown_signal()).await
}

/// Binds the listening socket.
fn listen(config: &Config) -> anyhow::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(&config.listen)
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Says where the server listens, once it serves.
pub(crate) fn announce(listener: &std::net::TcpListener) -> anyhow::Result<()> {
    println!(
        "switchboard-server: listening on http://{}",
        listener.local_addr()?
    );
    Ok(())
}

/// Loads the hub from the store (creating the first admin on first run), starts its timers and
/// returns its state with the whole application around it.
pub(crate) async fn start_hub(
    config: &Config,
    store: store::Store,
) -> anyhow::Result<(routes::AppState, axum::Router)> {
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
    let state =
        routes::AppState::new(hub).with_visitor_socket_cap(config.max_visitor_sockets_per_ip);
    let app = routes::router(state.clone(), &config.widget_dir);
    Ok((state, app))
}

/// Serves an application on a listener until `shutdown` resolves.
pub(crate) async fn serve_until(
    listener: std::net::TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Resolves on Ctrl+C or SIGTERM.
pub(crate) async fn shutdown_signal() {
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
