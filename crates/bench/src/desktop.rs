//! Launching the desktop app (or the bare Tauri window) and timing it until it prints a ready
//! line on stdout (`switchboard-desktop: ready <milestone>`, `bare-window: ready`).

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// How long a launch may take before the benchmark gives up.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(60);

/// A launched desktop process with its stdout lines.
pub struct Launched {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    started: Instant,
}

impl Launched {
    /// Starts `bin` with extra environment variables.
    pub fn start(bin: &Path, env: &[(&str, String)]) -> anyhow::Result<Self> {
        let mut command = Command::new(bin);
        command
            .env("SWITCHBOARD_REPORT_STARTUP", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        for (key, value) in env {
            command.env(key, value);
        }
        let started = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {} (build it with --release)", bin.display()))?;
        let lines = BufReader::new(child.stdout.take().context("stdout is piped")?).lines();
        Ok(Self {
            child,
            lines,
            started,
        })
    }

    /// Waits for a stdout line equal to `ready`; returns the time since the process started.
    pub async fn wait_for(&mut self, ready: &str) -> anyhow::Result<Duration> {
        let lines = &mut self.lines;
        tokio::time::timeout(LAUNCH_TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if line.trim() == ready {
                    return Ok(());
                }
            }
            bail!("the process exited before printing '{ready}'")
        })
        .await
        .with_context(|| format!("'{ready}' did not appear in time"))??;
        Ok(self.started.elapsed())
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }

    /// Kills the process and waits for it to exit.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}
