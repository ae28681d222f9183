//! Where the server listens and keeps its data, from flags or environment variables.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

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
    /// Directory with the built widget and demo site, served at /.
    #[arg(
        long,
        env = "SWITCHBOARD_WIDGET_DIR",
        default_value = "widget/dist",
        global = true
    )]
    pub widget_dir: PathBuf,
}

impl Config {
    /// The data directory: the flag, or `<OS data dir>/switchboard`.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("switchboard")
        })
    }

    /// Creates the data directory (and files/) if needed and opens the database in it.
    pub async fn open_store(&self) -> anyhow::Result<Store> {
        let dir = self.data_dir();
        std::fs::create_dir_all(dir.join("files"))
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        let database = dir.join("switchboard.db");
        Store::open(&database)
            .await
            .with_context(|| format!("cannot open the database {}", database.display()))
    }
}
