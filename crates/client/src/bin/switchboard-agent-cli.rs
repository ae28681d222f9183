//! `switchboard-agent-cli`: a small headless operator for scripts and tests.
//!
//! It logs in (password on stdin, never on the command line), connects with the same
//! [`AgentClient`] the desktop app uses, and prints every [`ClientEvent`] as one JSON object per
//! line on stdout. Diagnostics go to stderr (`RUST_LOG=debug` for more).
//!
//! ```sh
//! echo "$PASSWORD" | switchboard-agent-cli --server http://127.0.0.1:8080 \
//!     --email agent@example.com --password-stdin answer --reply "Hello, how can I help?"
//! echo "$PASSWORD" | switchboard-agent-cli --email agent@example.com --password-stdin status away
//! ```

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use switchboard_client::{AgentClient, ClientError, ClientEvent, ConnectionState, Delivery};
use switchboard_protocol::{AgentEvent, ConversationState, ErrorCode, EventBody, Status};
use tokio::sync::mpsc;
use url::Url;

/// A headless Switchboard operator that prints events as JSON lines.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The server's base URL.
    #[arg(
        long,
        env = "SWITCHBOARD_SERVER",
        default_value = "http://127.0.0.1:8080/"
    )]
    server: Url,
    #[command(flatten)]
    credentials: Credentials,
    #[command(subcommand)]
    command: Command,
}

/// Who to act as: an email with the password on stdin, or an existing session token.
#[derive(Debug, Args)]
struct Credentials {
    /// Operator email to log in with (the session is logged out again on exit).
    #[arg(long, required_unless_present = "token", requires = "password_stdin")]
    email: Option<String>,
    /// Read the password from the first line of stdin.
    #[arg(long, requires = "email")]
    password_stdin: bool,
    /// Use this session token instead of logging in.
    #[arg(
        long,
        env = "SWITCHBOARD_TOKEN",
        conflicts_with = "email",
        hide_env_values = true
    )]
    token: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sets the operator's status and exits.
    Status {
        /// The new status.
        status: StatusArg,
    },
    /// Goes Online, accepts the first call that rings, optionally replies (and closes), and
    /// exits when that conversation is closed.
    Answer {
        /// Message to send once the call is accepted.
        #[arg(long)]
        reply: Option<String>,
        /// Close the conversation once the reply is stored (or right after accepting).
        #[arg(long)]
        close: bool,
    },
    /// Prints events until interrupted (Ctrl-C), without changing the status.
    Listen,
}

/// An operator status as typed on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusArg {
    Online,
    Away,
    Offline,
}

