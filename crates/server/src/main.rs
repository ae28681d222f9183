//! `switchboard-server`: runs the chat server, or administers operators and settings.

use clap::{Parser, Subcommand};
use switchboard_server::cli::{OperatorCommand, SettingsCommand};
use switchboard_server::Config;

/// Switchboard chat server. With no command it serves: the operator API and sockets, the
/// visitor socket, and the widget with its demo site at /demo/.
#[derive(Debug, Parser)]
#[command(name = "switchboard-server", version)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the server (the default).
    Serve,
    /// Manages operators.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Shows or changes account settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "switchboard_server=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => switchboard_server::serve(&cli.config).await,
        Command::Operator(command) => {
            switchboard_server::cli::operator(&cli.config.open_store().await?, command).await
        }
        Command::Settings(command) => {
            switchboard_server::cli::settings(&cli.config.open_store().await?, command).await
        }
    }
}