impl From<StatusArg> for Status {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::Online => Status::Online,
            StatusArg::Away => Status::Away,
            StatusArg::Offline => Status::Offline,
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let outcome = read_password(&cli.credentials).and_then(|password| {
        tokio::runtime::Runtime::new()
            .context("cannot start the async runtime")?
            .block_on(run(cli, password))
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard-agent-cli: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The password from the first line of stdin, when `--password-stdin` is given.
fn read_password(credentials: &Credentials) -> anyhow::Result<Option<String>> {
    if !credentials.password_stdin {
        return Ok(None);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

async fn run(cli: Cli, password: Option<String>) -> anyhow::Result<()> {
    let (token, logged_in) = match (&cli.credentials.token, &cli.credentials.email, password) {
        (Some(token), _, _) => (token.clone(), false),
        (None, Some(email), Some(password)) => {
            let session = switchboard_client::login(&cli.server, email, &password)
                .await
                .context("login failed")?;
            (session.token, true)
        }
        _ => bail!("give --email with --password-stdin, or --token"),
    };

    let (client, events) = AgentClient::connect(cli.server.clone(), token.clone());
    let mut operator = Operator {
        client,
        events,
        stdout: std::io::stdout(),
    };
    let outcome = tokio::select! {
        outcome = operator.perform(cli.command) => outcome,
        _ = tokio::signal::ctrl_c() => Ok(()),
    };
    let ended = operator.finish().await;

    if logged_in {
        if let Err(error) = switchboard_client::logout(&cli.server, &token).await {
            tracing::warn!(%error, "logout failed");
        }
    }
    outcome.and(ended)
}

/// The connection plus where its events are printed.
struct Operator {
    client: AgentClient,
    events: mpsc::Receiver<ClientEvent>,
    stdout: std::io::Stdout,
}

impl Operator {
    async fn perform(&mut self, command: Command) -> anyhow::Result<()> {
        match command {
            Command::Status { status } => self.set_status(status.into()).await,
            Command::Answer { reply, close } => self.answer(reply, close).await,
            Command::Listen => loop {
                self.next().await?;
            },
        }
    }

    async fn set_status(&mut self, status: Status) -> anyhow::Result<()> {
        self.until_connected().await?;
        self.client
            .set_status(status)
            .await
            .context("setting the status failed")
    }

    async fn answer(&mut self, reply: Option<String>, close: bool) -> anyhow::Result<()> {
        self.until_connected().await?;
        self.client
            .set_status(Status::Online)
            .await
            .context("going online failed")?;
        let mut chat: Option<String> = None;
        let mut reply_id: Option<String> = None;
        loop {
            let event = self.next().await?;
            let ringing: Vec<String> = match (&event, &chat) {
                (ClientEvent::Server(AgentEvent::Welcome { conversations, .. }), None) => {
                    conversations
                        .iter()
                        .filter(|c| c.state == ConversationState::Ringing)
                        .map(|c| c.id.clone())
                        .collect()
                }
                (ClientEvent::Server(AgentEvent::Ringing { conversation }), None) => {
                    vec![conversation.id.clone()]
                }
                _ => Vec::new(),
            };
            for conversation_id in ringing {
                if chat.is_none() && self.try_accept(&conversation_id).await? {
                    reply_id = match &reply {
                        Some(text) => Some(self.client.send(&conversation_id, text)?),
                        None if close => {
                            self.client.close(&conversation_id).await?;
                            None
                        }
                        None => None,
                    };
                    chat = Some(conversation_id);
                }
            }
            match (&event, &chat) {
                (
                    ClientEvent::Server(AgentEvent::Event {
                        conversation_id,
                        event,
                    }),
                    Some(chat),
                ) if conversation_id == chat && matches!(event.body, EventBody::Closed { .. }) => {
                    return Ok(());
                }
                (ClientEvent::Outbox(update), Some(chat))
                    if reply_id.as_deref() == Some(update.client_msg_id.as_str()) =>
                {
                    match &update.delivery {
                        Delivery::Sent { .. } if close => self.client.close(chat).await?,
                        Delivery::Failed { error } => bail!("the reply was refused: {error}"),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// Accepts a call; `false` when another operator was faster.
    async fn try_accept(&self, conversation_id: &str) -> anyhow::Result<bool> {
        match self.client.accept(conversation_id).await {
            Ok(()) => Ok(true),
            Err(ClientError::Server(error)) if error.code == ErrorCode::Conflict => Ok(false),
            Err(error) => Err(error).context("accepting the call failed"),
        }
    }

    async fn until_connected(&mut self) -> anyhow::Result<()> {
        while self.next().await? != ClientEvent::Connection(ConnectionState::Connected) {}
        Ok(())
    }

    /// The next event, printed; an error when the connection ended for good.
    async fn next(&mut self) -> anyhow::Result<ClientEvent> {
        let Some(event) = self.events.recv().await else {
            bail!("the connection ended");
        };
        self.print(&event)?;
        match event {
            ClientEvent::Connection(ConnectionState::Unauthorized) => {
                bail!("the server refused the session")
            }
            ClientEvent::Connection(ConnectionState::Closed) => bail!("the connection closed"),
            event => Ok(event),
        }
    }

    fn print(&mut self, event: &ClientEvent) -> anyhow::Result<()> {
        let line = serde_json::to_string(event).context("cannot encode an event")?;
        let mut stdout = self.stdout.lock();
        writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .context("cannot write to stdout")
    }

    /// Closes the connection and prints what is left, up to the final `closed` state.
    /// Drains while shutting down, so a full event buffer cannot hold the task up.
    async fn finish(mut self) -> anyhow::Result<()> {
        let client = self.client.clone();
        let drain = async {
            while let Some(event) = self.events.recv().await {
                self.print(&event)?;
            }
            Ok(())
        };
        let ((), drained) = tokio::join!(client.shutdown(), drain);
        drained
    }
}
